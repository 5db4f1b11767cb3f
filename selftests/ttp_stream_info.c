// SPDX-License-Identifier: GPL-2.0
/*
 * ttp_stream_info: getsockopt(TTP_INFO), SO_KEEPALIVE and
 * connect(AF_UNSPEC) on stream sockets.
 *
 * Each test runs in a child of the harness with two network namespaces
 * of its own, joined by a cable (so segments really cross a 1500-byte
 * link and the MSS is the cable's, not lo's):
 *
 *   A: t0  10.0.0.1/24  --- cable ---  t0-peer  10.0.0.2/24 :B
 *
 * The child lives in A and enters B with setns() to make B's sockets,
 * write B's sysctls and read B's counters.  10.0.0.9 is a neighbour of A
 * with a static ARP entry and nobody's MAC: SYNs to it vanish.
 */
#define _GNU_SOURCE
#include <sched.h>
#include <signal.h>
#include <sys/time.h>

#include "kselftest_harness.h"
#include "ttp_common.h"

#define A_IP	"10.0.0.1"
#define B_IP	"10.0.0.2"
#define SILENT	"10.0.0.9"
#define PORT	5000
#define RTO_MS	1000
#define KA_TIME	300
#define KA_INTVL	200
#define KA_PROBES	3

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
	struct timeval tv = { .tv_sec = 5 * time_scale() };
	int fd = socket(AF_TTP, SOCK_STREAM, 0);

	if (fd >= 0) {
		setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
		setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	}
	return fd;
}

/* A listener of namespace B on B_IP:@port, or -1. */
static int b_listener(int port, bool keepalive)
{
	int fd, one = 1;

	if (enter(ns_b))
		return -1;
	fd = stream_sock();
	enter(ns_a);
	if (fd < 0)
		return -1;
	if ((keepalive &&
	     setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &one, sizeof(one))) ||
	    bind_err(fd, B_IP, port) || listen(fd, 4)) {
		close(fd);
		return -1;
	}
	return fd;
}

/* A connection A -> B: *c in A, *s (accepted) in B; 0 or -1. */
static int make_pair(int port, int *c, int *s, bool l_keepalive)
{
	int l = b_listener(port, l_keepalive);

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

/* TTP_INFO's state of @fd, or -1. */
static int info_state(int fd)
{
	struct ttp_info ti;

	return get_info(fd, &ti) ? -1 : ti.ttpi_state;
}

static int so_error(int fd)
{
	int err = -1;
	socklen_t len = sizeof(err);

	return getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) ? -1 : err;
}

/* Lines of a /proc file but its header, or -1. */
static int proc_lines(const char *path)
{
	char line[512];
	int n = -1;
	FILE *f = fopen(path, "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		n++;
	fclose(f);
	return n;
}

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

/* B drops every TTP frame that reaches it: the peer goes silent. */
static const char b_drop_all[] =
	"nft -f - <<EOF\n"
	"table netdev silence {\n"
	"	chain in {\n"
	"		type filter hook ingress device t0-peer priority 0;\n"
	"		ether type 0x88b5 drop\n"
	"	}\n"
	"}\n"
	"EOF\n";

/* --- the fixture: two namespaces of our own --------------------------- */

FIXTURE(info) {
	int unused;
};

FIXTURE_SETUP(info)
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
		/* until the parent has our namespace: EOF on q */
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
	ASSERT_EQ(0, enter(ns_a));

	ASSERT_EQ(0, write_file("/proc/net/ttp/arp",
				"add " SILENT " 02:00:00:00:00:99 t0\n"));
	ASSERT_EQ(0, set_knob("stream_rto_init_ms", "1000"));
	ASSERT_EQ(0, set_knob("stream_fin_timeout_ms", "1000"));
}

FIXTURE_TEARDOWN(info)
{
	/* Both namespaces go with this child. */
}

/* --- TTP_INFO ----------------------------------------------------------- */

TEST_F(info, state_per_phase)
{
	struct ttp_info ti;
	int l, n, c, s;

	/* LISTEN */
	l = b_listener(PORT, false);
	ASSERT_LE(0, l);
	EXPECT_EQ(TTP_ST_LISTEN, info_state(l));

	/* SYN_SENT: the SYN retransmission timer, at most one RTO away */
	n = stream_sock();
	ASSERT_LE(0, n);
	ASSERT_EQ(0, fcntl(n, F_SETFL, O_NONBLOCK));
	ASSERT_EQ(EINPROGRESS, connect_err(n, SILENT, 80));
	ASSERT_EQ(0, get_info(n, &ti));
	EXPECT_EQ(TTP_ST_SYN_SENT, ti.ttpi_state);
	EXPECT_EQ(TTPI_TIMER_RTX, ti.ttpi_timer);
	EXPECT_LT(0, ti.ttpi_timer_ms);
	EXPECT_GE(RTO_MS, ti.ttpi_timer_ms);
	EXPECT_EQ(RTO_MS, ti.ttpi_rto_ms);
	EXPECT_EQ(0, ti.ttpi_retransmits);
	EXPECT_EQ(ti.ttpi_iss + 1, ti.ttpi_snd_nxt);
	close(n);

	/* ESTABLISHED */
	c = stream_sock();
	ASSERT_LE(0, c);
	ASSERT_EQ(0, connect_err(c, B_IP, PORT));
	s = accept(l, NULL, NULL);
	ASSERT_LE(0, s);
	EXPECT_EQ(TTP_ST_ESTABLISHED, info_state(c));
	EXPECT_TRUE(WAIT_FOR(info_state(s) == TTP_ST_ESTABLISHED, 2000));
	ASSERT_EQ(0, get_info(c, &ti));
	EXPECT_EQ(TTPI_TIMER_NONE, ti.ttpi_timer);

	/* FIN_WAIT_2 and CLOSE_WAIT */
	ASSERT_EQ(0, shutdown(c, SHUT_WR));
	EXPECT_TRUE(WAIT_FOR(info_state(c) == TTP_ST_FIN_WAIT_2, 2000));
	EXPECT_TRUE(WAIT_FOR(info_state(s) == TTP_ST_CLOSE_WAIT, 2000));

	/* The passive close: c goes to the TIME_WAIT table, CLOSED itself */
	ASSERT_EQ(0, shutdown(s, SHUT_WR));
	EXPECT_TRUE(WAIT_FOR(info_state(c) == TTP_ST_CLOSED, 2000))
		TH_LOG("state %d", info_state(c));
	EXPECT_TRUE(WAIT_FOR(info_state(s) == TTP_ST_CLOSED, 2000));
	EXPECT_EQ(1, proc_lines("/proc/net/ttp/timewait"));
	close(s);
	close(c);
	close(l);
}

static unsigned long long real_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/* The ISN of a SYN from A_IP:@port to SILENT:80 (it stays SYN_SENT). */
static int isn_from(int port, unsigned int *isn)
{
	struct ttp_info ti;
	int fd, err;

	fd = stream_sock();
	if (fd < 0)
		return -1;
	err = fcntl(fd, F_SETFL, O_NONBLOCK) ||
	      bind_err(fd, A_IP, port) ||
	      connect_err(fd, SILENT, 80) != EINPROGRESS ||
	      get_info(fd, &ti);
	*isn = ti.ttpi_iss;
	close(fd);
	return err ? -1 : 0;
}

static unsigned int circ_dist(unsigned int a, unsigned int b)
{
	unsigned int d = a - b;

	return d < 0x80000000U ? d : -d;
}

/*
 * RFC 6528: ISN = M + F(4-tuple, secret), M a clock of 64 ns ticks.
 * Other 4-tuples' ISNs are all over the sequence space (F); the same
 * 4-tuple's next ISN is its last one plus the clock's advance (M).
 */
TEST_F(info, isn_keyed_hash_plus_clock)
{
	unsigned int isn[16], a, b;
	unsigned long long t0, t1, t2, t3, lo, hi;
	unsigned int far = 0;
	int i, j;

	for (i = 0; i < 16; i++)
		ASSERT_EQ(0, isn_from(41000 + i, &isn[i]));
	for (i = 0; i < 16; i++)
		for (j = 0; j < i; j++) {
			EXPECT_NE(isn[i], isn[j]);
			if (circ_dist(isn[i], isn[j]) > (1U << 28))
				far++;
		}
	/* 16 consecutive connects of a counter would all be close */
	EXPECT_LT(30, far) TH_LOG("only %u of 120 pairs far apart", far);

	t0 = real_ns();
	ASSERT_EQ(0, isn_from(42000, &a));
	t1 = real_ns();
	usleep(200000);
	t2 = real_ns();
	ASSERT_EQ(0, isn_from(42000, &b));
	t3 = real_ns();
	/* b - a is the clock's advance between the two SYNs, in 64 ns */
	lo = (t2 - t1) / 64;
	hi = (t3 - t0) / 64;
	EXPECT_LE(lo, (unsigned int)(b - a)) TH_LOG("b - a = %u", b - a);
	EXPECT_GE(hi, (unsigned int)(b - a)) TH_LOG("b - a = %u", b - a);
}

static void check_mss(struct __test_metadata *_metadata, int mss)
{
	struct ttp_info ti;
	int c, s;

	ASSERT_EQ(0, make_pair(PORT, &c, &s, false));
	ASSERT_EQ(0, get_info(c, &ti));
	EXPECT_EQ(mss, ti.ttpi_snd_mss);
	EXPECT_EQ(mss, ti.ttpi_rcv_mss);
	ASSERT_EQ(0, get_info(s, &ti));
	EXPECT_EQ(mss, ti.ttpi_snd_mss);
	EXPECT_EQ(mss, ti.ttpi_rcv_mss);
	close(c);
	close(s);
}

TEST_F(info, mss_follows_the_mtu)
{
	check_mss(_metadata, 1460);
	ASSERT_EQ(0, ip_batch("link set t0 mtu 1000\n"));
	ASSERT_EQ(0, enter(ns_b));
	ASSERT_EQ(0, ip_batch("link set t0-peer mtu 1000\n"));
	ASSERT_EQ(0, enter(ns_a));
	check_mss(_metadata, 960);
}

TEST_F(info, windows_bytes_and_queues)
{
	static char buf[20000];
	struct ttp_info ci, si, si0;
	long in0;
	int c, s;

	ASSERT_EQ(0, make_pair(PORT, &c, &s, false));
	ASSERT_EQ(0, get_info(c, &ci));
	ASSERT_EQ(0, get_info(s, &si0));
	EXPECT_NE(0, ci.ttpi_options & TTPI_OPT_WSCALE);
	EXPECT_NE(0, si0.ttpi_options & TTPI_OPT_WSCALE);
	EXPECT_EQ(ci.ttpi_rcv_wscale, si0.ttpi_snd_wscale);
	EXPECT_EQ(si0.ttpi_rcv_wscale, ci.ttpi_snd_wscale);
	EXPECT_LT(0, ci.ttpi_snd_wnd);
	EXPECT_LT(0, ci.ttpi_rcv_wnd);
	EXPECT_LT(0, si0.ttpi_snd_wnd);
	EXPECT_LT(0, si0.ttpi_rcv_wnd);
	EXPECT_EQ(0, ci.ttpi_bytes_acked);
	EXPECT_EQ(0, si0.ttpi_bytes_received);
	EXPECT_EQ(0, si0.ttpi_recv_queue);

	/* The bytes sit unread in s: its queue, and a smaller window. */
	in0 = stat_in(ns_b, "StreamInSegs");
	memset(buf, 'x', sizeof(buf));
	ASSERT_EQ(sizeof(buf), send(c, buf, sizeof(buf), 0));
	EXPECT_TRUE(WAIT_FOR(!get_info(s, &si) &&
			     si.ttpi_recv_queue == sizeof(buf), 3000))
		TH_LOG("recv_queue %u", si.ttpi_recv_queue);
	EXPECT_EQ(sizeof(buf), si.ttpi_bytes_received);
	EXPECT_EQ(sizeof(buf), inq(s));
	EXPECT_TRUE(WAIT_FOR(!get_info(c, &ci) &&
			     ci.ttpi_bytes_acked == sizeof(buf), 3000))
		TH_LOG("bytes_acked %llu", (unsigned long long)ci.ttpi_bytes_acked);
	EXPECT_EQ(0, ci.ttpi_send_queue);
	EXPECT_LT(si.ttpi_rcv_wnd, si0.ttpi_rcv_wnd)
		TH_LOG("rcv_wnd %u, was %u", si.ttpi_rcv_wnd, si0.ttpi_rcv_wnd);
	EXPECT_LT(si0.ttpi_segs_in, si.ttpi_segs_in);
	EXPECT_LE(si.ttpi_segs_in - si0.ttpi_segs_in,
		  stat_in(ns_b, "StreamInSegs") - in0);
	EXPECT_LT(0, ci.ttpi_segs_out);
	EXPECT_LT(0, ci.ttpi_segs_in);
	EXPECT_LT(0, si.ttpi_segs_out);

	/* Read half: the queue says the rest. */
	ASSERT_EQ(sizeof(buf) / 2, recv(s, buf, sizeof(buf) / 2, MSG_WAITALL));
	ASSERT_EQ(0, get_info(s, &si));
	EXPECT_EQ(sizeof(buf) / 2, si.ttpi_recv_queue);
	ASSERT_EQ(sizeof(buf) / 2, recv(s, buf, sizeof(buf) / 2, MSG_WAITALL));
	ASSERT_EQ(0, get_info(s, &si));
	EXPECT_EQ(0, si.ttpi_recv_queue);
	EXPECT_EQ(sizeof(buf), si.ttpi_bytes_received);
	close(c);
	close(s);
}

TEST_F(info, optlen_and_errors)
{
	struct ttp_info ti, full;
	socklen_t len;
	int l;

	l = b_listener(PORT, false);
	ASSERT_LE(0, l);
	ASSERT_EQ(0, get_info(l, &full));

	/* A short buffer: a prefix, and its length back */
	memset(&ti, 0xa5, sizeof(ti));
	len = 4;
	ASSERT_EQ(0, getsockopt(l, SOL_TTP, TTP_INFO, &ti, &len));
	EXPECT_EQ(4, len);
	EXPECT_EQ(0, memcmp(&ti, &full, 4));
	EXPECT_EQ(0xa5, ((unsigned char *)&ti)[4]);
	len = 0;
	ASSERT_EQ(0, getsockopt(l, SOL_TTP, TTP_INFO, &ti, &len));
	EXPECT_EQ(0, len);
	/* A longer one: the struct, no more */
	{
		char big[sizeof(ti) + 16];

		memset(big, 0xa5, sizeof(big));
		len = sizeof(big);
		ASSERT_EQ(0, getsockopt(l, SOL_TTP, TTP_INFO, big, &len));
		EXPECT_EQ(sizeof(ti), len);
		EXPECT_EQ(TTP_ST_LISTEN, ((struct ttp_info *)big)->ttpi_state);
		EXPECT_EQ((char)0xa5, big[sizeof(ti)]);
	}

	/* Wrong level or option */
	len = sizeof(ti);
	EXPECT_EQ(-1, getsockopt(l, SOL_TTP, TTP_INFO + 1, &ti, &len));
	EXPECT_EQ(ENOPROTOOPT, errno);
	EXPECT_EQ(-1, getsockopt(l, SOL_TTP + 1, TTP_INFO, &ti, &len));
	EXPECT_EQ(ENOPROTOOPT, errno);
	EXPECT_EQ(-1, getsockopt(l, IPPROTO_TCP, TTP_INFO, &ti, &len));
	EXPECT_EQ(ENOPROTOOPT, errno);
	close(l);
}

/* --- SO_KEEPALIVE ------------------------------------------------------- */

static int set_keepalive_knobs(void)
{
	return set_knob("stream_keepalive_time_ms", "300") ||
	       set_knob("stream_keepalive_intvl_ms", "200") ||
	       set_knob("stream_keepalive_probes", "3");
}

TEST_F(info, keepalive_answered_then_silent)
{
	long probes0, tmo0, t0, dt;
	struct ttp_info ti;
	int c, s, one = 1;
	char b;

	ASSERT_EQ(0, set_keepalive_knobs());
	ASSERT_EQ(0, make_pair(PORT, &c, &s, false));
	ASSERT_EQ(0, get_info(c, &ti));
	EXPECT_EQ(0, ti.ttpi_options & TTPI_OPT_KEEPALIVE);
	EXPECT_EQ(TTPI_TIMER_NONE, ti.ttpi_timer);
	probes0 = ttp_stat("StreamKeepAliveProbes");
	tmo0 = ttp_stat("StreamKeepAliveTimeouts");
	ASSERT_EQ(0, setsockopt(c, SOL_SOCKET, SO_KEEPALIVE, &one,
				sizeof(one)));
	ASSERT_EQ(0, get_info(c, &ti));
	EXPECT_NE(0, ti.ttpi_options & TTPI_OPT_KEEPALIVE);
	EXPECT_EQ(TTPI_TIMER_KEEPALIVE, ti.ttpi_timer);
	EXPECT_GE(KA_TIME, ti.ttpi_timer_ms);
	EXPECT_EQ(KA_TIME, ti.ttpi_keepalive_time_ms);
	EXPECT_EQ(KA_INTVL, ti.ttpi_keepalive_intvl_ms);
	EXPECT_EQ(KA_PROBES, ti.ttpi_keepalive_cnt);

	/*
	 * The peer answers: more probes than KA_PROBES go out and the
	 * connection stays up, since each answer starts the count again.
	 */
	EXPECT_TRUE(WAIT_FOR(ttp_stat("StreamKeepAliveProbes") >=
			     probes0 + 2 * KA_PROBES, 10000))
		TH_LOG("%ld probes", ttp_stat("StreamKeepAliveProbes") - probes0);
	EXPECT_EQ(TTP_ST_ESTABLISHED, info_state(c));
	EXPECT_EQ(0, so_error(c));
	EXPECT_EQ(TTP_ST_ESTABLISHED, info_state(s));
	EXPECT_EQ(tmo0, ttp_stat("StreamKeepAliveTimeouts"));

	/* B goes silent: reset after about time + probes * intvl */
	/* t0 first: the rule works before nft returns (slow kernels) */
	t0 = now_ms();
	ASSERT_EQ(0, sh_in(ns_b, b_drop_all));
	/* (TTP_INFO does not consume the pending error; SO_ERROR would) */
	EXPECT_TRUE(WAIT_FOR(info_state(c) == TTP_ST_CLOSED, 10000));
	dt = now_ms() - t0;
	EXPECT_EQ(-1, recv(c, &b, 1, MSG_DONTWAIT));
	EXPECT_EQ(ETIMEDOUT, errno);
	EXPECT_EQ(0, so_error(c));
	EXPECT_EQ(tmo0 + 1, ttp_stat("StreamKeepAliveTimeouts"));
	/* at least the probes' intervals; the idle time had partly run */
	EXPECT_LE(KA_PROBES * KA_INTVL - 100, dt);
	EXPECT_GE((KA_TIME + KA_PROBES * KA_INTVL) * 3 * time_scale(), dt);
	TH_LOG("reset %ld ms after the peer went silent", dt);
	close(c);
	close(s);
}

TEST_F(info, keepalive_inherited_by_accept)
{
	struct ttp_info ti;
	int c, s, on = 0;
	socklen_t len = sizeof(on);

	ASSERT_EQ(0, set_keepalive_knobs());
	ASSERT_EQ(0, enter(ns_b));
	ASSERT_EQ(0, set_keepalive_knobs());
	ASSERT_EQ(0, enter(ns_a));
	ASSERT_EQ(0, make_pair(PORT, &c, &s, true));
	ASSERT_EQ(0, getsockopt(s, SOL_SOCKET, SO_KEEPALIVE, &on, &len));
	EXPECT_EQ(1, on);
	ASSERT_EQ(0, get_info(s, &ti));
	EXPECT_NE(0, ti.ttpi_options & TTPI_OPT_KEEPALIVE);
	EXPECT_EQ(TTPI_TIMER_KEEPALIVE, ti.ttpi_timer);
	/* the client did not ask for it */
	len = sizeof(on);
	ASSERT_EQ(0, getsockopt(c, SOL_SOCKET, SO_KEEPALIVE, &on, &len));
	EXPECT_EQ(0, on);
	ASSERT_EQ(0, get_info(c, &ti));
	EXPECT_EQ(0, ti.ttpi_options & TTPI_OPT_KEEPALIVE);
	close(c);
	close(s);
}

/* --- connect(AF_UNSPEC) ------------------------------------------------- */

TEST_F(info, disconnect_and_reconnect)
{
	struct sockaddr_ttp un = { .sttp_family = AF_UNSPEC };
	long rsts0;
	int l, c, s, s2;
	char b = 'y';

	l = b_listener(PORT, false);
	ASSERT_LE(0, l);
	c = stream_sock();
	ASSERT_LE(0, c);
	ASSERT_EQ(0, connect_err(c, B_IP, PORT));
	s = accept(l, NULL, NULL);
	ASSERT_LE(0, s);

	rsts0 = ttp_stat("StreamOutRsts");
	ASSERT_EQ(0, connect(c, (struct sockaddr *)&un, sizeof(un)));
	EXPECT_EQ(TTP_ST_CLOSED, info_state(c));
	EXPECT_EQ(rsts0 + 1, ttp_stat("StreamOutRsts"));
	/* the peer: reset */
	EXPECT_EQ(-1, recv(s, &b, 1, 0));
	EXPECT_EQ(ECONNRESET, errno);
	EXPECT_EQ(TTP_ST_CLOSED, info_state(s));

	/* and c connects again, to the same server */
	ASSERT_EQ(0, connect_err(c, B_IP, PORT));
	EXPECT_EQ(TTP_ST_ESTABLISHED, info_state(c));
	s2 = accept(l, NULL, NULL);
	ASSERT_LE(0, s2);
	ASSERT_EQ(1, send(c, "z", 1, 0));
	ASSERT_EQ(1, recv(s2, &b, 1, 0));
	EXPECT_EQ('z', b);
	close(s2);
	close(s);
	close(c);
	close(l);
}

TEST_HARNESS_MAIN
