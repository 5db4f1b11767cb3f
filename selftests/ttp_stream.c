// SPDX-License-Identifier: GPL-2.0
/*
 * ttp_stream: the API of socket(AF_TTP, SOCK_STREAM, 0), call by call.
 *
 * Each test runs in a child of the harness, in a network namespace of its
 * own (so counters are exact and everything goes away with the child):
 *
 *   t0       10.0.0.1/24  --- cable ---  t0-peer  10.0.1.1/24
 *
 * Both ends stay in the namespace, so both addresses are local and
 * connections between them take the local path (through lo).  Two
 * neighbours on t0's subnet do not exist: 10.0.0.9 has a static ARP
 * entry to a MAC nobody has (its segments are dropped silently),
 * 10.0.0.8 has none (ARP fails).  The behaviour expected is Linux's TCP.
 *
 * Not here yet (landing separately): TTP_INFO, SO_KEEPALIVE,
 * connect(AF_UNSPEC), the TIME_WAIT table.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/select.h>
#include <sys/time.h>
#include <sys/uio.h>

#include "kselftest_harness.h"
#include "ttp_common.h"

#define A1	"10.0.0.1"	/* t0 */
#define A2	"10.0.1.1"	/* t0-peer */
#define SILENT	"10.0.0.9"	/* static ARP entry, nobody's MAC */
#define GHOST	"10.0.0.8"	/* nobody answers its ARP */

static const char topology[] =
	"link set lo up\n"
	"link add t0 type ttp\n"
	"addr add 10.0.0.1/24 dev t0\n"
	"addr add 10.0.1.1/24 dev t0-peer\n"
	"link set t0 up\n"
	"link set t0-peer up\n";

/* --- helpers ---------------------------------------------------------- */

static int set_knob(const char *name, const char *val)
{
	char path[128];

	snprintf(path, sizeof(path), "/proc/sys/net/ttp/%s", name);
	return write_file(path, val);
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

static int no_timeouts(int fd)
{
	struct timeval tv = { 0 };

	return setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) ||
	       setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
}

/* A listener on @ip:@port, or -1. */
static int listener(const char *ip, int port, int backlog)
{
	int fd = stream_sock();

	if (fd < 0)
		return -1;
	if (bind_err(fd, ip, port) || listen(fd, backlog)) {
		close(fd);
		return -1;
	}
	return fd;
}

/* A connected pair through a listener on A1:@port (closed again). */
static int make_pair(int port, int *c, int *s)
{
	int l = listener(A1, port, 4);

	*c = *s = -1;
	if (l < 0)
		return -1;
	*c = stream_sock();
	if (*c >= 0 && !connect_err(*c, A1, port))
		*s = accept(l, NULL, NULL);
	close(l);
	return *c >= 0 && *s >= 0 ? 0 : -1;
}

static int so_error(int fd)
{
	int err = -1;
	socklen_t len = sizeof(err);

	return getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) ? -1 : err;
}

/* revents of @fd for @events after at most @ms, 0 on timeout. */
static short poll_ev(int fd, short events, int ms)
{
	struct pollfd p = { .fd = fd, .events = events };

	if (poll(&p, 1, ms < 0 ? ms : ms * time_scale()) != 1)
		return 0;
	return p.revents;
}

/* Wait (bounded) until every bit of @want is in @fd's revents. */
static bool poll_until(int fd, short want, int ms)
{
	return WAIT_FOR((poll_ev(fd, want, 0) & want) == want, ms);
}

/* Read exactly @len bytes (or until EOF/error); the bytes read. */
static ssize_t recv_n(int fd, void *buf, size_t len)
{
	size_t got = 0;
	ssize_t n;

	while (got < len) {
		n = recv(fd, (char *)buf + got, len - got, 0);
		if (n <= 0)
			break;
		got += n;
	}
	return got;
}

static int set_linger(int fd, int on, int secs)
{
	struct linger lg = { .l_onoff = on, .l_linger = secs };

	return setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
}

static int set_timeo(int fd, int opt, int ms)
{
	struct timeval tv = { .tv_sec = ms / 1000,
			      .tv_usec = (ms % 1000) * 1000 };

	return setsockopt(fd, SOL_SOCKET, opt, &tv, sizeof(tv));
}

static pid_t my_tid(void)
{
	return syscall(SYS_gettid);
}

/* The scheduler state letter of thread @tid of this process. */
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

/* Wait (bounded) until thread @tid sleeps: blocked in its call. */
static bool wait_sleeping(pid_t tid)
{
	return WAIT_FOR(task_state(tid) == 'S', 3000);
}

static volatile sig_atomic_t sigpipes, alarms;

static void on_sigpipe(int sig)
{
	(void)sig;
	sigpipes++;
}

static void on_alarm(int sig)
{
	(void)sig;
	alarms++;
}

/* A handler without SA_RESTART: blocking calls end with EINTR. */
static int catch_signal(int sig, void (*fn)(int))
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = fn;
	sigemptyset(&sa.sa_mask);
	return sigaction(sig, &sa, NULL);
}

static int alarm_in(int ms)
{
	struct itimerval it = {
		.it_value = { .tv_sec = ms / 1000,
			      .tv_usec = (ms % 1000) * 1000 },
	};

	return setitimer(ITIMER_REAL, &it, NULL);
}

/* Show @path in the test's log (TAP comments), to explain a failure. */
static void dump_file(const char *path)
{
	char line[256];
	FILE *f = fopen(path, "r");

	if (!f)
		return;
	fprintf(stderr, "# %s:\n", path);
	while (fgets(line, sizeof(line), f))
		fprintf(stderr, "#   %s", line);
	fclose(f);
}

/* --- the fixture: a namespace of our own ------------------------------ */

FIXTURE(stream) {
	int unused;
};

FIXTURE_SETUP(stream)
{
	ASSERT_EQ(0, own_netns())
		TH_LOG("unshare(CLONE_NEWNET): %s", strerror(errno));
	ASSERT_EQ(0, ip_batch(topology)) TH_LOG("ip -batch failed");
	ASSERT_LE(0, ttp_stat("StreamActiveOpens"))
		TH_LOG("/proc/net/ttp/stats: is ttp loaded?");
	ASSERT_EQ(0, write_file("/proc/net/ttp/arp",
				"add " SILENT " 02:00:00:00:00:99 t0\n"));
	/*
	 * Connections closed at exit must not outlive the namespace's
	 * user for long: no 2MSL wait, a short FIN_WAIT_2.
	 */
	ASSERT_EQ(0, set_knob("stream_time_wait_ms", "0"));
	ASSERT_EQ(0, set_knob("stream_fin_timeout_ms", "1000"));
}

FIXTURE_TEARDOWN(stream)
{
}

/* --- ports ------------------------------------------------------------ */

TEST_F(stream, bind_getsockname)
{
	struct sockaddr_ttp a;
	socklen_t alen = sizeof(a);
	int s, t;

	s = stream_sock();
	ASSERT_LE(0, s);
	alen = sizeof(a);
	memset(&a, 0xff, sizeof(a));
	ASSERT_EQ(0, getsockname(s, (struct sockaddr *)&a, &alen));
	EXPECT_SOCKADDR(&a, alen, "0.0.0.0", 0);

	ASSERT_EQ(0, bind_err(s, A1, 5000));
	alen = sizeof(a);
	memset(&a, 0xff, sizeof(a));
	ASSERT_EQ(0, getsockname(s, (struct sockaddr *)&a, &alen));
	EXPECT_SOCKADDR(&a, alen, A1, 5000);
	/* Bound once: bind() again is EINVAL, the port stays. */
	EXPECT_EQ(EINVAL, bind_err(s, A1, 5001));
	EXPECT_EQ(EINVAL, bind_err(s, A2, 5000));
	EXPECT_EQ(5000, local_port(s));

	/* Not ours: a far address, a neighbour's, lo's. */
	t = stream_sock();
	ASSERT_LE(0, t);
	EXPECT_EQ(EADDRNOTAVAIL, bind_err(t, "10.9.9.9", 5002));
	EXPECT_EQ(EADDRNOTAVAIL, bind_err(t, SILENT, 5002));
	EXPECT_EQ(EADDRNOTAVAIL, bind_err(t, "127.0.0.1", 5002));
	EXPECT_EQ(0, local_port(t));
	EXPECT_EQ(0, bind_err(t, "0.0.0.0", 5002));
	alen = sizeof(a);
	ASSERT_EQ(0, getsockname(t, (struct sockaddr *)&a, &alen));
	EXPECT_SOCKADDR(&a, alen, "0.0.0.0", 5002);
}

TEST_F(stream, port0_and_autobind_from_range)
{
	struct sockaddr_ttp a;
	socklen_t alen;
	int s, l, c, d, pb, pl, pc, freed;

	ASSERT_EQ(0, set_knob("local_port_range", "41000 41002"));

	/* bind() to port 0 picks one from the range. */
	s = stream_sock();
	ASSERT_LE(0, s);
	ASSERT_EQ(0, bind_err(s, A1, 0));
	pb = local_port(s);
	EXPECT_LE(41000, pb);
	EXPECT_GE(41002, pb);

	/* So does listen() on an unbound socket, on the wildcard. */
	l = stream_sock();
	ASSERT_LE(0, l);
	ASSERT_EQ(0, listen(l, 4));
	alen = sizeof(a);
	ASSERT_EQ(0, getsockname(l, (struct sockaddr *)&a, &alen));
	pl = ntohs(a.sttp_port);
	EXPECT_SOCKADDR(&a, alen, "0.0.0.0", pl);
	EXPECT_LE(41000, pl);
	EXPECT_GE(41002, pl);
	EXPECT_NE(pb, pl);

	/* And connect(): the route's source address, a port from the range. */
	c = stream_sock();
	ASSERT_LE(0, c);
	ASSERT_EQ(0, connect_err(c, A2, pl));
	alen = sizeof(a);
	ASSERT_EQ(0, getsockname(c, (struct sockaddr *)&a, &alen));
	pc = ntohs(a.sttp_port);
	EXPECT_SOCKADDR(&a, alen, A2, pc);
	EXPECT_LE(41000, pc);
	EXPECT_GE(41002, pc);
	EXPECT_NE(pb, pc);
	EXPECT_NE(pl, pc);

	/*
	 * The range is used up for the wildcard (each port is taken on
	 * some address): bind(port 0) says EADDRINUSE.
	 */
	d = stream_sock();
	ASSERT_LE(0, d);
	EXPECT_EQ(EADDRINUSE, bind_err(d, "0.0.0.0", 0));
	EXPECT_EQ(0, local_port(d));

	/* A port given back is the one the next bind gets. */
	freed = pb;
	close(s);
	EXPECT_EQ(0, bind_err(d, "0.0.0.0", 0));
	EXPECT_EQ(freed, local_port(d));
}

/*
 * Linux's connect() reports an exhausted ephemeral range as EADDRNOTAVAIL
 * (connect(2)); EAGAIN is UDP's answer, not TCP's.
 */
TEST_F(stream, connect_exhausted_range_eaddrnotavail)
{
	int l, c, e;

	ASSERT_EQ(0, set_knob("local_port_range", "41000 41001"));
	l = stream_sock();
	ASSERT_LE(0, l);
	ASSERT_EQ(0, listen(l, 4));		/* takes one port */
	c = stream_sock();
	ASSERT_LE(0, c);
	ASSERT_EQ(0, connect_err(c, A1, local_port(l)));	/* the other */
	e = stream_sock();
	ASSERT_LE(0, e);
	EXPECT_EQ(EADDRNOTAVAIL, connect_err(e, A1, local_port(l)));
	EXPECT_EQ(0, local_port(e));
}

TEST_F(stream, eaddrinuse_rules)
{
	int one = 1, a, b, d, w, e, r1, r2, r3, l1, l2, l3;

	/* Same address and port. */
	a = stream_sock();
	b = stream_sock();
	ASSERT_LE(0, a);
	ASSERT_LE(0, b);
	ASSERT_EQ(0, bind_err(a, A1, 5100));
	EXPECT_EQ(EADDRINUSE, bind_err(b, A1, 5100));
	/* The wildcard overlaps every address... */
	EXPECT_EQ(EADDRINUSE, bind_err(b, "0.0.0.0", 5100));
	/* ...another specific address does not. */
	d = stream_sock();
	ASSERT_LE(0, d);
	EXPECT_EQ(0, bind_err(d, A2, 5100));

	/* A wildcard bound first blocks every specific address. */
	w = stream_sock();
	e = stream_sock();
	ASSERT_LE(0, w);
	ASSERT_LE(0, e);
	ASSERT_EQ(0, bind_err(w, "0.0.0.0", 5101));
	EXPECT_EQ(EADDRINUSE, bind_err(e, A1, 5101));
	EXPECT_EQ(EADDRINUSE, bind_err(e, A2, 5101));
	EXPECT_EQ(EADDRINUSE, bind_err(e, "0.0.0.0", 5101));

	/* SO_REUSEADDR shares a port between non-listeners that both set it. */
	r1 = stream_sock();
	r2 = stream_sock();
	r3 = stream_sock();
	ASSERT_LE(0, r1);
	ASSERT_LE(0, r2);
	ASSERT_LE(0, r3);
	ASSERT_EQ(0, setsockopt(r1, SOL_SOCKET, SO_REUSEADDR, &one,
				sizeof(one)));
	ASSERT_EQ(0, setsockopt(r3, SOL_SOCKET, SO_REUSEADDR, &one,
				sizeof(one)));
	ASSERT_EQ(0, bind_err(r1, A1, 5102));
	EXPECT_EQ(EADDRINUSE, bind_err(r2, A1, 5102));
	EXPECT_EQ(0, bind_err(r3, A1, 5102));
	EXPECT_EQ(5102, local_port(r3));
	/* Only one of them may listen. */
	EXPECT_EQ(0, listen(r1, 4));
	EXPECT_EQ(-1, listen(r3, 4));
	EXPECT_EQ(EADDRINUSE, errno);

	/* A listener keeps its port even from SO_REUSEADDR sockets. */
	l1 = stream_sock();
	l2 = stream_sock();
	l3 = stream_sock();
	ASSERT_LE(0, l1);
	ASSERT_LE(0, l2);
	ASSERT_LE(0, l3);
	ASSERT_EQ(0, setsockopt(l1, SOL_SOCKET, SO_REUSEADDR, &one,
				sizeof(one)));
	ASSERT_EQ(0, setsockopt(l2, SOL_SOCKET, SO_REUSEADDR, &one,
				sizeof(one)));
	ASSERT_EQ(0, setsockopt(l3, SOL_SOCKET, SO_REUSEADDR, &one,
				sizeof(one)));
	ASSERT_EQ(0, bind_err(l1, A1, 5103));
	ASSERT_EQ(0, listen(l1, 4));
	EXPECT_EQ(EADDRINUSE, bind_err(l2, A1, 5103));
	EXPECT_EQ(EADDRINUSE, bind_err(l3, "0.0.0.0", 5103));

	/* close() gives the port back; failed binds left b unbound. */
	EXPECT_EQ(0, local_port(b));
	close(a);
	EXPECT_EQ(0, bind_err(b, A1, 5100));
	close(l1);
	EXPECT_EQ(0, bind_err(l2, A1, 5103));
}

TEST_F(stream, privileged_ports_eacces)
{
	int s;

	/* With the capability (we are root). */
	s = stream_sock();
	ASSERT_LE(0, s);
	EXPECT_EQ(0, bind_err(s, A1, 1023));
	close(s);

	ASSERT_EQ(0, drop_bind_cap()) TH_LOG("capset: %s", strerror(errno));
	s = stream_sock();
	ASSERT_LE(0, s);
	EXPECT_EQ(EACCES, bind_err(s, A1, 1022));
	EXPECT_EQ(EACCES, bind_err(s, "0.0.0.0", 80));
	EXPECT_EQ(EACCES, bind_err(s, A1, 1));
	EXPECT_EQ(0, local_port(s));
	EXPECT_EQ(0, bind_err(s, A1, 1024));
	close(s);
	/* Port 0 is not privileged, nor is listen()'s automatic port. */
	s = stream_sock();
	ASSERT_LE(0, s);
	EXPECT_EQ(0, listen(s, 1));
	EXPECT_LE(1024, local_port(s));
}

TEST_F(stream, getpeername)
{
	struct sockaddr_ttp a, b;
	socklen_t alen;
	int l, c, s;

	c = stream_sock();
	ASSERT_LE(0, c);
	alen = sizeof(a);
	EXPECT_EQ(-1, getpeername(c, (struct sockaddr *)&a, &alen));
	EXPECT_EQ(ENOTCONN, errno);
	ASSERT_EQ(0, bind_err(c, A2, 5300));
	alen = sizeof(a);
	EXPECT_EQ(-1, getpeername(c, (struct sockaddr *)&a, &alen));
	EXPECT_EQ(ENOTCONN, errno);

	l = listener(A1, 5301, 4);
	ASSERT_LE(0, l);
	alen = sizeof(a);
	EXPECT_EQ(-1, getpeername(l, (struct sockaddr *)&a, &alen));
	EXPECT_EQ(ENOTCONN, errno);

	/* Right after connect() returns. */
	ASSERT_EQ(0, connect_err(c, A1, 5301));
	alen = sizeof(a);
	memset(&a, 0xff, sizeof(a));
	ASSERT_EQ(0, getpeername(c, (struct sockaddr *)&a, &alen));
	EXPECT_SOCKADDR(&a, alen, A1, 5301);

	/* accept() tells the client's address; the child knows both. */
	alen = sizeof(b);
	memset(&b, 0xff, sizeof(b));
	s = accept(l, (struct sockaddr *)&b, &alen);
	ASSERT_LE(0, s);
	EXPECT_SOCKADDR(&b, alen, A2, 5300);
	alen = sizeof(a);
	ASSERT_EQ(0, getpeername(s, (struct sockaddr *)&a, &alen));
	EXPECT_SOCKADDR(&a, alen, A2, 5300);
	alen = sizeof(a);
	ASSERT_EQ(0, getsockname(s, (struct sockaddr *)&a, &alen));
	EXPECT_SOCKADDR(&a, alen, A1, 5301);
}

TEST_F(stream, wildcard_listener_each_address)
{
	struct sockaddr_ttp a;
	socklen_t alen;
	int l, sl, c1, c2, c3, s1, s2;

	l = listener("0.0.0.0", 5200, 4);
	ASSERT_LE(0, l);
	c1 = stream_sock();
	c2 = stream_sock();
	ASSERT_LE(0, c1);
	ASSERT_LE(0, c2);
	ASSERT_EQ(0, connect_err(c1, A1, 5200));
	s1 = accept(l, NULL, NULL);
	ASSERT_LE(0, s1);
	ASSERT_EQ(0, connect_err(c2, A2, 5200));
	s2 = accept(l, NULL, NULL);
	ASSERT_LE(0, s2);
	alen = sizeof(a);
	ASSERT_EQ(0, getsockname(s1, (struct sockaddr *)&a, &alen));
	EXPECT_SOCKADDR(&a, alen, A1, 5200);
	alen = sizeof(a);
	ASSERT_EQ(0, getsockname(s2, (struct sockaddr *)&a, &alen));
	EXPECT_SOCKADDR(&a, alen, A2, 5200);

	/* A listener on one address hears nothing sent to the other. */
	sl = listener(A1, 5201, 4);
	ASSERT_LE(0, sl);
	c3 = stream_sock();
	ASSERT_LE(0, c3);
	EXPECT_EQ(ECONNREFUSED, connect_err(c3, A2, 5201));
}

/* --- listen and accept ------------------------------------------------ */

/* Several handshakes: over the default 30 s on the debug kernel */
TEST_F_TIMEOUT(stream, accept_nonblocking_and_flags, 240)
{
	struct sockaddr_ttp a;
	socklen_t alen;
	int l, c1, c2, s1, s2, u, fl;
	char buf[4];

	l = listener(A1, 5400, 4);
	ASSERT_LE(0, l);
	/* Nothing queued: a non-blocking accept does not wait. */
	EXPECT_EQ(-1, accept4(l, NULL, NULL, SOCK_NONBLOCK));
	EXPECT_EQ(EAGAIN, errno);
	ASSERT_EQ(0, fcntl(l, F_SETFL, fcntl(l, F_GETFL) | O_NONBLOCK));
	EXPECT_EQ(-1, accept(l, NULL, NULL));
	EXPECT_EQ(EAGAIN, errno);

	/* accept4's flags go to the new file. */
	c1 = stream_sock();
	ASSERT_LE(0, c1);
	ASSERT_EQ(0, connect_err(c1, A1, 5400));
	ASSERT_TRUE(poll_until(l, POLLIN, 3000));
	alen = sizeof(a);
	s1 = accept4(l, (struct sockaddr *)&a, &alen,
		     SOCK_NONBLOCK | SOCK_CLOEXEC);
	ASSERT_LE(0, s1) TH_LOG("accept4: %s", strerror(errno));
	EXPECT_SOCKADDR(&a, alen, A1, local_port(c1));
	fl = fcntl(s1, F_GETFL);
	EXPECT_TRUE(fl & O_NONBLOCK);
	EXPECT_TRUE(fcntl(s1, F_GETFD) & FD_CLOEXEC);
	EXPECT_EQ(-1, recv(s1, buf, sizeof(buf), 0));
	EXPECT_EQ(EAGAIN, errno);

	/* Without flags: neither, whatever the listener's own. */
	c2 = stream_sock();
	ASSERT_LE(0, c2);
	ASSERT_EQ(0, connect_err(c2, A1, 5400));
	ASSERT_TRUE(poll_until(l, POLLIN, 3000));
	s2 = accept(l, NULL, NULL);
	ASSERT_LE(0, s2);
	EXPECT_FALSE(fcntl(s2, F_GETFL) & O_NONBLOCK);
	EXPECT_FALSE(fcntl(s2, F_GETFD) & FD_CLOEXEC);

	/* accept() on what does not listen: EINVAL. */
	u = stream_sock();
	ASSERT_LE(0, u);
	EXPECT_EQ(-1, accept(u, NULL, NULL));
	EXPECT_EQ(EINVAL, errno);
	ASSERT_EQ(0, bind_err(u, A1, 5401));
	EXPECT_EQ(-1, accept(u, NULL, NULL));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, accept(c1, NULL, NULL));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, accept(s2, NULL, NULL));
	EXPECT_EQ(EINVAL, errno);
}

struct connector {
	pid_t waiter;		/* the thread that must be blocked first */
	const char *ip;
	int port;
	int fd;
	int err;
};

static void *connect_later(void *arg)
{
	struct connector *k = arg;

	k->err = -1;
	if (!wait_sleeping(k->waiter))
		return NULL;
	k->fd = stream_sock();
	k->err = connect_err(k->fd, k->ip, k->port);
	return NULL;
}

TEST_F(stream, accept_blocks_until_a_client_comes)
{
	struct connector k = { .waiter = my_tid(), .ip = A1, .port = 5500 };
	struct sockaddr_ttp a;
	socklen_t alen = sizeof(a);
	pthread_t th;
	int l, s;

	l = listener(A1, 5500, 4);
	ASSERT_LE(0, l);
	ASSERT_EQ(0, pthread_create(&th, NULL, connect_later, &k));
	/* The client only connects once this accept() sleeps. */
	s = accept(l, (struct sockaddr *)&a, &alen);
	EXPECT_LE(0, s) TH_LOG("accept: %s", strerror(errno));
	pthread_join(th, NULL);
	ASSERT_EQ(0, k.err);
	EXPECT_SOCKADDR(&a, alen, A1, local_port(k.fd));
}

#define NCLIENTS 4

TEST_F(stream, accept_queue_overflow)
{
	long ov0, dr0, ov, dr;
	int l, c[NCLIENTS], s[NCLIENTS], i, connected = 0;

	/* Dropped SYNs come back soon. */
	ASSERT_EQ(0, set_knob("stream_rto_init_ms", "100"));
	/* backlog 1: an accept queue of 2, as Linux's (> backlog is full). */
	l = listener(A1, 5600, 1);
	ASSERT_LE(0, l);
	ov0 = ttp_stat("StreamListenOverflows");
	dr0 = ttp_stat("StreamListenDrops");
	for (i = 0; i < NCLIENTS; i++) {
		c[i] = socket(AF_TTP, SOCK_STREAM | SOCK_NONBLOCK, 0);
		ASSERT_LE(0, c[i]);
		EXPECT_EQ(EINPROGRESS, connect_err(c[i], A1, 5600));
		/* One at a time, so which ones get in is known. */
		if (i < 2)
			ASSERT_TRUE(poll_until(c[i], POLLOUT, 3000));
	}
	ASSERT_TRUE(WAIT_FOR(ttp_stat("StreamListenOverflows") - ov0 >= 2,
			     3000));
	ov = ttp_stat("StreamListenOverflows") - ov0;
	dr = ttp_stat("StreamListenDrops") - dr0;
	EXPECT_LT(0, ov);
	EXPECT_LE(ov, dr);
	/* The last two wait in SYN_SENT: not writable, no error. */
	for (i = 0; i < NCLIENTS; i++)
		connected += !!(poll_ev(c[i], POLLOUT, 0) & POLLOUT);
	EXPECT_EQ(2, connected);
	EXPECT_EQ(0, poll_ev(c[2], POLLOUT, 0));
	EXPECT_EQ(0, so_error(c[3]));

	/* accept() makes room, and the retransmitted SYNs get in. */
	for (i = 0; i < NCLIENTS; i++) {
		s[i] = accept(l, NULL, NULL);
		EXPECT_LE(0, s[i]) TH_LOG("accept #%d: %s", i,
					  strerror(errno));
	}
	for (i = 0; i < NCLIENTS; i++) {
		EXPECT_TRUE(poll_until(c[i], POLLOUT, 3000));
		EXPECT_EQ(0, so_error(c[i]));
	}
}

TEST_F(stream, closing_listener_resets_its_children)
{
	long rst0, er0;
	int l, c1, c2;
	char buf[8];

	l = listener(A1, 5700, 4);
	ASSERT_LE(0, l);
	c1 = stream_sock();
	c2 = stream_sock();
	ASSERT_LE(0, c1);
	ASSERT_LE(0, c2);
	ASSERT_EQ(0, connect_err(c1, A1, 5700));
	ASSERT_EQ(0, connect_err(c2, A1, 5700));
	ASSERT_TRUE(poll_until(l, POLLIN, 3000));
	rst0 = ttp_stat("StreamOutRsts");
	er0 = ttp_stat("StreamEstabResets");
	close(l);		/* nobody accepted them */

	EXPECT_EQ(-1, recv(c1, buf, sizeof(buf), 0));
	EXPECT_EQ(ECONNRESET, errno);
	ASSERT_TRUE(error_pending(c2, 3000));
	/* The error first, once; then the pipe is broken. */
	EXPECT_EQ(-1, send(c2, "x", 1, MSG_NOSIGNAL));
	EXPECT_EQ(ECONNRESET, errno);
	EXPECT_EQ(-1, send(c2, "x", 1, MSG_NOSIGNAL));
	EXPECT_EQ(EPIPE, errno);
	EXPECT_EQ(2, ttp_stat("StreamOutRsts") - rst0);
	/* Both children and both clients were established. */
	EXPECT_EQ(4, ttp_stat("StreamEstabResets") - er0);
}

/* --- connect ---------------------------------------------------------- */

TEST_F(stream, connect_blocking_then_eisconn)
{
	long ao0, po0, ce0;
	int l, c, s;

	l = listener(A1, 5800, 4);
	ASSERT_LE(0, l);
	ao0 = ttp_stat("StreamActiveOpens");
	po0 = ttp_stat("StreamPassiveOpens");
	ce0 = ttp_stat("StreamCurrEstab");
	c = stream_sock();
	ASSERT_LE(0, c);
	ASSERT_EQ(0, connect_err(c, A1, 5800));
	/* Writable at once: the handshake is over when connect() returns. */
	EXPECT_EQ(POLLOUT, poll_ev(c, POLLIN | POLLOUT, 0));
	EXPECT_EQ(EISCONN, connect_err(c, A1, 5800));
	EXPECT_EQ(EISCONN, connect_err(c, A2, 5801));
	s = accept(l, NULL, NULL);
	ASSERT_LE(0, s);
	EXPECT_EQ(1, ttp_stat("StreamActiveOpens") - ao0);
	EXPECT_EQ(1, ttp_stat("StreamPassiveOpens") - po0);
	EXPECT_EQ(2, ttp_stat("StreamCurrEstab") - ce0);
	/* A listener connects nowhere. */
	EXPECT_EQ(EISCONN, connect_err(l, A1, 5800));
}

TEST_F(stream, connect_nonblocking)
{
	int l, c, n;

	l = listener(A1, 5900, 4);
	ASSERT_LE(0, l);
	c = socket(AF_TTP, SOCK_STREAM | SOCK_NONBLOCK, 0);
	ASSERT_LE(0, c);
	EXPECT_EQ(EINPROGRESS, connect_err(c, A1, 5900));
	EXPECT_TRUE(poll_until(c, POLLOUT, 3000));
	EXPECT_EQ(0, so_error(c));
	/* As on Linux: the next connect() reports success, then EISCONN. */
	EXPECT_EQ(0, connect_err(c, A1, 5900));
	EXPECT_EQ(EISCONN, connect_err(c, A1, 5900));

	/* A peer that never answers: the attempt stays in progress. */
	n = socket(AF_TTP, SOCK_STREAM | SOCK_NONBLOCK, 0);
	ASSERT_LE(0, n);
	EXPECT_EQ(EINPROGRESS, connect_err(n, SILENT, 80));
	EXPECT_EQ(EALREADY, connect_err(n, SILENT, 80));
	EXPECT_EQ(0, poll_ev(n, POLLOUT | POLLIN, 0));
	EXPECT_EQ(0, so_error(n));
	EXPECT_EQ(EALREADY, connect_err(n, SILENT, 80));
}

TEST_F(stream, connect_refused)
{
	long af0;
	short ev;
	int c, n, l;

	af0 = ttp_stat("StreamAttemptFails");
	c = stream_sock();
	ASSERT_LE(0, c);
	EXPECT_EQ(ECONNREFUSED, connect_err(c, A1, 6000));
	EXPECT_EQ(1, ttp_stat("StreamAttemptFails") - af0);
	EXPECT_EQ(0, so_error(c));

	/* Non-blocking: POLLOUT with POLLERR, then SO_ERROR, once. */
	n = socket(AF_TTP, SOCK_STREAM | SOCK_NONBLOCK, 0);
	ASSERT_LE(0, n);
	EXPECT_EQ(EINPROGRESS, connect_err(n, A2, 6001));
	ASSERT_TRUE(poll_until(n, POLLOUT, 3000));
	ev = poll_ev(n, POLLOUT, 0);
	EXPECT_TRUE(ev & POLLERR);
	EXPECT_EQ(ECONNREFUSED, so_error(n));
	EXPECT_EQ(0, so_error(n));
	EXPECT_EQ(2, ttp_stat("StreamAttemptFails") - af0);

	/* A refused socket may try again, as on Linux. */
	l = listener(A1, 6000, 4);
	ASSERT_LE(0, l);
	EXPECT_EQ(0, connect_err(c, A1, 6000));
}

TEST_F(stream, connect_etimedout_silent_peer)
{
	long af0, t0, el;
	int c, n;

	/* SYN at 0, again at 100 ms, given up at 300 ms. */
	ASSERT_EQ(0, set_knob("stream_syn_retries", "1"));
	ASSERT_EQ(0, set_knob("stream_rto_init_ms", "100"));
	af0 = ttp_stat("StreamAttemptFails");
	c = stream_sock();
	ASSERT_LE(0, c);
	t0 = now_ms();
	EXPECT_EQ(ETIMEDOUT, connect_err(c, SILENT, 80));
	el = now_ms() - t0;
	EXPECT_LE(290, el);
	EXPECT_GT(3000 * time_scale(), el) TH_LOG("took %ld ms", el);

	n = socket(AF_TTP, SOCK_STREAM | SOCK_NONBLOCK, 0);
	ASSERT_LE(0, n);
	EXPECT_EQ(EINPROGRESS, connect_err(n, SILENT, 81));
	EXPECT_TRUE(poll_until(n, POLLERR, 3000));
	EXPECT_EQ(ETIMEDOUT, so_error(n));
	EXPECT_EQ(2, ttp_stat("StreamAttemptFails") - af0);
}

/*
 * ARP gives up before the SYN retries do.  Linux's TCP would fail the
 * connect with EHOSTUNREACH there; TTP's stream sockets are not told of
 * ARP failures (their segments are orphaned when they leave), so the
 * SYNs go on until the retries are out: ETIMEDOUT, as
 * Documentation/stream.md's connect errors say.
 */
/*
 * ARP fails for the address: the connect fails at once with
 * EHOSTUNREACH, as Linux's after its neighbour gives up (tcp_v4_err() in
 * SYN_SENT), not when the SYN retries run out.
 */
TEST_F(stream, connect_ehostunreach_arp_fails)
{
	long rf0, t0, el;
	int c, n;

	ASSERT_EQ(0, set_knob("arp_retries", "1"));
	ASSERT_EQ(0, set_knob("arp_retrans_ms", "50"));
	/* The SYN timer alone would give up only after 2 x 4 s. */
	ASSERT_EQ(0, set_knob("stream_syn_retries", "1"));
	ASSERT_EQ(0, set_knob("stream_rto_init_ms", "4000"));
	rf0 = ttp_stat("ArpResolveFailed");

	c = stream_sock();
	ASSERT_LE(0, c);
	t0 = now_ms();
	EXPECT_EQ(EHOSTUNREACH, connect_err(c, GHOST, 80));
	el = now_ms() - t0;
	EXPECT_GT(4000 * time_scale(), el) TH_LOG("took %ld ms", el);
	EXPECT_LE(1, ttp_stat("ArpResolveFailed") - rf0);

	n = socket(AF_TTP, SOCK_STREAM | SOCK_NONBLOCK, 0);
	ASSERT_LE(0, n);
	EXPECT_EQ(EINPROGRESS, connect_err(n, "10.0.0.7", 80));
	EXPECT_TRUE(poll_until(n, POLLERR, 3000 * time_scale())) {
		dump_file("/proc/net/ttp/arp");
		dump_file("/proc/net/ttp/sockets");
	}
	EXPECT_EQ(EHOSTUNREACH, so_error(n));
	close(c);
	close(n);
}

/* --- readiness -------------------------------------------------------- */

TEST_F(stream, poll_readiness)
{
	int l, c, s, c2, s2, x;
	short ev;
	char buf[8];

	ASSERT_EQ(0, make_pair(6100, &c, &s));
	/* Connected, nothing queued: writable only. */
	EXPECT_EQ(POLLOUT, poll_ev(s, POLLIN | POLLOUT | POLLRDHUP, 0));

	/* Data: POLLIN. */
	ASSERT_EQ(1, send(c, "x", 1, 0));
	ASSERT_TRUE(poll_until(s, POLLIN, 3000));
	EXPECT_EQ(POLLIN | POLLOUT, poll_ev(s, POLLIN | POLLOUT | POLLRDHUP,
					    0));
	ASSERT_EQ(1, recv(s, buf, sizeof(buf), 0));
	EXPECT_EQ(POLLOUT, poll_ev(s, POLLIN | POLLOUT | POLLRDHUP, 0));

	/* EOF: POLLIN and POLLRDHUP, not POLLHUP (we can still send). */
	ASSERT_EQ(0, shutdown(c, SHUT_WR));
	ASSERT_TRUE(poll_until(s, POLLRDHUP, 3000));
	ev = poll_ev(s, POLLIN | POLLOUT | POLLRDHUP, 0);
	EXPECT_EQ(POLLIN | POLLOUT | POLLRDHUP, ev);
	EXPECT_EQ(0, recv(s, buf, sizeof(buf), 0));

	/* Both directions shut: POLLHUP. */
	EXPECT_FALSE(poll_ev(c, POLLIN, 0) & POLLHUP);
	ASSERT_EQ(0, shutdown(s, SHUT_WR));
	EXPECT_TRUE(poll_until(c, POLLIN | POLLRDHUP, 3000));
	EXPECT_TRUE(poll_ev(c, POLLIN, 0) & POLLHUP);
	EXPECT_TRUE(poll_ev(s, POLLIN, 0) & POLLHUP);

	/* A listener: POLLIN when a connection waits for accept(). */
	l = listener(A1, 6101, 4);
	ASSERT_LE(0, l);
	EXPECT_EQ(0, poll_ev(l, POLLIN | POLLOUT, 0));
	x = stream_sock();
	ASSERT_LE(0, x);
	ASSERT_EQ(0, connect_err(x, A1, 6101));
	EXPECT_TRUE(poll_until(l, POLLIN, 3000));
	s2 = accept(l, NULL, NULL);
	ASSERT_LE(0, s2);
	EXPECT_EQ(0, poll_ev(l, POLLIN, 0));
	close(s2);

	/* An RST: POLLERR, and SO_ERROR says why. */
	ASSERT_EQ(0, make_pair(6102, &c2, &s2));
	EXPECT_FALSE(poll_ev(c2, POLLIN, 0) & POLLERR);
	ASSERT_EQ(0, set_linger(s2, 1, 0));
	close(s2);
	EXPECT_TRUE(error_pending(c2, 3000));
	EXPECT_EQ(ECONNRESET, so_error(c2));
}

TEST_F(stream, select_and_epoll)
{
	struct epoll_event ev = { .events = EPOLLIN | EPOLLRDHUP }, got;
	struct timeval tv = { 0 };
	fd_set rd, wr;
	int c, s, ep;
	char buf[8];

	ASSERT_EQ(0, make_pair(6200, &c, &s));
	FD_ZERO(&rd);
	FD_ZERO(&wr);
	FD_SET(s, &rd);
	FD_SET(s, &wr);
	ASSERT_EQ(1, select(s + 1, &rd, &wr, NULL, &tv));
	EXPECT_FALSE(FD_ISSET(s, &rd));
	EXPECT_TRUE(FD_ISSET(s, &wr));
	ASSERT_EQ(2, send(c, "hi", 2, 0));
	FD_ZERO(&rd);
	FD_SET(s, &rd);
	tv.tv_sec = 3 * time_scale();
	ASSERT_EQ(1, select(s + 1, &rd, NULL, NULL, &tv));
	EXPECT_TRUE(FD_ISSET(s, &rd));
	ASSERT_EQ(2, recv(s, buf, sizeof(buf), 0));

	ep = epoll_create1(0);
	ASSERT_LE(0, ep);
	ev.data.fd = s;
	ASSERT_EQ(0, epoll_ctl(ep, EPOLL_CTL_ADD, s, &ev));
	EXPECT_EQ(0, epoll_wait(ep, &got, 1, 0));
	ASSERT_EQ(3, send(c, "abc", 3, 0));
	ASSERT_EQ(1, epoll_wait(ep, &got, 1, 3000 * time_scale()));
	EXPECT_EQ(EPOLLIN, got.events);
	EXPECT_EQ(s, got.data.fd);
	ASSERT_EQ(3, recv(s, buf, sizeof(buf), 0));
	EXPECT_EQ(0, epoll_wait(ep, &got, 1, 0));
	ASSERT_EQ(0, shutdown(c, SHUT_WR));
	ASSERT_EQ(1, epoll_wait(ep, &got, 1, 3000 * time_scale()));
	EXPECT_EQ(EPOLLIN | EPOLLRDHUP, got.events);
	close(ep);
}

/* --- data ------------------------------------------------------------- */

#define BULK (256 * 1024)

struct bulk {
	int fd;
	ssize_t sent;
};

static void *bulk_writer(void *arg)
{
	static unsigned char data[BULK];
	struct bulk *b = arg;
	ssize_t n;
	int i;

	for (i = 0; i < BULK; i++)
		data[i] = i * 7 + i / 251;
	b->sent = 0;
	while (b->sent < BULK) {
		n = write(b->fd, data + b->sent, BULK - b->sent);
		if (n <= 0)
			break;
		b->sent += n;
	}
	return NULL;
}

TEST_F(stream, data_calls_in_order)
{
	static unsigned char in[BULK];
	char buf[64], b1[3], b2[16];
	struct iovec iov[2];
	struct msghdr msg;
	struct bulk bk;
	pthread_t th;
	int c, s, i, bad = 0;

	ASSERT_EQ(0, make_pair(6300, &c, &s));

	ASSERT_EQ(5, send(c, "send;", 5, 0));
	ASSERT_EQ(6, write(c, "write;", 6));
	memset(&msg, 0, sizeof(msg));
	iov[0] = (struct iovec){ .iov_base = "send", .iov_len = 4 };
	iov[1] = (struct iovec){ .iov_base = "msg;", .iov_len = 4 };
	msg.msg_iov = iov;
	msg.msg_iovlen = 2;
	ASSERT_EQ(8, sendmsg(c, &msg, 0));
	iov[0] = (struct iovec){ .iov_base = "wri", .iov_len = 3 };
	iov[1] = (struct iovec){ .iov_base = "tev;", .iov_len = 4 };
	ASSERT_EQ(7, writev(c, iov, 2));

	memset(buf, 0, sizeof(buf));
	ASSERT_EQ(5, recv_n(s, buf, 5));
	EXPECT_STREQ("send;", buf);
	memset(buf, 0, sizeof(buf));
	ASSERT_EQ(6, read(s, buf, 6));
	EXPECT_STREQ("write;", buf);
	memset(&msg, 0, sizeof(msg));
	memset(b1, 0, sizeof(b1));
	memset(b2, 0, sizeof(b2));
	iov[0] = (struct iovec){ .iov_base = b1, .iov_len = sizeof(b1) };
	iov[1] = (struct iovec){ .iov_base = b2, .iov_len = 5 };
	msg.msg_iov = iov;
	msg.msg_iovlen = 2;
	ASSERT_EQ(8, recvmsg(s, &msg, MSG_WAITALL));
	EXPECT_EQ(0, memcmp(b1, "sen", 3));
	EXPECT_EQ(0, memcmp(b2, "dmsg;", 5));
	EXPECT_EQ(0, msg.msg_flags);
	memset(b1, 0, sizeof(b1));
	memset(b2, 0, sizeof(b2));
	iov[0] = (struct iovec){ .iov_base = b1, .iov_len = 2 };
	iov[1] = (struct iovec){ .iov_base = b2, .iov_len = 5 };
	ASSERT_EQ(7, readv(s, iov, 2));
	EXPECT_EQ(0, memcmp(b1, "wr", 2));
	EXPECT_EQ(0, memcmp(b2, "itev;", 5));
	EXPECT_EQ(-1, recv(s, buf, sizeof(buf), MSG_DONTWAIT));
	EXPECT_EQ(EAGAIN, errno);

	/* Many windows' worth, while we read: every byte, in order. */
	bk.fd = c;
	ASSERT_EQ(0, pthread_create(&th, NULL, bulk_writer, &bk));
	EXPECT_EQ(BULK, recv_n(s, in, BULK));
	pthread_join(th, NULL);
	EXPECT_EQ(BULK, bk.sent);
	for (i = 0; i < BULK; i++)
		bad += in[i] != (unsigned char)(i * 7 + i / 251);
	EXPECT_EQ(0, bad);
}

TEST_F(stream, msg_dontwait_and_peek)
{
	char buf[16];
	long t0;
	int c, s;

	ASSERT_EQ(0, make_pair(6400, &c, &s));
	/* s blocks for 5 s: DONTWAIT must not. */
	t0 = now_ms();
	EXPECT_EQ(-1, recv(s, buf, sizeof(buf), MSG_DONTWAIT));
	EXPECT_EQ(EAGAIN, errno);
	EXPECT_GT(1000 * time_scale(), now_ms() - t0);

	ASSERT_EQ(8, send(c, "peekaboo", 8, 0));
	ASSERT_TRUE(WAIT_FOR(inq(s) == 8, 3000));
	memset(buf, 0, sizeof(buf));
	EXPECT_EQ(8, recv(s, buf, sizeof(buf), MSG_PEEK));
	EXPECT_STREQ("peekaboo", buf);
	memset(buf, 0, sizeof(buf));
	EXPECT_EQ(4, recv(s, buf, 4, MSG_PEEK | MSG_DONTWAIT));
	EXPECT_STREQ("peek", buf);
	EXPECT_EQ(8, inq(s));
	/* A read of part of it; a peek sees the rest. */
	memset(buf, 0, sizeof(buf));
	EXPECT_EQ(3, recv(s, buf, 3, 0));
	EXPECT_STREQ("pee", buf);
	memset(buf, 0, sizeof(buf));
	EXPECT_EQ(5, recv(s, buf, sizeof(buf), MSG_PEEK));
	EXPECT_STREQ("kaboo", buf);
	memset(buf, 0, sizeof(buf));
	EXPECT_EQ(5, recv(s, buf, sizeof(buf), 0));
	EXPECT_STREQ("kaboo", buf);
	EXPECT_EQ(-1, recv(s, buf, sizeof(buf), MSG_DONTWAIT | MSG_PEEK));
	EXPECT_EQ(EAGAIN, errno);

	/* A non-blocking file does not wait either. */
	ASSERT_EQ(0, fcntl(s, F_SETFL, fcntl(s, F_GETFL) | O_NONBLOCK));
	EXPECT_EQ(-1, recv(s, buf, sizeof(buf), 0));
	EXPECT_EQ(EAGAIN, errno);
	EXPECT_EQ(-1, read(s, buf, sizeof(buf)));
	EXPECT_EQ(EAGAIN, errno);
}

struct pieces {
	pid_t reader;
	int fd;		/* ours */
	int rfd;	/* the reader's */
	int sent;
};

/*
 * Three pieces, each once the reader took the last one and went back to
 * sleep in its recv().
 */
static void *send_pieces(void *arg)
{
	struct pieces *p = arg;
	int i;

	for (i = 0; i < 3; i++) {
		if (!WAIT_FOR(inq(p->rfd) == 0 &&
			      task_state(p->reader) == 'S', 3000))
			break;
		if (send(p->fd, "0123456789", 10, 0) != 10)
			break;
		p->sent += 10;
	}
	return NULL;
}

TEST_F(stream, msg_waitall)
{
	struct pieces p = { .reader = my_tid() };
	char buf[64];
	pthread_t th;
	int c, s;

	ASSERT_EQ(0, make_pair(6500, &c, &s));
	/* Without MSG_WAITALL a read returns what there is. */
	ASSERT_EQ(10, send(c, "0123456789", 10, 0));
	ASSERT_TRUE(WAIT_FOR(inq(s) == 10, 3000));
	EXPECT_EQ(10, recv(s, buf, sizeof(buf), 0));

	p.fd = c;
	p.rfd = s;
	ASSERT_EQ(0, pthread_create(&th, NULL, send_pieces, &p));
	memset(buf, 0, sizeof(buf));
	EXPECT_EQ(30, recv(s, buf, 30, MSG_WAITALL));
	pthread_join(th, NULL);
	EXPECT_EQ(30, p.sent);
	EXPECT_STREQ("012345678901234567890123456789", buf);
}

TEST_F(stream, so_rcvtimeo)
{
	char buf[8];
	long t0, el;
	int c, s;

	ASSERT_EQ(0, make_pair(6600, &c, &s));
	ASSERT_EQ(0, set_timeo(s, SO_RCVTIMEO, 400));
	t0 = now_ms();
	EXPECT_EQ(-1, recv(s, buf, sizeof(buf), 0));
	EXPECT_EQ(EAGAIN, errno);
	el = now_ms() - t0;
	EXPECT_LE(390, el);
	EXPECT_GT(400 + 2000 * time_scale(), el) TH_LOG("took %ld ms", el);
}

TEST_F(stream, so_sndtimeo_window_full)
{
	static char chunk[16384], sink[65536];
	long sent = 0, got = 0, t0, el;
	ssize_t n;
	int c, s, i;

	ASSERT_EQ(0, make_pair(6700, &c, &s));
	/*
	 * s reads nothing: fill its window and c's send buffer.  ACKs of
	 * what was in flight free buffer space for a while after the
	 * first EAGAIN: fill again until no POLLOUT comes for 300 ms.
	 */
	for (i = 0; i < 1000; i++) {
		n = send(c, chunk, sizeof(chunk), MSG_DONTWAIT);
		if (n >= 0) {
			sent += n;
			continue;
		}
		ASSERT_EQ(EAGAIN, errno);
		if (!(poll_ev(c, POLLOUT, 300) & POLLOUT))
			break;
	}
	ASSERT_GT(1000, i);
	EXPECT_LT(0, sent);
	EXPECT_EQ(0, poll_ev(c, POLLOUT, 0));

	ASSERT_EQ(0, set_timeo(c, SO_SNDTIMEO, 300));
	t0 = now_ms();
	EXPECT_EQ(-1, send(c, chunk, 1, 0));
	EXPECT_EQ(EAGAIN, errno);
	el = now_ms() - t0;
	EXPECT_LE(290, el);
	EXPECT_GT(300 + 2000 * time_scale(), el) TH_LOG("took %ld ms", el);

	/*
	 * Reading opens the window again: every byte comes (what c still
	 * had queued follows as the window opens), and c is writable.
	 */
	while (got < sent && (poll_ev(s, POLLIN, 3000) & POLLIN)) {
		n = recv(s, sink, sizeof(sink), MSG_DONTWAIT);
		if (n <= 0)
			break;
		got += n;
	}
	EXPECT_EQ(sent, got);
	EXPECT_TRUE(poll_until(c, POLLOUT, 3000));
}

TEST_F(stream, epipe_and_sigpipe)
{
	int c, s, c2, s2;

	ASSERT_EQ(0, catch_signal(SIGPIPE, on_sigpipe));
	ASSERT_EQ(0, make_pair(6800, &c, &s));
	ASSERT_EQ(0, shutdown(c, SHUT_WR));
	sigpipes = 0;
	EXPECT_EQ(-1, send(c, "x", 1, 0));
	EXPECT_EQ(EPIPE, errno);
	EXPECT_EQ(1, sigpipes);
	EXPECT_EQ(-1, write(c, "x", 1));
	EXPECT_EQ(EPIPE, errno);
	EXPECT_EQ(2, sigpipes);
	EXPECT_EQ(-1, send(c, "x", 1, MSG_NOSIGNAL));
	EXPECT_EQ(EPIPE, errno);
	EXPECT_EQ(2, sigpipes);

	/* After the peer's RST: ECONNRESET once, then EPIPE. */
	ASSERT_EQ(0, make_pair(6801, &c2, &s2));
	ASSERT_EQ(0, set_linger(s2, 1, 0));
	close(s2);
	ASSERT_TRUE(error_pending(c2, 3000));
	sigpipes = 0;
	EXPECT_EQ(-1, send(c2, "x", 1, 0));
	EXPECT_EQ(ECONNRESET, errno);
	EXPECT_EQ(0, sigpipes);
	EXPECT_EQ(-1, send(c2, "x", 1, 0));
	EXPECT_EQ(EPIPE, errno);
	EXPECT_EQ(1, sigpipes);
	EXPECT_EQ(-1, send(c2, "x", 1, MSG_NOSIGNAL));
	EXPECT_EQ(EPIPE, errno);
	EXPECT_EQ(1, sigpipes);
}

TEST_F(stream, shutdown_modes)
{
	char buf[16];
	long t0;
	int u, c, s, c2, s2;

	/* Nothing to shut down yet. */
	u = stream_sock();
	ASSERT_LE(0, u);
	EXPECT_EQ(-1, shutdown(u, SHUT_RDWR));
	EXPECT_EQ(ENOTCONN, errno);
	ASSERT_EQ(0, bind_err(u, A1, 6900));
	EXPECT_EQ(-1, shutdown(u, SHUT_WR));
	EXPECT_EQ(ENOTCONN, errno);

	ASSERT_EQ(0, make_pair(6901, &c, &s));
	EXPECT_EQ(-1, shutdown(c, 3));
	EXPECT_EQ(EINVAL, errno);
	/* SHUT_RD: reads return 0 at once (s would wait 5 s). */
	ASSERT_EQ(0, shutdown(s, SHUT_RD));
	t0 = now_ms();
	EXPECT_EQ(0, recv(s, buf, sizeof(buf), 0));
	EXPECT_GT(1000 * time_scale(), now_ms() - t0);

	/* SHUT_WR is a half-close: EOF over there, but it can answer. */
	ASSERT_EQ(0, shutdown(c, SHUT_WR));
	EXPECT_EQ(0, recv(s, buf, sizeof(buf), 0));
	ASSERT_EQ(4, send(s, "back", 4, 0));
	memset(buf, 0, sizeof(buf));
	EXPECT_EQ(4, recv_n(c, buf, 4));
	EXPECT_STREQ("back", buf);
	close(s);
	EXPECT_EQ(0, recv(c, buf, sizeof(buf), 0));

	/* SHUT_RDWR: both. */
	ASSERT_EQ(0, make_pair(6902, &c2, &s2));
	ASSERT_EQ(0, shutdown(c2, SHUT_RDWR));
	EXPECT_EQ(0, recv(s2, buf, sizeof(buf), 0));
	EXPECT_EQ(0, recv(c2, buf, sizeof(buf), 0));
	EXPECT_EQ(-1, send(c2, "x", 1, MSG_NOSIGNAL));
	EXPECT_EQ(EPIPE, errno);
	/* The other way still works: s2 may send, c2 no longer reads. */
	EXPECT_EQ(1, send(s2, "y", 1, MSG_NOSIGNAL));
}

TEST_F(stream, signals_interrupt_blocking_calls)
{
	long t0, el;
	int c, s, l, n;
	char buf[8];

	ASSERT_EQ(0, catch_signal(SIGALRM, on_alarm));

	/* recv */
	ASSERT_EQ(0, make_pair(7000, &c, &s));
	ASSERT_EQ(0, no_timeouts(s));
	ASSERT_EQ(0, alarm_in(200));
	t0 = now_ms();
	EXPECT_EQ(-1, recv(s, buf, sizeof(buf), 0));
	EXPECT_EQ(EINTR, errno);
	el = now_ms() - t0;
	EXPECT_LE(190, el);
	EXPECT_EQ(1, alarms);

	/* accept */
	l = listener(A1, 7001, 4);
	ASSERT_LE(0, l);
	ASSERT_EQ(0, no_timeouts(l));
	ASSERT_EQ(0, alarm_in(200));
	EXPECT_EQ(-1, accept(l, NULL, NULL));
	EXPECT_EQ(EINTR, errno);
	EXPECT_EQ(2, alarms);

	/* connect: interrupted, the attempt goes on (EALREADY). */
	n = stream_sock();
	ASSERT_LE(0, n);
	ASSERT_EQ(0, no_timeouts(n));
	ASSERT_EQ(0, alarm_in(200));
	EXPECT_EQ(EINTR, connect_err(n, SILENT, 80));
	EXPECT_EQ(3, alarms);
	ASSERT_EQ(0, fcntl(n, F_SETFL, fcntl(n, F_GETFL) | O_NONBLOCK));
	EXPECT_EQ(EALREADY, connect_err(n, SILENT, 80));
}

/* --- abort ------------------------------------------------------------ */

TEST_F(stream, close_with_unread_data_resets)
{
	long rst0, er0;
	char buf[8];
	int c, s;

	ASSERT_EQ(0, make_pair(7100, &c, &s));
	ASSERT_EQ(6, send(c, "unread", 6, 0));
	ASSERT_TRUE(WAIT_FOR(inq(s) == 6, 3000));
	rst0 = ttp_stat("StreamOutRsts");
	er0 = ttp_stat("StreamEstabResets");
	close(s);
	EXPECT_EQ(-1, recv(c, buf, sizeof(buf), 0));
	EXPECT_EQ(ECONNRESET, errno);
	/* Once: then it is over, EOF. */
	EXPECT_EQ(0, recv(c, buf, sizeof(buf), 0));
	EXPECT_EQ(1, ttp_stat("StreamOutRsts") - rst0);
	EXPECT_EQ(2, ttp_stat("StreamEstabResets") - er0);
}

TEST_F(stream, so_linger_zero_resets)
{
	long rst0, er0;
	char buf[8];
	int c, s, c2, s2;

	/* Without it, close() is a FIN: EOF, no RST. */
	ASSERT_EQ(0, make_pair(7200, &c, &s));
	rst0 = ttp_stat("StreamOutRsts");
	er0 = ttp_stat("StreamEstabResets");
	close(s);
	EXPECT_EQ(0, recv(c, buf, sizeof(buf), 0));
	EXPECT_EQ(0, ttp_stat("StreamOutRsts") - rst0);
	EXPECT_EQ(0, ttp_stat("StreamEstabResets") - er0);

	ASSERT_EQ(0, make_pair(7201, &c2, &s2));
	ASSERT_EQ(0, set_linger(s2, 1, 0));
	rst0 = ttp_stat("StreamOutRsts");
	er0 = ttp_stat("StreamEstabResets");
	close(s2);
	EXPECT_EQ(-1, recv(c2, buf, sizeof(buf), 0));
	EXPECT_EQ(ECONNRESET, errno);
	EXPECT_EQ(1, ttp_stat("StreamOutRsts") - rst0);
	EXPECT_EQ(2, ttp_stat("StreamEstabResets") - er0);
}

TEST_HARNESS_MAIN
