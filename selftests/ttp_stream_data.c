// SPDX-License-Identifier: GPL-2.0
/*
 * ttp_stream_data: the stream data path as the socket API shows it.
 *
 * Socket buffers (SO_SNDBUF/SO_RCVBUF within net.ttp.stream_wmem and
 * stream_rmem), SIOCINQ/SIOCOUTQ/SIOCOUTQNSD, blocking and non-blocking
 * writes and poll(), MSG_WAITALL, a large transfer delivered in order
 * and once, TTP_NODELAY and TTP_CORK, TTP_INFO's data-path fields, the
 * zero window and its persist timer, ETIMEDOUT when the cable is cut,
 * the /proc/net/ttp/sockets columns and the namespace's StreamMemory.
 *
 * Each test runs in a child of the harness with two network namespaces
 * of its own, joined by a cable:
 *
 *   A: t0  10.0.0.1/24  --- cable ---  t0-peer  10.0.0.2/24 :B
 *
 * The child lives in A and enters B with setns() to make B's sockets,
 * write B's sysctls and read B's counters and /proc files.  Clients are
 * in A, servers (accepted sockets) in B.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <sys/time.h>
#include <linux/sockios.h>

#include "kselftest_harness.h"
#include "ttp_common.h"

#define A_IP	"10.0.0.1"
#define B_IP	"10.0.0.2"
#define PORT	5000
#define MSS	1460

static const char topology_a[] =
	"link set lo up\n"
	"link add t0 type ttp\n"
	"addr add 10.0.0.1/24 dev t0\n"
	"link set t0 up\n";

static const char topology_b[] =
	"link set lo up\n"
	"addr add 10.0.0.2/24 dev t0-peer\n"
	"link set t0-peer up\n";

static int ns_a = -1, ns_b = -1;

/* --- helpers ---------------------------------------------------------- */

static int enter(int ns)
{
	return setns(ns, CLONE_NEWNET);
}

static int set_knob(const char *name, const char *val)
{
	char path[128];

	snprintf(path, sizeof(path), "/proc/sys/net/ttp/%s", name);
	return write_file(path, val);
}

/* Counter @name of namespace @ns (we return to A). */
static long stat_in(int ns, const char *name)
{
	long v;

	if (enter(ns))
		return -1;
	v = ttp_stat(name);
	enter(ns_a);
	return v;
}

/* Every socket gets timeouts, so a missing event fails fast. */
static int stream_sock(void)
{
	struct timeval tv = { .tv_sec = 10 * time_scale() };
	int fd = socket(AF_TTP, SOCK_STREAM, 0);

	if (fd >= 0) {
		setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
		setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	}
	return fd;
}

/* A listener of namespace B on B_IP:@port (@rcvbuf: SO_RCVBUF), or -1. */
static int b_listener(int port, int rcvbuf)
{
	int fd;

	if (enter(ns_b))
		return -1;
	fd = stream_sock();
	enter(ns_a);
	if (fd < 0)
		return -1;
	if ((rcvbuf && setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf,
				  sizeof(rcvbuf))) ||
	    bind_err(fd, B_IP, port) || listen(fd, 4)) {
		close(fd);
		return -1;
	}
	return fd;
}

/*
 * A connection A -> B: *c in A, *s (accepted, SO_RCVBUF @rcvbuf
 * inherited from its listener, if not 0) in B; 0 or -1.
 */
static int make_pair(int port, int *c, int *s, int rcvbuf)
{
	int l = b_listener(port, rcvbuf);

	*c = *s = -1;
	if (l < 0)
		return -1;
	*c = stream_sock();
	if (*c >= 0 && !connect_err(*c, B_IP, port))
		*s = accept(l, NULL, NULL);
	close(l);
	return *c >= 0 && *s >= 0 ? 0 : -1;
}

static int get_info(int fd, struct ttp_info *ti)
{
	socklen_t len = sizeof(*ti);

	memset(ti, 0xa5, sizeof(*ti));
	if (getsockopt(fd, SOL_TTP, TTP_INFO, ti, &len))
		return -1;
	return len == sizeof(*ti) ? 0 : -1;
}

static int info_state(int fd)
{
	struct ttp_info ti;

	return get_info(fd, &ti) ? -1 : ti.ttpi_state;
}

/* SIOCINQ, SIOCOUTQ or SIOCOUTQNSD of @fd, or -1. */
static int ioq(int fd, unsigned long cmd)
{
	int n = -1;

	return ioctl(fd, cmd, &n) ? -1 : n;
}

static int sock_int(int fd, int level, int opt)
{
	int v = -1;
	socklen_t len = sizeof(v);

	return getsockopt(fd, level, opt, &v, &len) ? -1 : v;
}

static int set_int(int fd, int level, int opt, int v)
{
	return setsockopt(fd, level, opt, &v, sizeof(v));
}

static short poll_ev(int fd, short events, int ms)
{
	struct pollfd p = { .fd = fd, .events = events };

	if (poll(&p, 1, ms * time_scale()) != 1)
		return 0;
	return p.revents;
}

static pid_t my_tid(void)
{
	return syscall(SYS_gettid);
}

/* The state letter of thread @tid of this process ('S': sleeping). */
static char task_state(pid_t tid)
{
	char path[64], buf[512], *p;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/self/task/%d/stat", tid);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return '?';
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return '?';
	buf[n] = 0;
	p = strrchr(buf, ')');
	return p && p[1] == ' ' ? p[2] : '?';
}

/* One line of /proc/net/ttp/sockets. */
struct proc_row {
	char state[16];
	int sendq, recvq, sndbuf, rcvbuf;
	unsigned int sndwnd, rcvwnd, cwnd;
};

/*
 * The row of stream socket @local -> @remote ("ip:port"; @remote NULL:
 * any) in namespace @ns's /proc/net/ttp/sockets; 0 or -1.
 */
static int proc_row(int ns, const char *local, const char *remote,
		    struct proc_row *r)
{
	char line[512], proto[8], l[32], rm[32];
	int ret = -1;
	FILE *f;

	if (enter(ns))
		return -1;
	f = fopen("/proc/net/ttp/sockets", "r");
	enter(ns_a);
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%7s %31s %31s %15s %d %d %d %d %u %u %u",
			   proto, l, rm, r->state, &r->sendq, &r->recvq,
			   &r->sndbuf, &r->rcvbuf, &r->sndwnd, &r->rcvwnd,
			   &r->cwnd) != 11)
			continue;
		if (!strcmp(proto, "strm") && !strcmp(l, local) &&
		    (!remote || !strcmp(rm, remote))) {
			ret = 0;
			break;
		}
	}
	fclose(f);
	return ret;
}

static void addr_of(int fd, bool peer, char *buf, size_t len)
{
	struct sockaddr_ttp a;
	socklen_t alen = sizeof(a);

	memset(&a, 0, sizeof(a));
	if (peer)
		getpeername(fd, (struct sockaddr *)&a, &alen);
	else
		getsockname(fd, (struct sockaddr *)&a, &alen);
	snprintf(buf, len, "%s:%u", inet_ntoa(*(struct in_addr *)&a.sttp_addr),
		 ntohs(a.sttp_port));
}

/* The /proc row of connected socket @fd of namespace @ns. */
static int proc_row_of(int ns, int fd, struct proc_row *r)
{
	char l[32], rm[32];

	addr_of(fd, false, l, sizeof(l));
	addr_of(fd, true, rm, sizeof(rm));
	return proc_row(ns, l, rm, r);
}

/* Byte @i of the test pattern. */
static unsigned char pat(size_t i)
{
	return (unsigned char)(i * 7 + i / 251);
}

static void fill_pat(unsigned char *buf, size_t off, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		buf[i] = pat(off + i);
}

/* Bytes of @buf that differ from the pattern at @off. */
static size_t bad_pat(const unsigned char *buf, size_t off, size_t len)
{
	size_t i, bad = 0;

	for (i = 0; i < len; i++)
		bad += buf[i] != pat(off + i);
	return bad;
}

/*
 * Non-blocking writes of the pattern, from *@off on, until EAGAIN.
 * Returns the bytes written, or -1 on another error.
 */
static long fill_until_eagain(int fd, size_t *off)
{
	static unsigned char chunk[16384];
	long total = 0;
	ssize_t n;

	for (;;) {
		fill_pat(chunk, *off, sizeof(chunk));
		n = send(fd, chunk, sizeof(chunk), MSG_DONTWAIT);
		if (n < 0 && errno != EAGAIN)
			return -1;
		if (n < 0) {
			/*
			 * ACKs of what was in flight may still free space
			 * (slowly on a debug kernel): full means no POLLOUT
			 * for 300 ms.
			 */
			if (!(poll_ev(fd, POLLOUT, 300) & POLLOUT))
				return total;
			continue;
		}
		*off += n;
		total += n;
	}
}

/*
 * Read exactly @len bytes of @fd, checking them against the pattern
 * from *@off on; the bytes read (fewer on an error or EOF) and in
 * *@bad how many differed.
 */
static long read_pat(int fd, size_t *off, long len, size_t *bad)
{
	static unsigned char buf[65536];
	long got = 0;
	ssize_t n;

	while (got < len) {
		n = recv(fd, buf, len - got < (long)sizeof(buf) ?
			 (size_t)(len - got) : sizeof(buf), 0);
		if (n <= 0)
			break;
		*bad += bad_pat(buf, *off, n);
		*off += n;
		got += n;
	}
	return got;
}

/* B drops every TTP frame that reaches it: the cable is cut. */
static const char b_drop_all[] =
	"nft -f - <<EOF\n"
	"table netdev cut {\n"
	"	chain in {\n"
	"		type filter hook ingress device t0-peer priority 0;\n"
	"		ether type 0x88b5 drop\n"
	"	}\n"
	"}\n"
	"EOF\n";

/* Run @cmd with sh in namespace @ns; its exit status. */
static int sh_in(int ns, const char *cmd)
{
	int ret;

	if (enter(ns))
		return -1;
	ret = system(cmd);
	enter(ns_a);
	return WIFEXITED(ret) ? WEXITSTATUS(ret) : -1;
}

/* --- the fixture: two namespaces of our own --------------------------- */

FIXTURE(data) {
	int unused;
};

FIXTURE_SETUP(data)
{
	char path[64], cmd[96], c;
	int p[2], q[2];
	pid_t pid;

	ASSERT_EQ(0, own_netns())
		TH_LOG("unshare(CLONE_NEWNET): %s", strerror(errno));
	ASSERT_LE(0, ttp_stat("StreamActiveOpens"))
		TH_LOG("/proc/net/ttp/stats: is ttp loaded?");
	ASSERT_EQ(0, ip_batch(topology_a)) TH_LOG("ip -batch (A) failed");
	ns_a = open("/proc/self/ns/net", O_RDONLY);
	ASSERT_LE(0, ns_a);

	/* B: a child unshares, we take its namespace and its cable end. */
	ASSERT_EQ(0, pipe(p));
	ASSERT_EQ(0, pipe(q));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		close(p[0]);
		close(q[1]);
		if (unshare(CLONE_NEWNET))
			_exit(1);
		if (write(p[1], "x", 1) != 1)
			_exit(1);
		while (read(q[0], &c, 1) > 0)
			;
		_exit(0);
	}
	close(p[1]);
	close(q[0]);
	ASSERT_EQ(1, read(p[0], &c, 1));
	snprintf(path, sizeof(path), "/proc/%d/ns/net", pid);
	ns_b = open(path, O_RDONLY);
	snprintf(cmd, sizeof(cmd), "link set t0-peer netns %d\n", pid);
	ASSERT_EQ(0, ip_batch(cmd));
	close(q[1]);
	close(p[0]);
	waitpid(pid, NULL, 0);
	ASSERT_LE(0, ns_b);

	ASSERT_EQ(0, enter(ns_b));
	write_file("/proc/sys/net/ipv6/conf/all/disable_ipv6", "1");
	ASSERT_EQ(0, ip_batch(topology_b)) TH_LOG("ip -batch (B) failed");
	ASSERT_EQ(0, set_knob("stream_fin_timeout_ms", "1000"));
	ASSERT_EQ(0, set_knob("stream_time_wait_ms", "500"));
	ASSERT_EQ(0, enter(ns_a));
	ASSERT_EQ(0, set_knob("stream_fin_timeout_ms", "1000"));
	ASSERT_EQ(0, set_knob("stream_time_wait_ms", "500"));
	signal(SIGPIPE, SIG_IGN);
}

FIXTURE_TEARDOWN(data)
{
	/* Both namespaces go with this child. */
}

/* --- SO_SNDBUF, SO_RCVBUF ---------------------------------------------- */

TEST_F(data, buffers_from_the_sysctls)
{
	struct ttp_info ti;
	struct proc_row r;
	int fd, c, s;

	ASSERT_EQ(0, set_knob("stream_wmem", "8192 100000 500000"));
	ASSERT_EQ(0, set_knob("stream_rmem", "8192 120000 600000"));
	fd = stream_sock();
	ASSERT_LE(0, fd);
	/* The defaults: the middle values */
	EXPECT_EQ(100000, sock_int(fd, SOL_SOCKET, SO_SNDBUF));
	EXPECT_EQ(120000, sock_int(fd, SOL_SOCKET, SO_RCVBUF));
	ASSERT_EQ(0, get_info(fd, &ti));
	EXPECT_EQ(100000, ti.ttpi_sndbuf);
	EXPECT_EQ(120000, ti.ttpi_rcvbuf);
	ASSERT_EQ(0, bind_err(fd, A_IP, PORT));
	ASSERT_EQ(0, proc_row(ns_a, A_IP ":5000", NULL, &r));
	EXPECT_EQ(100000, r.sndbuf);
	EXPECT_EQ(120000, r.rcvbuf);

	/* Within the bounds: SO_*BUF's doubled value, as on any socket */
	ASSERT_EQ(0, set_int(fd, SOL_SOCKET, SO_SNDBUF, 50000));
	ASSERT_EQ(0, set_int(fd, SOL_SOCKET, SO_RCVBUF, 60000));
	ASSERT_EQ(0, get_info(fd, &ti));
	EXPECT_EQ(100000, ti.ttpi_sndbuf);
	EXPECT_EQ(120000, ti.ttpi_rcvbuf);
	ASSERT_EQ(0, set_int(fd, SOL_SOCKET, SO_SNDBUF, 70000));
	ASSERT_EQ(0, set_int(fd, SOL_SOCKET, SO_RCVBUF, 80000));
	ASSERT_EQ(0, get_info(fd, &ti));
	EXPECT_EQ(140000, ti.ttpi_sndbuf);
	EXPECT_EQ(160000, ti.ttpi_rcvbuf);
	ASSERT_EQ(0, proc_row(ns_a, A_IP ":5000", NULL, &r));
	EXPECT_EQ(140000, r.sndbuf);
	EXPECT_EQ(160000, r.rcvbuf);

	/* Below the minimum: the minimum */
	ASSERT_EQ(0, set_int(fd, SOL_SOCKET, SO_SNDBUF, 1000));
	ASSERT_EQ(0, set_int(fd, SOL_SOCKET, SO_RCVBUF, 1000));
	ASSERT_EQ(0, get_info(fd, &ti));
	EXPECT_EQ(8192, ti.ttpi_sndbuf);
	EXPECT_EQ(8192, ti.ttpi_rcvbuf);
	ASSERT_EQ(0, proc_row(ns_a, A_IP ":5000", NULL, &r));
	EXPECT_EQ(8192, r.sndbuf);
	EXPECT_EQ(8192, r.rcvbuf);

	/* Above the maximum (FORCE passes net.core's limits): the maximum */
	ASSERT_EQ(0, set_int(fd, SOL_SOCKET, SO_SNDBUFFORCE, 400000));
	ASSERT_EQ(0, set_int(fd, SOL_SOCKET, SO_RCVBUFFORCE, 400000));
	EXPECT_EQ(800000, sock_int(fd, SOL_SOCKET, SO_SNDBUF));
	ASSERT_EQ(0, get_info(fd, &ti));
	EXPECT_EQ(500000, ti.ttpi_sndbuf);
	EXPECT_EQ(600000, ti.ttpi_rcvbuf);
	ASSERT_EQ(0, proc_row(ns_a, A_IP ":5000", NULL, &r));
	EXPECT_EQ(500000, r.sndbuf);
	EXPECT_EQ(600000, r.rcvbuf);

	/* A sysctl change moves the bound of an existing socket */
	ASSERT_EQ(0, set_knob("stream_wmem", "8192 100000 300000"));
	ASSERT_EQ(0, get_info(fd, &ti));
	EXPECT_EQ(300000, ti.ttpi_sndbuf);
	close(fd);

	/* An accepted socket: its listener's SO_RCVBUF, B's bounds */
	ASSERT_EQ(0, enter(ns_b));
	ASSERT_EQ(0, set_knob("stream_rmem", "4096 131072 6291456"));
	ASSERT_EQ(0, enter(ns_a));
	ASSERT_EQ(0, make_pair(PORT, &c, &s, 30000));
	ASSERT_EQ(0, get_info(s, &ti));
	EXPECT_EQ(60000, ti.ttpi_rcvbuf);
	ASSERT_EQ(0, proc_row_of(ns_b, s, &r));
	EXPECT_EQ(60000, r.rcvbuf);
	/* the client: A's defaults */
	ASSERT_EQ(0, get_info(c, &ti));
	EXPECT_EQ(100000, ti.ttpi_sndbuf);
	EXPECT_EQ(120000, ti.ttpi_rcvbuf);
	close(c);
	close(s);
}

/* --- the zero window: ioctls, /proc, persist timer, counters ----------- */

TEST_F(data, zero_window_queues_and_persist)
{
	long to0, from0, probe0, w, r0;
	struct ttp_info ci, si, ci0;
	size_t woff = 0, roff = 0, bad = 0;
	struct proc_row cr, sr;
	int c, s;

	to0 = stat_in(ns_b, "StreamToZeroWindowAdv");
	from0 = stat_in(ns_b, "StreamFromZeroWindowAdv");
	probe0 = ttp_stat("StreamWinProbe");
	ASSERT_LE(0, to0);
	ASSERT_LE(0, from0);
	ASSERT_LE(0, probe0);
	/*
	 * s: read by nobody, a receive buffer of 5840 bytes (SO_RCVBUF
	 * doubles): a window of half of it, two full segments.  (With a
	 * window that is no multiple of the MSS, the sender leaves the
	 * short rest unused, as it is smaller than an MSS and than half
	 * the largest window: no override timeout, flow-control.md.)
	 */
	ASSERT_EQ(0, make_pair(PORT, &c, &s, 2920));
	ASSERT_EQ(0, set_int(c, SOL_SOCKET, SO_SNDBUF, 16384));
	EXPECT_EQ(0, ioq(s, SIOCINQ));
	EXPECT_EQ(0, ioq(c, SIOCOUTQ));
	EXPECT_EQ(0, ioq(c, SIOCOUTQNSD));
	ASSERT_EQ(0, get_info(c, &ci0));
	EXPECT_EQ(0, ci0.ttpi_win_probes);
	EXPECT_LT(0, ci0.ttpi_snd_wnd);

	/* c writes until its buffer is full; s reads nothing */
	ASSERT_LT(0, fill_until_eagain(c, &woff));
	w = woff;
	/*
	 * All that fits is sent and acknowledged, the rest queued: the
	 * window is zero and nothing is in flight.
	 */
	EXPECT_TRUE(WAIT_FOR(!get_info(c, &ci) && ci.ttpi_snd_wnd == 0 &&
			     ci.ttpi_snd_una == ci.ttpi_snd_nxt &&
			     ci.ttpi_timer == TTPI_TIMER_PERSIST, 5000))
		TH_LOG("snd_wnd %u, in flight %u, timer %u", ci.ttpi_snd_wnd,
		       ci.ttpi_snd_nxt - ci.ttpi_snd_una, ci.ttpi_timer);
	r0 = ioq(s, SIOCINQ);
	EXPECT_LT(0, r0);
	EXPECT_GT(w, r0);
	/* What s holds is what c's peer acknowledged: exact queues */
	EXPECT_EQ((unsigned long long)r0, ci.ttpi_bytes_acked);
	EXPECT_EQ(w - r0, ioq(c, SIOCOUTQ));
	EXPECT_EQ(w - r0, ioq(c, SIOCOUTQNSD));
	EXPECT_EQ(w - r0, ci.ttpi_send_queue);
	EXPECT_EQ(w - r0, ci.ttpi_notsent_bytes);
	EXPECT_EQ(0, ioq(s, SIOCOUTQ));
	ASSERT_EQ(0, get_info(s, &si));
	EXPECT_EQ(r0, si.ttpi_recv_queue);
	EXPECT_EQ(0, si.ttpi_rcv_wnd);
	EXPECT_EQ((unsigned long long)r0, si.ttpi_bytes_received);

	/* /proc/net/ttp/sockets: the same numbers */
	ASSERT_EQ(0, get_info(c, &ci));
	ASSERT_EQ(0, proc_row_of(ns_a, c, &cr));
	EXPECT_EQ(ioq(c, SIOCOUTQ), cr.sendq);
	EXPECT_EQ(0, cr.recvq);
	EXPECT_EQ(ci.ttpi_snd_cwnd, cr.cwnd);
	EXPECT_EQ(0, cr.sndwnd);
	EXPECT_STREQ("ESTABLISHED", cr.state);
	ASSERT_EQ(0, proc_row_of(ns_b, s, &sr));
	EXPECT_EQ(ioq(s, SIOCINQ), sr.recvq);
	EXPECT_EQ(0, sr.sendq);
	EXPECT_EQ(0, sr.rcvwnd);

	/* The persist timer probes the window, again and again */
	EXPECT_TRUE(WAIT_FOR(!get_info(c, &ci) && ci.ttpi_win_probes >= 3,
			     8000))
		TH_LOG("%u probes", ci.ttpi_win_probes);
	EXPECT_EQ(TTPI_TIMER_PERSIST, ci.ttpi_timer);
	EXPECT_EQ(0, ci.ttpi_snd_wnd);
	/* answered: the connection stays, the unanswered count is 0 */
	EXPECT_EQ(TTP_ST_ESTABLISHED, ci.ttpi_state);
	EXPECT_LE(probe0 + ci.ttpi_win_probes, ttp_stat("StreamWinProbe"));
	EXPECT_LT(to0, stat_in(ns_b, "StreamToZeroWindowAdv"));
	/* no data went with the probes */
	EXPECT_EQ(r0, ioq(s, SIOCINQ));
	EXPECT_EQ(0, ci.ttpi_bytes_retrans);
	EXPECT_EQ(w - r0, ioq(c, SIOCOUTQNSD));

	/* Both namespaces hold the bytes */
	EXPECT_LT(0, ttp_stat("StreamMemory"));
	EXPECT_LT(0, stat_in(ns_b, "StreamMemory"));

	/* The reader reads: the transfer resumes, every byte in order */
	EXPECT_EQ(w, read_pat(s, &roff, w, &bad));
	EXPECT_EQ(0, bad);
	EXPECT_LT(from0, stat_in(ns_b, "StreamFromZeroWindowAdv"));
	EXPECT_TRUE(WAIT_FOR(ioq(c, SIOCOUTQ) == 0, 3000));
	ASSERT_EQ(0, get_info(c, &ci));
	EXPECT_LT(0, ci.ttpi_snd_wnd);
	EXPECT_NE(TTPI_TIMER_PERSIST, ci.ttpi_timer);
	EXPECT_EQ((unsigned long long)w, ci.ttpi_bytes_acked);

	/* Closed, the buffers are gone from both namespaces */
	close(c);
	close(s);
	EXPECT_TRUE(WAIT_FOR(ttp_stat("StreamMemory") == 0, 3000))
		TH_LOG("A: %ld", ttp_stat("StreamMemory"));
	EXPECT_TRUE(WAIT_FOR(stat_in(ns_b, "StreamMemory") == 0, 3000))
		TH_LOG("B: %ld", stat_in(ns_b, "StreamMemory"));
}

/* --- blocking and non-blocking writes, poll() -------------------------- */

struct drain {
	pid_t wait_tid;		/* read once this thread sleeps */
	int fd;
	long len;
	long got;
	size_t off, bad;
};

static void *drain_when_asleep(void *arg)
{
	struct drain *d = arg;

	if (!WAIT_FOR(task_state(d->wait_tid) == 'S', 3000))
		return NULL;
	d->got = read_pat(d->fd, &d->off, d->len, &d->bad);
	return NULL;
}

struct blocked_send {
	pid_t tid;
	int fd;
	size_t off;
	long len;
	volatile long ret;
	volatile bool done;
};

static void *blocking_send(void *arg)
{
	struct blocked_send *b = arg;
	unsigned char *buf = malloc(b->len);

	b->tid = my_tid();
	if (buf) {
		fill_pat(buf, b->off, b->len);
		b->ret = send(b->fd, buf, b->len, 0);
		free(buf);
	}
	b->done = true;
	return NULL;
}

TEST_F(data, blocking_send_and_pollout)
{
	struct blocked_send b = { 0 };
	struct drain d = { 0 };
	size_t woff = 0, roff = 0, bad = 0;
	pthread_t th;
	long n;
	int c, s;

	ASSERT_EQ(0, make_pair(PORT, &c, &s, 4096));
	ASSERT_EQ(0, set_int(c, SOL_SOCKET, SO_SNDBUF, 8192));

	/* Non-blocking: EAGAIN once the buffers are full, no POLLOUT */
	n = fill_until_eagain(c, &woff);
	ASSERT_LT(0, n);
	EXPECT_EQ(-1, send(c, "x", 1, MSG_DONTWAIT));
	EXPECT_EQ(EAGAIN, errno);
	EXPECT_EQ(0, poll_ev(c, POLLOUT, 0) & POLLOUT);

	/* A poll() that waits wakes with POLLOUT when the reader reads */
	d.wait_tid = my_tid();
	d.fd = s;
	d.len = n;
	ASSERT_EQ(0, pthread_create(&th, NULL, drain_when_asleep, &d));
	EXPECT_NE(0, poll_ev(c, POLLOUT, 10000) & POLLOUT);
	pthread_join(th, NULL);
	EXPECT_EQ(n, d.got);
	EXPECT_EQ(0, d.bad);
	roff = d.off;

	/* Full again: a blocking send waits, then completes */
	n = fill_until_eagain(c, &woff);
	ASSERT_LT(0, n);
	b.fd = c;
	b.off = woff;
	b.len = 100000;
	b.tid = -1;
	ASSERT_EQ(0, pthread_create(&th, NULL, blocking_send, &b));
	EXPECT_TRUE(WAIT_FOR(b.tid > 0 && task_state(b.tid) == 'S', 3000));
	EXPECT_FALSE(b.done);
	/* what it waits behind is queued, unacknowledged */
	EXPECT_LT(0, ioq(c, SIOCOUTQ));
	EXPECT_EQ(n + b.len, read_pat(s, &roff, n + b.len, &bad));
	EXPECT_EQ(0, bad);
	pthread_join(th, NULL);
	EXPECT_TRUE(b.done);
	EXPECT_EQ(b.len, b.ret);
	EXPECT_NE(0, poll_ev(c, POLLOUT, 3000) & POLLOUT);
	close(c);
	close(s);
}

/* --- MSG_WAITALL ----------------------------------------------------- */

struct pieces {
	pid_t reader;
	int fd;		/* ours */
	int rfd;	/* the reader's */
	int sent;
};

#define PIECE	3000

/* Three pieces, each once the reader emptied its queue and sleeps. */
static void *send_pieces(void *arg)
{
	static unsigned char buf[PIECE];
	struct pieces *p = arg;
	int i;

	for (i = 0; i < 3; i++) {
		if (!WAIT_FOR(inq(p->rfd) == 0 &&
			      task_state(p->reader) == 'S', 3000))
			break;
		fill_pat(buf, p->sent, PIECE);
		if (send(p->fd, buf, PIECE, 0) != PIECE)
			break;
		p->sent += PIECE;
	}
	return NULL;
}

TEST_F(data, msg_waitall_gets_the_full_amount)
{
	static unsigned char buf[4 * PIECE];
	struct pieces p = { .reader = my_tid() };
	pthread_t th;
	int c, s;

	ASSERT_EQ(0, make_pair(PORT, &c, &s, 0));
	p.fd = c;
	p.rfd = s;

	/* Without MSG_WAITALL a read returns what there is */
	ASSERT_EQ(10, send(c, "0123456789", 10, 0));
	EXPECT_EQ(10, recv(s, buf, sizeof(buf), 0));

	/*
	 * With it: one call, the three pieces (each sent only once the
	 * reader is asleep with nothing queued: it did not return early).
	 */
	ASSERT_EQ(0, pthread_create(&th, NULL, send_pieces, &p));
	memset(buf, 0, sizeof(buf));
	EXPECT_EQ(3 * PIECE, recv(s, buf, 3 * PIECE, MSG_WAITALL));
	pthread_join(th, NULL);
	EXPECT_EQ(3 * PIECE, p.sent);
	EXPECT_EQ(0, bad_pat(buf, 0, 3 * PIECE));
	close(c);
	close(s);
}

/* --- a large transfer: in order, once; TTP_INFO after it ------------- */

/* 8 MB; 1 MB on a slow (debug) kernel, within the harness's timeout */
static long bulk_len(void)
{
	return time_scale() > 1 ? 1 << 20 : 8 << 20;
}

#define BULK	bulk_len()

static uint64_t xs_next(uint64_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return *x;
}

/* The random stream: byte @i of it, in order (state in *@x, *@w). */
struct rnd {
	uint64_t x, w;
	unsigned int left;
};

static unsigned char rnd_byte(struct rnd *r)
{
	unsigned char b;

	if (!r->left) {
		r->w = xs_next(&r->x);
		r->left = 8;
	}
	b = r->w;
	r->w >>= 8;
	r->left--;
	return b;
}

struct bulk {
	int fd;
	uint64_t seed;
	long sent;
	int err;
};

/* Writes BULK random bytes in random-sized writes, then SHUT_WR. */
static void *bulk_writer(void *arg)
{
	static unsigned char buf[65536];
	struct bulk *b = arg;
	struct rnd r = { .x = b->seed };
	uint64_t sizes = b->seed * 31 + 7;
	long len, i, off;
	ssize_t n;

	while (b->sent < BULK) {
		len = 1 + xs_next(&sizes) % sizeof(buf);
		if (len > BULK - b->sent)
			len = BULK - b->sent;
		for (i = 0; i < len; i++)
			buf[i] = rnd_byte(&r);
		for (off = 0; off < len; off += n) {
			n = send(b->fd, buf + off, len - off, 0);
			if (n <= 0) {
				b->err = n < 0 ? errno : -1;
				return NULL;
			}
		}
		b->sent += len;
	}
	if (shutdown(b->fd, SHUT_WR))
		b->err = errno;
	return NULL;
}

/* Over the default 30 s on the debug kernel, even with 1 MB */
TEST_F_TIMEOUT(data, bulk_in_order_once_and_info, 240)
{
	static unsigned char buf[65536];
	struct bulk b = { .seed = 0x9e3779b97f4a7c15ULL ^ (uint64_t)getpid() };
	struct rnd r = { .x = b.seed };
	uint64_t sizes = 12345;
	struct ttp_info ci, si;
	long got = 0, bad = 0, t0;
	pthread_t th;
	ssize_t n, i;
	int c, s;

	ASSERT_EQ(0, make_pair(PORT, &c, &s, 0));
	/* IW10 (RFC 6928): ten segments before the first ACK of data */
	ASSERT_EQ(0, get_info(c, &ci));
	EXPECT_EQ(MSS, ci.ttpi_snd_mss);
	EXPECT_LE(10 * ci.ttpi_snd_mss, ci.ttpi_snd_cwnd)
		TH_LOG("initial cwnd %u", ci.ttpi_snd_cwnd);
	EXPECT_EQ(TTPI_CA_OPEN, ci.ttpi_ca_state);
	EXPECT_EQ(0, ci.ttpi_bytes_sent);

	b.fd = c;
	t0 = now_ms();
	ASSERT_EQ(0, pthread_create(&th, NULL, bulk_writer, &b));
	/* Random-sized reads; the stream, byte by byte */
	for (;;) {
		n = recv(s, buf, 1 + xs_next(&sizes) % sizeof(buf), 0);
		if (n <= 0)
			break;
		for (i = 0; i < n; i++)
			bad += buf[i] != rnd_byte(&r);
		got += n;
	}
	EXPECT_EQ(0, n) TH_LOG("recv: %s", strerror(errno));
	pthread_join(th, NULL);
	TH_LOG("%ld bytes in %ld ms", BULK, now_ms() - t0);
	EXPECT_EQ(0, b.err) TH_LOG("writer: %s", strerror(b.err));
	EXPECT_EQ(BULK, b.sent);
	/* Once: exactly what was written, then EOF */
	EXPECT_EQ(BULK, got);
	EXPECT_EQ(0, bad);

	/* The sender's view once its FIN is acknowledged */
	EXPECT_TRUE(WAIT_FOR(info_state(c) == TTP_ST_FIN_WAIT_2, 3000));
	ASSERT_EQ(0, get_info(c, &ci));
	EXPECT_EQ(BULK, ci.ttpi_bytes_acked);
	EXPECT_LE(BULK, ci.ttpi_bytes_sent);
	EXPECT_EQ(ci.ttpi_bytes_sent - BULK, ci.ttpi_bytes_retrans)
		TH_LOG("sent %llu, retransmitted %llu",
		       (unsigned long long)ci.ttpi_bytes_sent,
		       (unsigned long long)ci.ttpi_bytes_retrans);
	EXPECT_LT(0, ci.ttpi_rtt_us);
	EXPECT_LT(0, ci.ttpi_min_rtt_us);
	EXPECT_EQ(TTPI_CA_OPEN, ci.ttpi_ca_state);
	EXPECT_EQ(0, ci.ttpi_notsent_bytes);
	EXPECT_EQ(0, ci.ttpi_unacked);
	EXPECT_EQ(0, ci.ttpi_send_queue);
	EXPECT_EQ(0, ioq(c, SIOCOUTQ));
	EXPECT_EQ(0, ioq(c, SIOCOUTQNSD));
	/* at least one segment per MSS of payload */
	EXPECT_LE(BULK / MSS, ci.ttpi_segs_out);
	TH_LOG("cwnd %u ssthresh %u srtt %u us min %u us retrans %u",
	       ci.ttpi_snd_cwnd, ci.ttpi_snd_ssthresh, ci.ttpi_rtt_us,
	       ci.ttpi_min_rtt_us, ci.ttpi_total_retrans);

	/* The receiver's */
	ASSERT_EQ(0, get_info(s, &si));
	EXPECT_EQ(BULK, si.ttpi_bytes_received);
	EXPECT_EQ(0, si.ttpi_recv_queue);
	EXPECT_EQ(0, si.ttpi_ooo_bytes);
	EXPECT_EQ(0, ioq(s, SIOCINQ));
	close(c);
	close(s);
}

/* --- TTP_NODELAY, TTP_CORK --------------------------------------------- */

TEST_F(data, nodelay_and_cork_options)
{
	socklen_t len;
	int fd, v, opt, i;
	static const int opts[] = { TTP_NODELAY, TTP_CORK };

	fd = stream_sock();
	ASSERT_LE(0, fd);
	for (i = 0; i < 2; i++) {
		opt = opts[i];
		EXPECT_EQ(0, sock_int(fd, SOL_TTP, opt));
		ASSERT_EQ(0, set_int(fd, SOL_TTP, opt, 1));
		EXPECT_EQ(1, sock_int(fd, SOL_TTP, opt));
		/* any non-zero value: 1 */
		ASSERT_EQ(0, set_int(fd, SOL_TTP, opt, 42));
		EXPECT_EQ(1, sock_int(fd, SOL_TTP, opt));
		ASSERT_EQ(0, set_int(fd, SOL_TTP, opt, 0));
		EXPECT_EQ(0, sock_int(fd, SOL_TTP, opt));
		/* a short optlen: EINVAL, nothing changes */
		v = 1;
		EXPECT_EQ(-1, setsockopt(fd, SOL_TTP, opt, &v, 2));
		EXPECT_EQ(EINVAL, errno);
		EXPECT_EQ(-1, setsockopt(fd, SOL_TTP, opt, &v, 0));
		EXPECT_EQ(EINVAL, errno);
		EXPECT_EQ(0, sock_int(fd, SOL_TTP, opt));
		/* a long buffer gets an int back */
		{
			char big[16];

			memset(big, 0x5a, sizeof(big));
			len = sizeof(big);
			ASSERT_EQ(0, getsockopt(fd, SOL_TTP, opt, big, &len));
			EXPECT_EQ(sizeof(int), len);
			EXPECT_EQ(0x5a, big[sizeof(int)]);
		}
	}
	/* the two are independent */
	ASSERT_EQ(0, set_int(fd, SOL_TTP, TTP_CORK, 1));
	EXPECT_EQ(0, sock_int(fd, SOL_TTP, TTP_NODELAY));
	close(fd);
}

TEST_F(data, cork_holds_a_short_write)
{
	static unsigned char buf[MSS];
	size_t roff = 0, bad = 0;
	int c, s;

	ASSERT_EQ(0, make_pair(PORT, &c, &s, 0));
	ASSERT_EQ(0, set_int(c, SOL_TTP, TTP_CORK, 1));

	/* A short write stays unsent */
	fill_pat(buf, 0, 100);
	ASSERT_EQ(100, send(c, buf, 100, 0));
	EXPECT_EQ(100, ioq(c, SIOCOUTQNSD));
	EXPECT_EQ(100, ioq(c, SIOCOUTQ));
	EXPECT_FALSE(WAIT_FOR(inq(s) > 0, 500));
	EXPECT_EQ(100, ioq(c, SIOCOUTQNSD));

	/* A full segment goes; the short rest waits */
	fill_pat(buf, 100, MSS);
	ASSERT_EQ(MSS, send(c, buf, MSS, 0));
	EXPECT_TRUE(WAIT_FOR(inq(s) == MSS, 3000)) TH_LOG("inq %d", inq(s));
	EXPECT_EQ(100, ioq(c, SIOCOUTQNSD));
	EXPECT_FALSE(WAIT_FOR(inq(s) > MSS, 300));

	/* Uncork: it goes at once */
	ASSERT_EQ(0, set_int(c, SOL_TTP, TTP_CORK, 0));
	EXPECT_TRUE(WAIT_FOR(inq(s) == MSS + 100, 3000));
	EXPECT_EQ(0, ioq(c, SIOCOUTQNSD));
	EXPECT_TRUE(WAIT_FOR(ioq(c, SIOCOUTQ) == 0, 3000));

	/* Uncorked (and nothing unacknowledged), a short write is sent */
	fill_pat(buf, MSS + 100, 100);
	ASSERT_EQ(100, send(c, buf, 100, 0));
	EXPECT_TRUE(WAIT_FOR(inq(s) == MSS + 200, 3000));
	EXPECT_EQ(MSS + 200, read_pat(s, &roff, MSS + 200, &bad));
	EXPECT_EQ(0, bad);
	close(c);
	close(s);
}

/* --- ETIMEDOUT: the cable is cut with data unacknowledged ------------ */

TEST_F(data, etimedout_when_the_cable_is_cut)
{
	struct ttp_info ti;
	struct proc_row r;
	long tmo0, t0, dt;
	char buf[1000];
	int l, c, s;

	ASSERT_EQ(0, set_knob("stream_retries2", "3"));
	ASSERT_EQ(0, set_knob("stream_rto_max_ms", "400"));
	/* bound by bind(): its /proc line stays after the end (proc.md) */
	l = b_listener(PORT, 0);
	ASSERT_LE(0, l);
	c = stream_sock();
	ASSERT_LE(0, c);
	ASSERT_EQ(0, bind_err(c, A_IP, 40000));
	ASSERT_EQ(0, connect_err(c, B_IP, PORT));
	s = accept(l, NULL, NULL);
	ASSERT_LE(0, s);
	close(l);
	tmo0 = ttp_stat("StreamTimeouts");
	ASSERT_LE(0, tmo0);

	ASSERT_EQ(0, sh_in(ns_b, b_drop_all));
	memset(buf, 'c', sizeof(buf));
	t0 = now_ms();
	ASSERT_EQ(sizeof(buf), send(c, buf, sizeof(buf), 0));
	EXPECT_EQ(sizeof(buf), ioq(c, SIOCOUTQ));
	ASSERT_EQ(0, proc_row(ns_a, A_IP ":40000", NULL, &r));
	EXPECT_STREQ("ESTABLISHED", r.state);
	EXPECT_EQ(sizeof(buf), r.sendq);
	EXPECT_EQ(0, ioq(c, SIOCOUTQNSD));
	/* rto (>= rto_min 200 ms), then 3 x 400 ms: rto_max caps them */
	EXPECT_TRUE(WAIT_FOR(info_state(c) == TTP_ST_CLOSED, 10000));
	dt = now_ms() - t0;
	TH_LOG("closed %ld ms after the cut", dt);
	EXPECT_LE(1300, dt);
	EXPECT_GE(2600 * time_scale(), dt);
	ASSERT_EQ(0, get_info(c, &ti));
	EXPECT_EQ(3, ti.ttpi_total_retrans);
	EXPECT_EQ(3 * sizeof(buf), ti.ttpi_bytes_retrans);
	EXPECT_EQ(tmo0 + 3, ttp_stat("StreamTimeouts"));
	/* /proc: CLOSED, nothing queued any more */
	ASSERT_EQ(0, proc_row(ns_a, A_IP ":40000", NULL, &r));
	EXPECT_STREQ("CLOSED", r.state);
	EXPECT_EQ(0, r.sendq);

	EXPECT_NE(0, poll_ev(c, 0, 0) & POLLERR);
	EXPECT_EQ(-1, send(c, "x", 1, MSG_NOSIGNAL));
	EXPECT_EQ(ETIMEDOUT, errno);
	/* reported once; then the connection is just over */
	EXPECT_EQ(-1, send(c, "x", 1, MSG_NOSIGNAL));
	EXPECT_EQ(EPIPE, errno);
	close(c);
	close(s);
	EXPECT_TRUE(WAIT_FOR(ttp_stat("StreamMemory") == 0, 3000));
}

TEST_F(data, etimedout_on_recv)
{
	struct ttp_info ti;
	char b;
	int c, s;

	ASSERT_EQ(0, set_knob("stream_retries2", "2"));
	ASSERT_EQ(0, set_knob("stream_rto_max_ms", "300"));
	ASSERT_EQ(0, make_pair(PORT, &c, &s, 0));
	ASSERT_EQ(0, sh_in(ns_b, b_drop_all));
	ASSERT_EQ(3, send(c, "abc", 3, 0));
	/* a reader blocked in recv() learns it */
	EXPECT_EQ(-1, recv(c, &b, 1, 0));
	EXPECT_EQ(ETIMEDOUT, errno);
	ASSERT_EQ(0, get_info(c, &ti));
	EXPECT_EQ(TTP_ST_CLOSED, ti.ttpi_state);
	EXPECT_EQ(2, ti.ttpi_total_retrans);
	close(c);
	close(s);
}

/* --- the namespace's memory limit -------------------------------------- */

TEST_F(data, namespace_memory_limit_blocks_the_sender)
{
	struct drain d = { 0 };
	struct ttp_info ti;
	size_t woff = 0;
	pthread_t th;
	long n, mem;
	int c, s;

	ASSERT_EQ(0, set_knob("stream_mem_max_kb", "1024"));
	ASSERT_EQ(0, make_pair(PORT, &c, &s, 0));
	/* The socket's own buffer is far larger than the limit */
	ASSERT_EQ(0, set_int(c, SOL_SOCKET, SO_SNDBUFFORCE, 2 << 20));
	ASSERT_EQ(0, get_info(c, &ti));
	EXPECT_EQ(4 << 20, ti.ttpi_sndbuf);
	EXPECT_EQ(0, ttp_stat("StreamMemory"));

	n = fill_until_eagain(c, &woff);
	ASSERT_LT(0, n);
	mem = ttp_stat("StreamMemory");
	TH_LOG("%ld bytes written, StreamMemory %ld, SIOCOUTQ %d", n, mem,
	       ioq(c, SIOCOUTQ));
	EXPECT_LE(1 << 20, mem);
	/* the send buffer is not what stops it */
	EXPECT_GT(2 << 20, ioq(c, SIOCOUTQ));
	EXPECT_EQ(0, poll_ev(c, POLLOUT, 0) & POLLOUT);
	EXPECT_EQ(-1, send(c, "x", 1, MSG_DONTWAIT));
	EXPECT_EQ(EAGAIN, errno);

	/* The reader drains: memory comes back, the writer may write */
	d.wait_tid = my_tid();
	d.fd = s;
	d.len = n;
	ASSERT_EQ(0, pthread_create(&th, NULL, drain_when_asleep, &d));
	EXPECT_NE(0, poll_ev(c, POLLOUT, 10000) & POLLOUT);
	EXPECT_GT(1 << 20, ttp_stat("StreamMemory"));
	pthread_join(th, NULL);
	EXPECT_EQ(n, d.got);
	EXPECT_EQ(0, d.bad);
	EXPECT_TRUE(WAIT_FOR(ioq(c, SIOCOUTQ) == 0, 3000));
	close(c);
	close(s);
	EXPECT_TRUE(WAIT_FOR(ttp_stat("StreamMemory") == 0, 3000));
}

TEST_HARNESS_MAIN
