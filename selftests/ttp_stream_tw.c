// SPDX-License-Identifier: GPL-2.0
/*
 * ttp_stream_tw: the TIME_WAIT table of stream sockets (issue 4), seen
 * from user space: /proc/net/ttp/timewait, its counters and sysctls, the
 * port rules of bind() and connect(), the reuse of an entry by a new SYN,
 * and 80k server-side closes against a 60k limit (the limit, memory, the
 * file read whole, the namespace going).
 *
 * Each test runs in a child of the harness, in a network namespace of its
 * own (counters and the table are exact, everything goes with the child):
 *
 *   t0       10.0.0.1/24  --- cable ---  t0-peer  10.0.1.1/24
 *
 * Both ends are in the namespace, so both addresses are local and the
 * segments take the local path.  The client is 10.0.0.1 (CLI), the server
 * 10.0.1.1 (SRV); the one table of the namespace holds both sides'
 * entries, told apart by their Local column.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <linux/ttp.h>

#include "kselftest_harness.h"
#include "ttp_common.h"

#define CLI	"10.0.0.1"	/* t0 */
#define SRV	"10.0.1.1"	/* t0-peer */

static const char topology[] =
	"link set lo up\n"
	"link add t0 type ttp\n"
	"addr add 10.0.0.1/24 dev t0\n"
	"addr add 10.0.1.1/24 dev t0-peer\n"
	"link set t0 up\n"
	"link set t0-peer up\n";

/* --- helpers ---------------------------------------------------------- */

/* The first number in @path, or -1. */
static long read_long(const char *path)
{
	long v = -1;
	FILE *f = fopen(path, "r");

	if (!f)
		return -1;
	if (fscanf(f, "%ld", &v) != 1)
		v = -1;
	fclose(f);
	return v;
}

static int set_sysctl(const char *name, long val)
{
	char path[128], buf[32];

	snprintf(path, sizeof(path), "/proc/sys/net/ttp/%s", name);
	snprintf(buf, sizeof(buf), "%ld", val);
	return write_file(path, buf);
}

static long get_sysctl(const char *name)
{
	char path[128];

	snprintf(path, sizeof(path), "/proc/sys/net/ttp/%s", name);
	return read_long(path);
}

/* A stream socket; with @timeouts, blocking calls give up after 5 s. */
static int stream_sock(bool timeouts)
{
	struct timeval tv = { .tv_sec = 5 * time_scale() };
	int fd = socket(AF_TTP, SOCK_STREAM, 0);

	if (fd >= 0 && timeouts) {
		setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
		setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	}
	return fd;
}

static int set_reuse(int fd)
{
	int one = 1;

	return setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
}

/* A listener on @ip:@port, or -1. */
static int listener(const char *ip, int port)
{
	int fd = stream_sock(true);

	if (fd < 0)
		return -1;
	if (bind_err(fd, ip, port) || listen(fd, 16)) {
		close(fd);
		return -1;
	}
	return fd;
}

/*
 * A connection from CLI (port @cport, 0: an ephemeral one; @reuse: with
 * SO_REUSEADDR) to the listener @l on SRV:@sport.  0 or an errno.
 */
static int open_conn(int l, int cport, bool reuse, int sport, int *c,
		     int *s)
{
	int err;

	*s = -1;
	*c = stream_sock(true);
	if (*c < 0)
		return errno;
	if (reuse && set_reuse(*c))
		return errno;
	/* Bound to CLI: the route alone would pick SRV, a local address. */
	err = bind_err(*c, CLI, cport);
	if (err)
		return err;
	err = connect_err(*c, SRV, sport);
	if (err)
		return err;
	*s = accept(l, NULL, NULL);
	return *s < 0 ? errno : 0;
}

static int ttp_info(int fd, struct ttp_info *ti)
{
	socklen_t len = sizeof(*ti);

	memset(ti, 0, sizeof(*ti));
	if (getsockopt(fd, SOL_TTP, TTP_INFO, ti, &len))
		return -1;
	return len == sizeof(*ti) ? 0 : -1;
}

static int ttp_state(int fd)
{
	struct ttp_info ti;

	return ttp_info(fd, &ti) ? -1 : ti.ttpi_state;
}

/*
 * The FINs cross one at a time: @a half-closes first (its FIN), @b reads
 * the EOF and closes (the second FIN).  @a ends in TIME_WAIT, @b (closed
 * here) goes LAST_ACK -> CLOSED.  @a stays open for the caller.  0 or -1.
 */
static int close_first(int a, int b)
{
	char ch;

	if (shutdown(a, SHUT_WR))
		return -1;
	if (read(b, &ch, 1) != 0)	/* EOF: @a's FIN arrived */
		return -1;
	return close(b);
}

/* --- /proc/net/ttp/timewait -------------------------------------------- */

struct tw_line {
	char local[32], remote[32];
	unsigned long snd_nxt, rcv_nxt;
	long expires;
};

/*
 * Parse the file: -1 if it cannot be read or its header is not the
 * documented one, else the number of entry lines (the first @max kept in
 * @out, which may be NULL).  A line that does not parse counts as -1.
 */
static int tw_read(struct tw_line *out, int max)
{
	char line[256], hdr[128], l[32], r[32], extra[8];
	unsigned long sn, rn;
	long ex;
	int n = 0;
	FILE *f;

	f = fopen("/proc/net/ttp/timewait", "r");
	if (!f)
		return -1;
	/* The documented header: columns 21, 21, 10, 10 and 9 wide. */
	snprintf(hdr, sizeof(hdr), "%-21s %-21s %-10s %-10s %9s\n", "Local",
		 "Remote", "SndNxt", "RcvNxt", "ExpiresMs");
	if (!fgets(line, sizeof(line), f) || strcmp(line, hdr)) {
		fclose(f);
		return -1;
	}
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%31s %31s %lu %lu %ld %7s", l, r, &sn, &rn,
			   &ex, extra) != 5) {
			n = -1;
			break;
		}
		if (out && n < max) {
			snprintf(out[n].local, sizeof(out[n].local), "%s", l);
			snprintf(out[n].remote, sizeof(out[n].remote), "%s", r);
			out[n].snd_nxt = sn;
			out[n].rcv_nxt = rn;
			out[n].expires = ex;
		}
		n++;
	}
	fclose(f);
	return n;
}

/* Entry lines in the table (-1: unreadable). */
static int tw_count(void)
{
	return tw_read(NULL, 0);
}

/* How many entries have @local and @remote ("a.b.c.d:port"); the last in @tl. */
static int tw_find(const char *local, const char *remote, struct tw_line *tl)
{
	struct tw_line all[64];
	int n = tw_read(all, 64), i, found = 0;

	if (n < 0 || n > 64)
		return -1;
	for (i = 0; i < n; i++) {
		if (strcmp(all[i].local, local) || strcmp(all[i].remote, remote))
			continue;
		if (tl)
			*tl = all[i];
		found++;
	}
	return found;
}

/* A /proc file into the test's log, on a failure. */
static void dump(const char *path)
{
	char line[512];
	FILE *f = fopen(path, "r");

	fprintf(stderr, "# %s:\n", path);
	while (f && fgets(line, sizeof(line), f))
		fprintf(stderr, "#   %s", line);
	if (f)
		fclose(f);
}

#define DUMP_TABLES() do {						\
	dump("/proc/net/ttp/timewait");					\
	dump("/proc/net/ttp/sockets");					\
} while (0)

static const char *ap(char *buf, const char *ip, int port)
{
	sprintf(buf, "%s:%d", ip, port);
	return buf;
}

/* Lines of /proc/net/ttp/sockets containing @what (-1: unreadable). */
static int sockets_lines_with(const char *what)
{
	char line[512];
	int n = 0;
	FILE *f = fopen("/proc/net/ttp/sockets", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (strstr(line, what))
			n++;
	fclose(f);
	return n;
}

/* The strm line of the connection @local -> @remote in State ESTABLISHED? */
static bool sockets_estab(const char *local, const char *remote)
{
	char line[512], proto[16], l[32], r[32], st[32];
	bool found = false;
	FILE *f = fopen("/proc/net/ttp/sockets", "r");

	if (!f)
		return false;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%15s %31s %31s %31s", proto, l, r, st) == 4 &&
		    !strcmp(proto, "strm") && !strcmp(l, local) &&
		    !strcmp(r, remote) && !strcmp(st, "ESTABLISHED"))
			found = true;
	fclose(f);
	return found;
}

/* --- the fixture: a namespace of our own ------------------------------ */

FIXTURE(tw) {
	int l;		/* a listener on SRV:5000 */
};

FIXTURE_SETUP(tw)
{
	ASSERT_EQ(0, own_netns())
		TH_LOG("unshare(CLONE_NEWNET): %s", strerror(errno));
	ASSERT_EQ(0, ip_batch(topology)) TH_LOG("ip -batch failed");
	ASSERT_LE(0, ttp_stat("TimeWaitEntered"))
		TH_LOG("/proc/net/ttp/stats: is ttp loaded?");
	/* A fresh namespace: the documented defaults, an empty table. */
	ASSERT_EQ(60000, get_sysctl("stream_time_wait_ms"));
	ASSERT_EQ(65536, get_sysctl("stream_max_tw_buckets"));
	ASSERT_EQ(0, tw_count());
	self->l = listener(SRV, 5000);
	ASSERT_LE(0, self->l) TH_LOG("listen on %s:5000: %s", SRV,
				     strerror(errno));
}

FIXTURE_TEARDOWN(tw)
{
	/* The namespace, its sockets and its table go with this child. */
}

/* --- who holds the entry, and what it holds ---------------------------- */

TEST_F(tw, active_closer_gets_the_entry)
{
	struct ttp_info before, after;
	struct tw_line tl;
	char lo[32], re[32];
	long entered0 = ttp_stat("TimeWaitEntered");
	long twms = get_sysctl("stream_time_wait_ms");
	char buf[8];
	int c, s, cport;

	ASSERT_EQ(0, open_conn(self->l, 0, false, 5000, &c, &s));
	cport = local_port(c);
	ASSERT_LT(0, cport);
	/* Some data each way, all read: 5 bytes CLI -> SRV, 2 back. */
	ASSERT_EQ(5, write(c, "hello", 5));
	ASSERT_EQ(5, recv(s, buf, 5, MSG_WAITALL));
	ASSERT_EQ(2, write(s, "xy", 2));
	ASSERT_EQ(2, recv(c, buf, 2, MSG_WAITALL));

	/* What TTP_INFO says just before the close. */
	ASSERT_EQ(0, ttp_info(c, &before));
	ASSERT_EQ(TTP_ST_ESTABLISHED, before.ttpi_state);
	/* Consistent with the handshake and the bytes: ISS + SYN + 5. */
	ASSERT_EQ(before.ttpi_iss + 1 + 5, before.ttpi_snd_nxt);
	ASSERT_EQ(before.ttpi_irs + 1 + 2, before.ttpi_rcv_nxt);
	ASSERT_EQ(before.ttpi_snd_nxt, before.ttpi_snd_una);

	/* CLI's FIN goes first: CLI is the active closer. */
	ASSERT_EQ(0, close_first(c, s));
	ap(lo, CLI, cport);
	ap(re, SRV, 5000);
	ASSERT_TRUE(WAIT_FOR(tw_find(lo, re, NULL) == 1, 3000))
		DUMP_TABLES();
	EXPECT_EQ(1, tw_find(lo, re, &tl));
	/* Our FIN took one sequence number, the peer's FIN one more. */
	EXPECT_EQ((__u32)(before.ttpi_snd_nxt + 1), tl.snd_nxt);
	EXPECT_EQ((__u32)(before.ttpi_rcv_nxt + 1), tl.rcv_nxt);
	EXPECT_LE(tl.expires, twms);
	EXPECT_LT(0, tl.expires);
	/* The passive closer (SRV:5000 -> CLI) has none: one line in all. */
	EXPECT_EQ(0, tw_find(re, lo, NULL));
	EXPECT_EQ(1, tw_count());
	EXPECT_EQ(1, ttp_stat("TimeWaitEntered") - entered0);
	/* The sockets table shows no TIME_WAIT: the entry is not a socket. */
	EXPECT_EQ(0, sockets_lines_with("TIME_WAIT"));
	/* The closer's fd, still open, is CLOSED. */
	ASSERT_TRUE(WAIT_FOR(ttp_state(c) == TTP_ST_CLOSED, 3000))
		TH_LOG("state %d", ttp_state(c));
	ASSERT_EQ(0, ttp_info(c, &after));
	EXPECT_EQ(TTP_ST_CLOSED, after.ttpi_state);
	/* The fd holds it no more: closing it leaves the entry alone. */
	close(c);
	EXPECT_EQ(1, tw_find(lo, re, NULL));
}

TEST_F(tw, server_closing_first_gets_the_entry)
{
	char lo[32], re[32];
	long entered0 = ttp_stat("TimeWaitEntered");
	int c, s, cport;

	ASSERT_EQ(0, open_conn(self->l, 0, false, 5000, &c, &s));
	cport = local_port(c);
	ASSERT_EQ(0, close_first(s, c));
	ap(lo, SRV, 5000);
	ap(re, CLI, cport);
	ASSERT_TRUE(WAIT_FOR(tw_find(lo, re, NULL) == 1, 3000))
		DUMP_TABLES();
	EXPECT_EQ(0, tw_find(re, lo, NULL));
	EXPECT_EQ(1, tw_count());
	EXPECT_EQ(1, ttp_stat("TimeWaitEntered") - entered0);
	EXPECT_EQ(TTP_ST_CLOSED, ttp_state(s));
	close(s);
}

/* --- 2MSL -------------------------------------------------------------- */

TEST_F(tw, expires_after_time_wait_ms)
{
	const long twms = 3000;
	long e1, e2, t0, t1, exp0, ent0;
	struct tw_line tl;
	char lo[32], re[32];
	int c, s;

	ASSERT_EQ(0, set_sysctl("stream_time_wait_ms", twms));
	ASSERT_EQ(0, open_conn(self->l, 0, false, 5000, &c, &s));
	ap(lo, CLI, local_port(c));
	ap(re, SRV, 5000);
	exp0 = ttp_stat("TimeWaitExpired");
	ent0 = ttp_stat("TimeWaitEntered");
	t0 = now_ms();		/* before the entry exists */
	ASSERT_EQ(0, close_first(c, s));
	ASSERT_TRUE(WAIT_FOR(tw_find(lo, re, &tl) == 1, 2000))
		DUMP_TABLES();
	e1 = tl.expires;
	EXPECT_LE(e1, twms);
	/* Time passes between the two reads: ExpiresMs goes down. */
	usleep(300 * 1000);
	ASSERT_EQ(1, tw_find(lo, re, &tl));
	e2 = tl.expires;
	EXPECT_LT(e2, e1) TH_LOG("ExpiresMs %ld then %ld", e1, e2);
	EXPECT_LT(0, e2);
	EXPECT_EQ(0, ttp_stat("TimeWaitExpired") - exp0);
	/* It goes, not before 2MSL, and is counted as expired. */
	ASSERT_TRUE(WAIT_FOR(tw_find(lo, re, NULL) == 0, twms + 5000))
		TH_LOG("entry still there after %ld ms", now_ms() - t0);
	t1 = now_ms();
	EXPECT_LE(twms - 20, t1 - t0) TH_LOG("gone after %ld ms", t1 - t0);
	EXPECT_EQ(1, ttp_stat("TimeWaitEntered") - ent0);
	EXPECT_EQ(1, ttp_stat("TimeWaitExpired") - exp0);
	EXPECT_EQ(0, tw_count());
	close(c);
}

TEST_F(tw, time_wait_zero_enters_and_expires_at_once)
{
	long exp0, ent0, ovf0;
	int c, s;

	ASSERT_EQ(0, set_sysctl("stream_time_wait_ms", 0));
	ASSERT_EQ(0, get_sysctl("stream_time_wait_ms"));
	ASSERT_EQ(0, open_conn(self->l, 0, false, 5000, &c, &s));
	exp0 = ttp_stat("TimeWaitExpired");
	ent0 = ttp_stat("TimeWaitEntered");
	ovf0 = ttp_stat("TimeWaitOverflow");
	ASSERT_EQ(0, close_first(c, s));
	ASSERT_TRUE(WAIT_FOR(ttp_stat("TimeWaitExpired") - exp0 == 1, 2000));
	EXPECT_EQ(1, ttp_stat("TimeWaitEntered") - ent0);
	EXPECT_EQ(0, ttp_stat("TimeWaitOverflow") - ovf0);
	EXPECT_TRUE(WAIT_FOR(tw_count() == 0, 2000));
	EXPECT_EQ(TTP_ST_CLOSED, ttp_state(c));
	close(c);
}

/* --- stream_max_tw_buckets --------------------------------------------- */

TEST_F(tw, max_tw_buckets_bounds_the_table)
{
	const int n = 3, k = 2;
	long ovf0, ent0;
	int i, c, s;

	ASSERT_EQ(0, set_sysctl("stream_max_tw_buckets", n));
	ovf0 = ttp_stat("TimeWaitOverflow");
	ent0 = ttp_stat("TimeWaitEntered");
	for (i = 0; i < n + k; i++) {
		ASSERT_EQ(0, open_conn(self->l, 0, false, 5000, &c, &s));
		ASSERT_EQ(0, close_first(c, s));
		/* Done with this one: CLI's socket reached CLOSED. */
		ASSERT_TRUE(WAIT_FOR(ttp_state(c) == TTP_ST_CLOSED, 3000));
		close(c);
	}
	EXPECT_EQ(n + k, ttp_stat("TimeWaitEntered") - ent0);
	EXPECT_EQ(k, ttp_stat("TimeWaitOverflow") - ovf0);
	EXPECT_EQ(n, tw_count());

	/* 0: no entry at all. */
	ASSERT_EQ(0, set_sysctl("stream_max_tw_buckets", 0));
	ASSERT_EQ(0, set_sysctl("stream_max_tw_buckets", 0));
	ASSERT_EQ(0, set_sysctl("stream_time_wait_ms", 60000));
	/* (the 3 entries there stay: lowering the limit removes none) */
	ovf0 = ttp_stat("TimeWaitOverflow");
	ASSERT_EQ(0, open_conn(self->l, 0, false, 5000, &c, &s));
	ASSERT_EQ(0, close_first(c, s));
	ASSERT_TRUE(WAIT_FOR(ttp_state(c) == TTP_ST_CLOSED, 3000));
	EXPECT_EQ(1, ttp_stat("TimeWaitOverflow") - ovf0);
	EXPECT_EQ(n, tw_count());
	close(c);
}

/* --- ports --------------------------------------------------------------- */

TEST_F(tw, bind_and_connect_meet_the_entry)
{
	char lo[32], re[32];
	int c, s, cport, b, l2, c2, s2;

	l2 = listener(SRV, 5001);
	ASSERT_LE(0, l2);
	ASSERT_EQ(0, open_conn(self->l, 0, false, 5000, &c, &s));
	cport = local_port(c);
	ASSERT_EQ(0, close_first(c, s));
	ap(lo, CLI, cport);
	ap(re, SRV, 5000);
	ASSERT_TRUE(WAIT_FOR(tw_find(lo, re, NULL) == 1, 3000))
		DUMP_TABLES();
	close(c);

	/* The entry holds CLI:cport against bind(), wildcard included. */
	b = stream_sock(true);
	EXPECT_EQ(EADDRINUSE, bind_err(b, CLI, cport));
	EXPECT_EQ(EADDRINUSE, bind_err(b, "0.0.0.0", cport));
	/* Another local address is not the entry's. */
	EXPECT_EQ(0, bind_err(b, SRV, cport));
	close(b);

	/* SO_REUSEADDR: the bind succeeds ... */
	b = stream_sock(true);
	ASSERT_EQ(0, set_reuse(b));
	ASSERT_EQ(0, bind_err(b, CLI, cport));
	/* ... but not the connect to the very 4-tuple in TIME_WAIT. */
	EXPECT_EQ(EADDRNOTAVAIL, connect_err(b, SRV, 5000));
	close(b);
	EXPECT_EQ(1, tw_find(lo, re, NULL));

	/* The same port to another peer port is another 4-tuple: fine. */
	ASSERT_EQ(0, open_conn(l2, cport, true, 5001, &c2, &s2));
	EXPECT_EQ(TTP_ST_ESTABLISHED, ttp_state(c2));
	close(c2);
	close(s2);
	close(l2);
}

/* --- a new SYN reuses the entry (RFC 6191, sequence only) --------------- */

TEST_F(tw, new_syn_reuses_the_entry)
{
	long reused0, ovf0;
	char lo[32], re[32];
	int c, s, c2, s2, cport;
	struct pollfd p;
	struct sockaddr_ttp a = sttp(SRV, 5000);
	int err = -1;
	socklen_t elen = sizeof(err);

	/* SRV closes first: the entry is on the server's side. */
	ASSERT_EQ(0, open_conn(self->l, 0, false, 5000, &c, &s));
	cport = local_port(c);
	ASSERT_EQ(0, close_first(s, c));
	ap(lo, SRV, 5000);
	ap(re, CLI, cport);
	ASSERT_TRUE(WAIT_FOR(tw_find(lo, re, NULL) == 1, 3000))
		DUMP_TABLES();
	ASSERT_EQ(TTP_ST_CLOSED, ttp_state(s));
	close(s);
	/* CLI's socket (closed, LAST_ACK) is gone, and its port free. */
	ASSERT_TRUE(WAIT_FOR(sockets_lines_with(re) == 0, 3000))
		DUMP_TABLES();

	/* The client comes again from the same port. */
	reused0 = ttp_stat("TimeWaitReused");
	ovf0 = ttp_stat("TimeWaitOverflow");
	c2 = stream_sock(true);
	ASSERT_LE(0, c2);
	ASSERT_EQ(0, set_reuse(c2));
	ASSERT_EQ(0, bind_err(c2, CLI, cport));
	/* Non-blocking, bounded: without reuse it would not complete. */
	ASSERT_EQ(0, fcntl(c2, F_SETFL, O_NONBLOCK));
	if (connect(c2, (struct sockaddr *)&a, sizeof(a)))
		ASSERT_EQ(EINPROGRESS, errno);
	p = (struct pollfd){ .fd = c2, .events = POLLOUT };
	ASSERT_EQ(1, poll(&p, 1, 3000 * time_scale()))
		TH_LOG("the connect did not complete");
	ASSERT_EQ(0, getsockopt(c2, SOL_SOCKET, SO_ERROR, &err, &elen));
	ASSERT_EQ(0, err) TH_LOG("connect: %s", strerror(err));
	EXPECT_EQ(TTP_ST_ESTABLISHED, ttp_state(c2));
	s2 = accept(self->l, NULL, NULL);
	ASSERT_LE(0, s2);
	EXPECT_EQ(TTP_ST_ESTABLISHED, ttp_state(s2));
	EXPECT_EQ(1, ttp_stat("TimeWaitReused") - reused0);
	EXPECT_EQ(0, ttp_stat("TimeWaitOverflow") - ovf0);
	/* The old line is gone; the new connection is in the sockets table. */
	EXPECT_EQ(0, tw_find(lo, re, NULL));
	EXPECT_EQ(0, tw_count());
	EXPECT_TRUE(sockets_estab(lo, re));
	EXPECT_TRUE(sockets_estab(re, lo));
	/* And it works: a byte crosses. */
	{
		char ch = 0;

		ASSERT_EQ(1, write(s2, "z", 1));
		ASSERT_TRUE(WAIT_FOR(read(c2, &ch, 1) == 1, 3000));
		EXPECT_EQ('z', ch);
	}
	close(c2);
	close(s2);
}

/* --- 80k closes, 60k entries ------------------------------------------ */

/*
 * BULK_CONNS connections, each closed by the server first, against a
 * table of at most BULK_MAX entries: server ports 6000..6003; each
 * worker (two, one per vCPU) has its own range of explicitly bound
 * client ports, used for each of its server ports, so every 4-tuple is
 * another.  Under TCG 80000 took ~100 s.
 */
#define BULK_CONNS	100000
#define BULK_MAX	60000
#define BULK_SPORTS	4		/* server ports 6000.. */
#define BULK_PER_PORT	(BULK_CONNS / BULK_SPORTS)
#define BULK_CPORT0	10000		/* client ports from here */
#define BULK_WORKERS	2
_Static_assert(BULK_CPORT0 + BULK_WORKERS * BULK_PER_PORT <= 65536,
	       "client ports must fit in 16 bits");

#define SLAB "/sys/kernel/slab/ttp_stream_tw/"

FIXTURE(bulk) {
	int orig_ns;
};

FIXTURE_SETUP(bulk)
{
	self->orig_ns = open("/proc/self/ns/net", O_RDONLY);
	ASSERT_LE(0, self->orig_ns);
}

FIXTURE_TEARDOWN(bulk)
{
	close(self->orig_ns);
}

static int cmp_u32(const void *a, const void *b)
{
	__u32 x = *(const __u32 *)a, y = *(const __u32 *)b;

	return x < y ? -1 : x > y;
}

/* `wc -l </proc/net/ttp/timewait`, or -1. */
static long wc_l(void)
{
	long n = -1;
	FILE *p = popen("wc -l </proc/net/ttp/timewait", "r");

	if (!p)
		return -1;
	if (fscanf(p, "%ld", &n) != 1)
		n = -1;
	return pclose(p) ? -1 : n;
}

/*
 * Worker @w: the connections to the listeners @l[i] with i % BULK_WORKERS
 * == @w.  SRV closes first; CLI waits for its FIN (EOF) before closing,
 * so the FINs never cross and only SRV enters TIME_WAIT.  0, or 1 after
 * telling what failed on stderr.
 */
static int bulk_worker(const int *l, int w)
{
	long t0 = now_ms();
	int i, j, c, s, n = 0;
	char ch;

	alarm(270);	/* never outlive the test */
	for (i = w; i < BULK_SPORTS; i += BULK_WORKERS) {
		for (j = 0; j < BULK_PER_PORT; j++, n++) {
			/*
			 * A worker's own client ports, the same for each of
			 * its server ports (the 4-tuples still differ): below
			 * 65536, never 0 (i * BULK_PER_PORT wrapped past
			 * 65535 to port 0, an ephemeral port that could meet
			 * an entry of its own and reuse it).
			 */
			int cport = BULK_CPORT0 + w * BULK_PER_PORT + j;
			const char *what;

			what = "socket";
			c = socket(AF_TTP, SOCK_STREAM, 0);
			if (c < 0)
				goto fail;
			what = "bind";
			if (bind_err(c, CLI, cport))
				goto fail;
			what = "connect";
			if (connect_err(c, SRV, 6000 + i))
				goto fail;
			what = "accept";
			s = accept(l[i], NULL, NULL);
			if (s < 0)
				goto fail;
			what = "close (server)";
			if (close(s))
				goto fail;
			what = "read (EOF)";
			if (read(c, &ch, 1) != 0)
				goto fail;
			what = "close (client)";
			if (close(c))
				goto fail;
			if (n == 999)
				fprintf(stderr, "# worker %d: 1000 connections in %ld ms\n",
					w, now_ms() - t0);
			continue;
fail:
			fprintf(stderr, "# worker %d: %s, port %d -> %d: %s\n", w,
				what, cport, 6000 + i, strerror(errno));
			return 1;
		}
	}
	return 0;
}

TEST_F_TIMEOUT(bulk, closes_100000_limit_60000, 280)
{
	int l[BULK_SPORTS], i, w, nl, dups, status;
	long slab0, slab1, per_slab, ent0, ovf0, t0;
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN), slack;
	pid_t pid[BULK_WORKERS];
	char line[256], lo[32], re[32];
	__u32 *keys;
	FILE *f;

	/* The cache's objects now (kmem_cache_create may have merged it). */
	slab0 = read_long(SLAB "objects");
	per_slab = read_long(SLAB "objs_per_slab");
	ASSERT_LE(0, slab0) TH_LOG(SLAB "objects: %s", strerror(errno));
	ASSERT_LT(0, per_slab);
	/* What SLUB may hold beyond the objects in use: the CPUs' slabs. */
	slack = (ncpu + 1) * per_slab +
		ncpu * (read_long(SLAB "cpu_partial") > 0 ?
			read_long(SLAB "cpu_partial") : 0);

	ASSERT_EQ(0, unshare(CLONE_NEWNET));
	write_file("/proc/sys/net/ipv6/conf/all/disable_ipv6", "1");
	write_file("/proc/sys/net/ipv6/conf/default/disable_ipv6", "1");
	ASSERT_EQ(0, ip_batch(topology));
	ASSERT_EQ(0, set_sysctl("stream_max_tw_buckets", BULK_MAX));
	ASSERT_EQ(0, set_sysctl("stream_time_wait_ms", 600000));
	for (i = 0; i < BULK_SPORTS; i++) {
		l[i] = listener(SRV, 6000 + i);
		ASSERT_LE(0, l[i]);
	}
	ent0 = ttp_stat("TimeWaitEntered");
	ovf0 = ttp_stat("TimeWaitOverflow");

	t0 = now_ms();
	for (w = 0; w < BULK_WORKERS; w++) {
		pid[w] = fork();
		ASSERT_LE(0, pid[w]);
		if (!pid[w])
			_exit(bulk_worker(l, w));
	}
	for (w = 0; w < BULK_WORKERS; w++) {
		ASSERT_EQ(pid[w], waitpid(pid[w], &status, 0));
		EXPECT_TRUE(WIFEXITED(status) && !WEXITSTATUS(status))
			TH_LOG("worker %d failed", w);
	}
	/* The last ACKs may still be on their way. */
	EXPECT_TRUE(WAIT_FOR(ttp_stat("TimeWaitEntered") - ent0 == BULK_CONNS,
			     10000))
		TH_LOG("entered %ld", ttp_stat("TimeWaitEntered") - ent0);
	TH_LOG("%d connections: %ld ms", BULK_CONNS, now_ms() - t0);

	/*
	 * Entered moves as a socket enters TIME_WAIT, Overflow just after,
	 * when the table refuses it: the last one may still be under way.
	 */
	EXPECT_TRUE(WAIT_FOR(ttp_stat("TimeWaitOverflow") - ovf0 ==
			     BULK_CONNS - BULK_MAX, 5000))
		TH_LOG("overflow %ld", ttp_stat("TimeWaitOverflow") - ovf0);
	/* The file, read whole: header + one line per entry. */
	EXPECT_EQ(BULK_MAX + 1, wc_l());
	keys = calloc(BULK_CONNS + 1, sizeof(*keys));
	ASSERT_NE(NULL, keys);
	f = fopen("/proc/net/ttp/timewait", "r");
	ASSERT_NE(NULL, f);
	ASSERT_NE(NULL, fgets(line, sizeof(line), f));
	nl = 0;
	while (fgets(line, sizeof(line), f) && nl <= BULK_CONNS) {
		unsigned int sp, cp;

		if (sscanf(line, "%31s %31s", lo, re) != 2 ||
		    sscanf(lo, SRV ":%u", &sp) != 1 ||
		    sscanf(re, CLI ":%u", &cp) != 1)
			break;
		keys[nl++] = sp << 16 | cp;
	}
	fclose(f);
	EXPECT_EQ(BULK_MAX, nl);
	/* Every line another 4-tuple: the paged walk repeats none. */
	qsort(keys, nl, sizeof(*keys), cmp_u32);
	for (dups = 0, i = 1; i < nl; i++)
		dups += keys[i] == keys[i - 1];
	EXPECT_EQ(0, dups);
	free(keys);

	/* Memory: the entries, and at most the CPUs' slabs beyond. */
	slab1 = read_long(SLAB "objects");
	TH_LOG("slab: %ld objects before, %ld now, slack %ld (%ld per slab)",
	       slab0, slab1, slack, per_slab);
	EXPECT_LE(BULK_MAX, slab1);
	EXPECT_GE(BULK_MAX + slack, slab1 - slab0);

	/* Leave the namespace: nothing holds it any more, it goes. */
	for (i = 0; i < BULK_SPORTS; i++)
		close(l[i]);
	ASSERT_EQ(0, setns(self->orig_ns, CLONE_NEWNET));
	t0 = now_ms();
	EXPECT_TRUE(WAIT_FOR(read_long(SLAB "objects") - slab0 <= slack,
			     30000))
		TH_LOG("slab objects %ld, %ld before",
		       read_long(SLAB "objects"), slab0);
	TH_LOG("namespace gone, entries freed in %ld ms", now_ms() - t0);
}

TEST_HARNESS_MAIN
