// SPDX-License-Identifier: GPL-2.0
/*
 * ttp_dgram: the API of socket(AF_TTP, SOCK_DGRAM, 0), call by call.
 *
 * Each test runs in a child of the harness, in a network namespace of its
 * own (so counters are exact and everything goes away with the child):
 *
 *   t0       10.0.0.1/24  mtu 1000  --- cable ---  t0-peer  10.0.1.1/24
 *
 * Both ends stay in the namespace, so both addresses are local and
 * datagrams between them take the local path (through lo); 10.0.0.9 is a
 * neighbour on t0 that does not exist, used only where the path MTU of
 * the cable matters.  The behaviour expected is Linux's UDP.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <linux/capability.h>
#include <linux/ttp.h>

#include "kselftest_harness.h"
#include "ttp_common.h"

#define A1	"10.0.0.1"	/* t0 */
#define A2	"10.0.1.1"	/* t0-peer */
#define NEIGH	"10.0.0.9"	/* on t0's subnet, nobody's */
#define T0_MTU	1000
#define MAX_PAYLOAD	(65535 - 20 - 8)

static const char topology[] =
	"link set lo up\n"
	"link add t0 type ttp\n"
	"link set t0 mtu 1000\n"
	"addr add 10.0.0.1/24 dev t0\n"
	"addr add 10.0.1.1/24 dev t0-peer\n"
	"link set t0 up\n"
	"link set t0-peer up\n";

/* --- helpers ---------------------------------------------------------- */

/* Every socket gets a receive timeout, so a missing datagram fails fast. */
static int dgram_sock(void)
{
	struct timeval tv = { .tv_sec = 3 * time_scale() };
	int fd = socket(AF_TTP, SOCK_DGRAM, 0);

	if (fd >= 0)
		setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	return fd;
}

/* A socket bound to @ip:@port, or -1. */
static int bound_sock(const char *ip, int port)
{
	int fd = dgram_sock();

	if (fd >= 0 && bind_err(fd, ip, port)) {
		close(fd);
		return -1;
	}
	return fd;
}

static ssize_t send_to(int fd, const void *buf, size_t len, const char *ip,
		       int port)
{
	struct sockaddr_ttp a = sttp(ip, port);

	return sendto(fd, buf, len, 0, (struct sockaddr *)&a, sizeof(a));
}

/* --- /proc/net/ttp/sockets -------------------------------------------- */

struct sock_line {
	char local[32], remote[32], state[16];
	long sendq, recvq, drops, uid;
};

enum {
	C_LOCAL, C_REMOTE, C_STATE, C_SENDQ, C_RECVQ, C_DROPS, C_UID, C_INODE,
	C_MAX
};

static const char *const col_names[C_MAX] = {
	"Local", "Remote", "State", "SendQ", "RecvQ", "Drops", "Uid", "Inode",
};

#define MAX_TOKENS 32

static int tokenize(char *line, char **tok)
{
	int n = 0;
	char *save, *t;

	for (t = strtok_r(line, " \t\n", &save); t && n < MAX_TOKENS;
	     t = strtok_r(NULL, " \t\n", &save))
		tok[n++] = t;
	return n;
}

/*
 * The line of the socket with inode @ino, its columns found by the names
 * in the header line.  1: found, 0: not listed, -1: no file or no such
 * column.
 */
static int sock_line(ino_t ino, struct sock_line *sl)
{
	char line[512], *tok[MAX_TOKENS];
	int col[C_MAX], i, j, n, found = 0;
	FILE *f;

	f = fopen("/proc/net/ttp/sockets", "r");
	if (!f)
		return -1;
	if (!fgets(line, sizeof(line), f))
		goto bad;
	n = tokenize(line, tok);
	for (i = 0; i < C_MAX; i++) {
		col[i] = -1;
		for (j = 0; j < n; j++)
			if (!strcmp(tok[j], col_names[i]))
				col[i] = j;
		if (col[i] < 0)
			goto bad;
	}
	while (!found && fgets(line, sizeof(line), f)) {
		n = tokenize(line, tok);
		if (n <= col[C_INODE] ||
		    strtoull(tok[col[C_INODE]], NULL, 10) != ino)
			continue;
		snprintf(sl->local, sizeof(sl->local), "%s", tok[col[C_LOCAL]]);
		snprintf(sl->remote, sizeof(sl->remote), "%s",
			 tok[col[C_REMOTE]]);
		snprintf(sl->state, sizeof(sl->state), "%s", tok[col[C_STATE]]);
		sl->sendq = atol(tok[col[C_SENDQ]]);
		sl->recvq = atol(tok[col[C_RECVQ]]);
		sl->drops = atol(tok[col[C_DROPS]]);
		sl->uid = atol(tok[col[C_UID]]);
		found = 1;
	}
	fclose(f);
	return found;
bad:
	fclose(f);
	return -1;
}

/* --- the fixture: a namespace of our own ------------------------------ */

FIXTURE(dgram) {
	int unused;
};

FIXTURE_SETUP(dgram)
{
	ASSERT_EQ(0, own_netns())
		TH_LOG("unshare(CLONE_NEWNET): %s", strerror(errno));
	ASSERT_EQ(0, ip_batch(topology)) TH_LOG("ip -batch failed");
	ASSERT_LE(0, ttp_stat("DgramInDatagrams"))
		TH_LOG("/proc/net/ttp/stats: is ttp loaded?");
}

FIXTURE_TEARDOWN(dgram)
{
	/* The namespace, and the cable in it, go with this child. */
}

/* --- bind ------------------------------------------------------------- */

TEST_F(dgram, bind_explicit)
{
	struct sockaddr_ttp a;
	socklen_t alen = sizeof(a);
	int s, w, s2, tx;
	char buf[16];

	s = dgram_sock();
	ASSERT_LE(0, s);
	ASSERT_EQ(0, bind_err(s, A1, 5000));
	memset(&a, 0xff, sizeof(a));
	ASSERT_EQ(0, getsockname(s, (struct sockaddr *)&a, &alen));
	EXPECT_SOCKADDR(&a, alen, A1, 5000);
	/* A bound socket stays bound: Linux says EINVAL. */
	EXPECT_EQ(EINVAL, bind_err(s, A1, 5001));
	EXPECT_EQ(5000, local_port(s));

	w = bound_sock("0.0.0.0", 5001);
	ASSERT_LE(0, w);
	alen = sizeof(a);
	ASSERT_EQ(0, getsockname(w, (struct sockaddr *)&a, &alen));
	EXPECT_SOCKADDR(&a, alen, "0.0.0.0", 5001);
	/* The same port on another specific address is another socket. */
	s2 = bound_sock(A2, 5000);
	ASSERT_LE(0, s2);

	/* Each takes what is sent to its own address and port. */
	tx = bound_sock(A2, 5002);
	ASSERT_LE(0, tx);
	ASSERT_EQ(3, send_to(tx, "one", 3, A1, 5000));
	ASSERT_EQ(3, recv(s, buf, sizeof(buf), 0));
	EXPECT_EQ(0, memcmp(buf, "one", 3));
	ASSERT_EQ(3, send_to(tx, "two", 3, A2, 5000));
	ASSERT_EQ(3, recv(s2, buf, sizeof(buf), 0));
	EXPECT_EQ(0, memcmp(buf, "two", 3));
	/* The wildcard socket takes its port on any local address. */
	ASSERT_EQ(5, send_to(tx, "three", 5, A1, 5001));
	ASSERT_EQ(5, recv(w, buf, sizeof(buf), 0));
	ASSERT_EQ(4, send_to(tx, "four", 4, A2, 5001));
	ASSERT_EQ(4, recv(w, buf, sizeof(buf), 0));
	EXPECT_EQ(0, memcmp(buf, "four", 4));
	EXPECT_EQ(-1, recv(s, buf, sizeof(buf), MSG_DONTWAIT));
	EXPECT_EQ(-1, recv(s2, buf, sizeof(buf), MSG_DONTWAIT));
}

TEST_F(dgram, bind_port0_ephemeral_in_range)
{
	int fds[4], i, j, port, u, c, freed;
	char buf[32];
	int fd;

	ASSERT_EQ(0, write_file("/proc/sys/net/ttp/local_port_range",
				"40000 40003"));
	fd = open("/proc/sys/net/ttp/local_port_range", O_RDONLY);
	ASSERT_LE(0, fd);
	memset(buf, 0, sizeof(buf));
	ASSERT_LT(0, read(fd, buf, sizeof(buf) - 1));
	close(fd);
	ASSERT_EQ(2, sscanf(buf, "%d %d", &i, &j));
	ASSERT_EQ(40000, i);
	ASSERT_EQ(40003, j);

	/* Four ports in the range, each taken once. */
	for (i = 0; i < 4; i++) {
		fds[i] = bound_sock(A1, 0);
		ASSERT_LE(0, fds[i])
			TH_LOG("bind #%d to port 0: %s", i, strerror(errno));
		port = local_port(fds[i]);
		EXPECT_LE(40000, port);
		EXPECT_GE(40003, port);
		for (j = 0; j < i; j++)
			EXPECT_NE(local_port(fds[j]), port);
	}
	/* None left: bind says EADDRINUSE, the implicit binds EAGAIN. */
	u = dgram_sock();
	ASSERT_LE(0, u);
	EXPECT_EQ(EADDRINUSE, bind_err(u, A1, 0));
	EXPECT_EQ(-1, send_to(u, "x", 1, A2, 9));
	EXPECT_EQ(EAGAIN, errno);
	c = dgram_sock();
	ASSERT_LE(0, c);
	EXPECT_EQ(EAGAIN, connect_err(c, A2, 9));
	EXPECT_EQ(0, local_port(c));

	/* Free one: the implicit bind of a send takes exactly that one. */
	freed = local_port(fds[2]);
	close(fds[2]);
	EXPECT_EQ(1, send_to(u, "x", 1, A2, 9));
	EXPECT_EQ(freed, local_port(u));
	/* And the range is full again. */
	EXPECT_EQ(EAGAIN, connect_err(c, A2, 9));
}

TEST_F(dgram, bind_eaddrinuse)
{
	int a, b, w, d, e;

	a = bound_sock(A1, 5100);
	ASSERT_LE(0, a);
	b = dgram_sock();
	ASSERT_LE(0, b);
	EXPECT_EQ(EADDRINUSE, bind_err(b, A1, 5100));
	/* The wildcard overlaps every address. */
	EXPECT_EQ(EADDRINUSE, bind_err(b, "0.0.0.0", 5100));
	d = bound_sock(A2, 5100);
	EXPECT_LE(0, d);

	w = bound_sock("0.0.0.0", 5101);
	ASSERT_LE(0, w);
	e = dgram_sock();
	ASSERT_LE(0, e);
	EXPECT_EQ(EADDRINUSE, bind_err(e, A1, 5101));
	EXPECT_EQ(EADDRINUSE, bind_err(e, "0.0.0.0", 5101));

	/* close() gives the port back; the failed binds left b unbound. */
	close(a);
	EXPECT_EQ(0, bind_err(b, A1, 5100));
	close(w);
	EXPECT_EQ(0, bind_err(e, "0.0.0.0", 5101));
}

TEST_F(dgram, so_reuseaddr)
{
	long in0, in;
	int one = 1, a, b, c, tx;

	a = dgram_sock();
	b = dgram_sock();
	c = dgram_sock();
	ASSERT_LE(0, a);
	ASSERT_LE(0, b);
	ASSERT_LE(0, c);
	ASSERT_EQ(0, setsockopt(a, SOL_SOCKET, SO_REUSEADDR, &one,
				sizeof(one)));
	ASSERT_EQ(0, bind_err(a, A1, 5200));
	/* Both must agree to share. */
	EXPECT_EQ(EADDRINUSE, bind_err(b, A1, 5200));
	ASSERT_EQ(0, setsockopt(c, SOL_SOCKET, SO_REUSEADDR, &one,
				sizeof(one)));
	EXPECT_EQ(0, bind_err(c, A1, 5200));
	EXPECT_EQ(5200, local_port(c));

	/* A unicast datagram goes to one of them, not to both. */
	tx = bound_sock(A2, 5201);
	ASSERT_LE(0, tx);
	in0 = ttp_stat("DgramInDatagrams");
	ASSERT_EQ(2, send_to(tx, "hi", 2, A1, 5200));
	ASSERT_TRUE(WAIT_FOR((in = ttp_stat("DgramInDatagrams")) > in0, 3000));
	EXPECT_EQ(1, in - in0);
	EXPECT_EQ(1, (inq(a) == 2) + (inq(c) == 2));
}

TEST_F(dgram, bind_eaddrnotavail)
{
	int s = dgram_sock();

	ASSERT_LE(0, s);
	EXPECT_EQ(EADDRNOTAVAIL, bind_err(s, "10.9.9.9", 5300));
	/* A neighbour's address on our subnet is not ours either. */
	EXPECT_EQ(EADDRNOTAVAIL, bind_err(s, NEIGH, 5300));
	/* lo is no TTP device, so 127.0.0.1 is no TTP address. */
	EXPECT_EQ(EADDRNOTAVAIL, bind_err(s, "127.0.0.1", 5300));
	EXPECT_EQ(0, local_port(s));
	EXPECT_EQ(0, bind_err(s, A2, 5300));
}

TEST_F(dgram, privileged_ports)
{
	int s;

	/* With the capability (we are root). */
	s = dgram_sock();
	ASSERT_LE(0, s);
	EXPECT_EQ(0, bind_err(s, A1, 1023));
	close(s);

	ASSERT_EQ(0, drop_bind_cap()) TH_LOG("capset: %s", strerror(errno));
	s = dgram_sock();
	ASSERT_LE(0, s);
	EXPECT_EQ(EACCES, bind_err(s, A1, 1022));
	EXPECT_EQ(EACCES, bind_err(s, "0.0.0.0", 53));
	EXPECT_EQ(EACCES, bind_err(s, A1, 1));
	EXPECT_EQ(0, local_port(s));
	EXPECT_EQ(0, bind_err(s, A1, 1024));
	close(s);
	/* Port 0 is not privileged: the ephemeral range is above 1024. */
	s = dgram_sock();
	ASSERT_LE(0, s);
	EXPECT_EQ(0, bind_err(s, A1, 0));
	EXPECT_LE(1024, local_port(s));
}

/* --- connect ---------------------------------------------------------- */

TEST_F(dgram, connect_default_peer)
{
	struct sockaddr_ttp from;
	socklen_t flen;
	long np0;
	char buf[32];
	int a, b, c;

	a = bound_sock(A1, 6000);
	b = bound_sock(A2, 6001);
	c = bound_sock(A2, 6002);
	ASSERT_LE(0, a);
	ASSERT_LE(0, b);
	ASSERT_LE(0, c);
	/* No peer yet: send() has nowhere to go. */
	EXPECT_EQ(-1, send(a, "x", 1, 0));
	EXPECT_EQ(EDESTADDRREQ, errno);

	ASSERT_EQ(0, connect_err(a, A2, 6001));
	ASSERT_EQ(4, send(a, "to-b", 4, 0));
	flen = sizeof(from);
	ASSERT_EQ(4, recvfrom(b, buf, sizeof(buf), 0,
			      (struct sockaddr *)&from, &flen));
	EXPECT_EQ(0, memcmp(buf, "to-b", 4));
	EXPECT_SOCKADDR(&from, flen, A1, 6000);
	/* write() is a send() too. */
	ASSERT_EQ(2, write(a, "wr", 2));
	ASSERT_EQ(2, recv(b, buf, sizeof(buf), 0));
	/* An explicit address still wins over the default peer. */
	ASSERT_EQ(4, send_to(a, "to-c", 4, A2, 6002));
	ASSERT_EQ(4, recv(c, buf, sizeof(buf), 0));
	EXPECT_EQ(0, memcmp(buf, "to-c", 4));

	/* From then on only the peer is heard: c's datagram finds no one. */
	np0 = ttp_stat("DgramNoPorts");
	ASSERT_EQ(6, send_to(c, "from-c", 6, A1, 6000));
	ASSERT_EQ(6, send_to(b, "from-b", 6, A1, 6000));
	EXPECT_TRUE(WAIT_FOR(ttp_stat("DgramNoPorts") == np0 + 1, 3000));
	flen = sizeof(from);
	ASSERT_EQ(6, recvfrom(a, buf, sizeof(buf), 0,
			      (struct sockaddr *)&from, &flen));
	EXPECT_EQ(0, memcmp(buf, "from-b", 6));
	EXPECT_SOCKADDR(&from, flen, A2, 6001);
	EXPECT_EQ(-1, recv(a, buf, sizeof(buf), MSG_DONTWAIT));
	EXPECT_EQ(EAGAIN, errno);
}

TEST_F(dgram, connect_unspec_disconnects)
{
	struct sockaddr_ttp unspec, from;
	struct sockaddr sa = { .sa_family = AF_UNSPEC };
	socklen_t flen;
	char buf[32];
	int a, b, c, u;

	a = bound_sock(A1, 6100);
	b = bound_sock(A2, 6101);
	c = bound_sock(A2, 6102);
	ASSERT_LE(0, a);
	ASSERT_LE(0, b);
	ASSERT_LE(0, c);
	ASSERT_EQ(0, connect_err(a, A2, 6101));

	memset(&unspec, 0, sizeof(unspec));
	unspec.sttp_family = AF_UNSPEC;
	ASSERT_EQ(0, connect(a, (struct sockaddr *)&unspec, sizeof(unspec)));
	flen = sizeof(from);
	EXPECT_EQ(-1, getpeername(a, (struct sockaddr *)&from, &flen));
	EXPECT_EQ(ENOTCONN, errno);
	EXPECT_EQ(-1, send(a, "x", 1, 0));
	EXPECT_EQ(EDESTADDRREQ, errno);
	/* What bind() chose survives. */
	flen = sizeof(from);
	ASSERT_EQ(0, getsockname(a, (struct sockaddr *)&from, &flen));
	EXPECT_SOCKADDR(&from, flen, A1, 6100);
	/* Everyone is heard again. */
	ASSERT_EQ(6, send_to(c, "from-c", 6, A1, 6100));
	flen = sizeof(from);
	ASSERT_EQ(6, recvfrom(a, buf, sizeof(buf), 0,
			      (struct sockaddr *)&from, &flen));
	EXPECT_SOCKADDR(&from, flen, A2, 6102);

	/* What connect() chose by itself (address, port) is undone. */
	u = dgram_sock();
	ASSERT_LE(0, u);
	ASSERT_EQ(0, connect_err(u, A1, 6100));
	EXPECT_NE(0, local_port(u));
	/* The family alone is enough, as on Linux. */
	ASSERT_EQ(0, connect(u, &sa, sizeof(sa.sa_family)));
	flen = sizeof(from);
	ASSERT_EQ(0, getsockname(u, (struct sockaddr *)&from, &flen));
	EXPECT_SOCKADDR(&from, flen, "0.0.0.0", 0);
	/* A second disconnect is harmless. */
	EXPECT_EQ(0, connect(u, &sa, sizeof(sa)));
}

TEST_F(dgram, getsockname_getpeername)
{
	struct sockaddr_ttp a;
	socklen_t alen;
	int s, u, lo, hi;
	FILE *f;

	f = fopen("/proc/sys/net/ttp/local_port_range", "r");
	ASSERT_NE(NULL, f);
	ASSERT_EQ(2, fscanf(f, "%d %d", &lo, &hi));
	fclose(f);

	u = dgram_sock();
	ASSERT_LE(0, u);
	alen = sizeof(a);
	memset(&a, 0xff, sizeof(a));
	ASSERT_EQ(0, getsockname(u, (struct sockaddr *)&a, &alen));
	EXPECT_SOCKADDR(&a, alen, "0.0.0.0", 0);
	alen = sizeof(a);
	EXPECT_EQ(-1, getpeername(u, (struct sockaddr *)&a, &alen));
	EXPECT_EQ(ENOTCONN, errno);

	s = bound_sock(A1, 7100);
	ASSERT_LE(0, s);
	alen = sizeof(a);
	EXPECT_EQ(-1, getpeername(s, (struct sockaddr *)&a, &alen));
	EXPECT_EQ(ENOTCONN, errno);

	/* connect() binds: the route's source address, an ephemeral port. */
	ASSERT_EQ(0, connect_err(u, A1, 7100));
	alen = sizeof(a);
	memset(&a, 0xff, sizeof(a));
	ASSERT_EQ(0, getsockname(u, (struct sockaddr *)&a, &alen));
	EXPECT_SOCKADDR(&a, alen, A1, ntohs(a.sttp_port));
	EXPECT_LE(lo, ntohs(a.sttp_port));
	EXPECT_GE(hi, ntohs(a.sttp_port));
	alen = sizeof(a);
	memset(&a, 0xff, sizeof(a));
	ASSERT_EQ(0, getpeername(u, (struct sockaddr *)&a, &alen));
	EXPECT_SOCKADDR(&a, alen, A1, 7100);
	/* A short buffer gets a truncated copy and the real length. */
	alen = 4;
	ASSERT_EQ(0, getpeername(u, (struct sockaddr *)&a, &alen));
	EXPECT_EQ(sizeof(struct sockaddr_ttp), alen);

	/* No route: connect() fails and leaves no peer behind. */
	s = dgram_sock();
	ASSERT_LE(0, s);
	EXPECT_EQ(ENETUNREACH, connect_err(s, "192.0.2.1", 7));
	alen = sizeof(a);
	EXPECT_EQ(-1, getpeername(s, (struct sockaddr *)&a, &alen));
	EXPECT_EQ(ENOTCONN, errno);
}

/* --- addresses ---------------------------------------------------------- */

TEST_F(dgram, bad_sockaddr)
{
	struct sockaddr_ttp a = sttp(A1, 7300);
	struct sockaddr_ttp in = sttp(A1, 7300);
	struct msghdr msg = { 0 };
	struct iovec iov = { .iov_base = "x", .iov_len = 1 };
	int s;

	in.sttp_family = AF_INET;
	s = dgram_sock();
	ASSERT_LE(0, s);

	/* bind */
	EXPECT_EQ(-1, bind(s, (struct sockaddr *)&in, sizeof(in)));
	EXPECT_EQ(EAFNOSUPPORT, errno);
	EXPECT_EQ(-1, bind(s, (struct sockaddr *)&a, 8));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, bind(s, (struct sockaddr *)&a, sizeof(a) - 1));
	EXPECT_EQ(EINVAL, errno);
	a.sttp_family = AF_UNSPEC;	/* only for INADDR_ANY, as inet */
	EXPECT_EQ(-1, bind(s, (struct sockaddr *)&a, sizeof(a)));
	EXPECT_EQ(EAFNOSUPPORT, errno);
	a.sttp_family = AF_TTP;
	EXPECT_EQ(0, local_port(s));

	/* connect */
	EXPECT_EQ(-1, connect(s, (struct sockaddr *)&in, sizeof(in)));
	EXPECT_EQ(EAFNOSUPPORT, errno);
	EXPECT_EQ(-1, connect(s, (struct sockaddr *)&a, 8));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, connect(s, (struct sockaddr *)&a, 1));
	EXPECT_EQ(EINVAL, errno);

	/* sendto, sendmsg */
	EXPECT_EQ(-1, sendto(s, "x", 1, 0, (struct sockaddr *)&in, sizeof(in)));
	EXPECT_EQ(EAFNOSUPPORT, errno);
	EXPECT_EQ(-1, sendto(s, "x", 1, 0, (struct sockaddr *)&a, 8));
	EXPECT_EQ(EINVAL, errno);
	msg.msg_name = &a;
	msg.msg_namelen = sizeof(a) - 1;
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	EXPECT_EQ(-1, sendmsg(s, &msg, 0));
	EXPECT_EQ(EINVAL, errno);
	msg.msg_name = &in;
	msg.msg_namelen = sizeof(in);
	EXPECT_EQ(-1, sendmsg(s, &msg, 0));
	EXPECT_EQ(EAFNOSUPPORT, errno);
	/* Port 0 is no destination (Linux: EINVAL). */
	a.sttp_port = 0;
	EXPECT_EQ(-1, sendto(s, "x", 1, 0, (struct sockaddr *)&a, sizeof(a)));
	EXPECT_EQ(EINVAL, errno);
	/* None of these bound or connected the socket. */
	EXPECT_EQ(0, local_port(s));
	EXPECT_EQ(0, bind_err(s, A1, 7300));

	/* Old programs bind AF_UNSPEC to INADDR_ANY: inet lets them. */
	close(s);
	s = dgram_sock();
	ASSERT_LE(0, s);
	a = sttp("0.0.0.0", 7301);
	a.sttp_family = AF_UNSPEC;
	EXPECT_EQ(0, bind(s, (struct sockaddr *)&a, sizeof(a)));
	EXPECT_EQ(7301, local_port(s));
}

TEST_F(dgram, source_address_every_call)
{
	struct sockaddr_ttp to = sttp(A1, 6200), from;
	struct sockaddr_storage ss;
	struct iovec iov;
	struct msghdr msg;
	long out0, in0;
	socklen_t flen;
	char buf[32];
	int r, s;

	r = bound_sock(A1, 6200);
	s = bound_sock(A2, 6201);
	ASSERT_LE(0, r);
	ASSERT_LE(0, s);
	out0 = ttp_stat("DgramOutDatagrams");
	in0 = ttp_stat("DgramInDatagrams");

	/* sendto -> recvfrom */
	ASSERT_EQ(3, send_to(s, "one", 3, A1, 6200));
	flen = sizeof(ss);
	memset(&ss, 0xff, sizeof(ss));
	ASSERT_EQ(3, recvfrom(r, buf, sizeof(buf), 0,
			      (struct sockaddr *)&ss, &flen));
	EXPECT_EQ(0, memcmp(buf, "one", 3));
	EXPECT_SOCKADDR(&ss, flen, A2, 6201);

	/* sendmsg -> recvmsg */
	memset(&msg, 0, sizeof(msg));
	iov.iov_base = "two";
	iov.iov_len = 3;
	msg.msg_name = &to;
	msg.msg_namelen = sizeof(to);
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	ASSERT_EQ(3, sendmsg(s, &msg, 0));
	memset(&msg, 0, sizeof(msg));
	memset(&from, 0xff, sizeof(from));
	iov.iov_base = buf;
	iov.iov_len = sizeof(buf);
	msg.msg_name = &from;
	msg.msg_namelen = sizeof(from);
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	ASSERT_EQ(3, recvmsg(r, &msg, 0));
	EXPECT_EQ(0, memcmp(buf, "two", 3));
	EXPECT_SOCKADDR(&from, msg.msg_namelen, A2, 6201);
	EXPECT_EQ(0, msg.msg_flags);

	/* send (connected) -> recv, which has no address to give */
	ASSERT_EQ(0, connect_err(s, A1, 6200));
	ASSERT_EQ(5, send(s, "three", 5, 0));
	ASSERT_EQ(5, recv(r, buf, sizeof(buf), 0));
	EXPECT_EQ(0, memcmp(buf, "three", 5));

	/* The answer goes back to the address recvfrom gave. */
	ASSERT_EQ(4, sendto(r, "four", 4, 0, (struct sockaddr *)&ss, flen));
	flen = sizeof(from);
	ASSERT_EQ(4, recvfrom(s, buf, sizeof(buf), 0,
			      (struct sockaddr *)&from, &flen));
	EXPECT_SOCKADDR(&from, flen, A1, 6200);

	/* An empty datagram is a datagram too. */
	ASSERT_EQ(0, send(s, NULL, 0, 0));
	flen = sizeof(from);
	ASSERT_EQ(0, recvfrom(r, buf, sizeof(buf), 0,
			      (struct sockaddr *)&from, &flen));
	EXPECT_SOCKADDR(&from, flen, A2, 6201);

	EXPECT_EQ(5, ttp_stat("DgramOutDatagrams") - out0);
	EXPECT_EQ(5, ttp_stat("DgramInDatagrams") - in0);
}

/* --- receive flags and timeouts ---------------------------------------- */

TEST_F(dgram, msg_peek)
{
	struct sockaddr_ttp from;
	socklen_t flen;
	char buf[32];
	int r, s, i;

	r = bound_sock(A1, 6300);
	s = bound_sock(A2, 6301);
	ASSERT_LE(0, r);
	ASSERT_LE(0, s);
	ASSERT_EQ(8, send_to(s, "peekaboo", 8, A1, 6300));
	for (i = 0; i < 2; i++) {
		memset(buf, 0, sizeof(buf));
		flen = sizeof(from);
		ASSERT_EQ(8, recvfrom(r, buf, sizeof(buf), MSG_PEEK,
				      (struct sockaddr *)&from, &flen));
		EXPECT_STREQ("peekaboo", buf);
		EXPECT_SOCKADDR(&from, flen, A2, 6301);
		EXPECT_EQ(8, inq(r));
	}
	/* A short peek does not consume the rest either. */
	ASSERT_EQ(4, recv(r, buf, 4, MSG_PEEK));
	memset(buf, 0, sizeof(buf));
	flen = sizeof(from);
	ASSERT_EQ(8, recvfrom(r, buf, sizeof(buf), 0,
			      (struct sockaddr *)&from, &flen));
	EXPECT_STREQ("peekaboo", buf);
	EXPECT_SOCKADDR(&from, flen, A2, 6301);
	EXPECT_EQ(-1, recv(r, buf, sizeof(buf), MSG_DONTWAIT | MSG_PEEK));
	EXPECT_EQ(EAGAIN, errno);
	EXPECT_EQ(-1, recv(r, buf, sizeof(buf), MSG_DONTWAIT));
	EXPECT_EQ(EAGAIN, errno);
}

TEST_F(dgram, msg_dontwait)
{
	char buf[8];
	long t0;
	int r, nb;

	/* r blocks for 3 s by default: DONTWAIT must not. */
	r = bound_sock(A1, 6400);
	ASSERT_LE(0, r);
	t0 = now_ms();
	EXPECT_EQ(-1, recv(r, buf, sizeof(buf), MSG_DONTWAIT));
	EXPECT_EQ(EAGAIN, errno);
	EXPECT_GT(1000 * time_scale(), now_ms() - t0);

	/* So must a non-blocking socket, however it became one. */
	ASSERT_EQ(0, fcntl(r, F_SETFL, fcntl(r, F_GETFL) | O_NONBLOCK));
	EXPECT_EQ(-1, recv(r, buf, sizeof(buf), 0));
	EXPECT_EQ(EAGAIN, errno);
	nb = socket(AF_TTP, SOCK_DGRAM | SOCK_NONBLOCK, 0);
	ASSERT_LE(0, nb);
	ASSERT_EQ(0, bind_err(nb, A1, 6401));
	EXPECT_EQ(-1, recv(nb, buf, sizeof(buf), 0));
	EXPECT_EQ(EAGAIN, errno);
}

TEST_F(dgram, msg_trunc)
{
	char data[100], buf[200];
	struct iovec iov;
	struct msghdr msg;
	int r, s, i;

	for (i = 0; i < 100; i++)
		data[i] = 'a' + i % 26;
	r = bound_sock(A1, 6500);
	s = bound_sock(A2, 6501);
	ASSERT_LE(0, r);
	ASSERT_LE(0, s);

	/* A short buffer: the head of the datagram, MSG_TRUNC in flags. */
	ASSERT_EQ(100, send_to(s, data, 100, A1, 6500));
	memset(&msg, 0, sizeof(msg));
	memset(buf, 0, sizeof(buf));
	iov.iov_base = buf;
	iov.iov_len = 10;
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	ASSERT_EQ(10, recvmsg(r, &msg, 0));
	EXPECT_TRUE(msg.msg_flags & MSG_TRUNC);
	EXPECT_EQ(0, memcmp(buf, data, 10));
	EXPECT_EQ(0, buf[10]);
	/* The rest is gone with it. */
	EXPECT_EQ(-1, recv(r, buf, sizeof(buf), MSG_DONTWAIT));
	EXPECT_EQ(EAGAIN, errno);

	/* MSG_TRUNC asked for: the real length, still 10 bytes copied. */
	ASSERT_EQ(100, send_to(s, data, 100, A1, 6500));
	memset(buf, 0, sizeof(buf));
	EXPECT_EQ(100, recv(r, buf, 10, MSG_TRUNC | MSG_PEEK));
	EXPECT_EQ(100, recv(r, buf, 10, MSG_TRUNC));
	EXPECT_EQ(0, memcmp(buf, data, 10));
	EXPECT_EQ(0, buf[10]);

	/* A buffer big enough: no flag. */
	ASSERT_EQ(100, send_to(s, data, 100, A1, 6500));
	memset(&msg, 0, sizeof(msg));
	iov.iov_base = buf;
	iov.iov_len = sizeof(buf);
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	ASSERT_EQ(100, recvmsg(r, &msg, 0));
	EXPECT_FALSE(msg.msg_flags & MSG_TRUNC);
	EXPECT_EQ(0, memcmp(buf, data, 100));
}

TEST_F(dgram, so_rcvtimeo)
{
	struct timeval tv = { .tv_usec = 400000 };
	long t0, el;
	char buf[8];
	int r;

	r = bound_sock(A1, 6600);
	ASSERT_LE(0, r);
	ASSERT_EQ(0, setsockopt(r, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)));
	t0 = now_ms();
	EXPECT_EQ(-1, recv(r, buf, sizeof(buf), 0));
	EXPECT_EQ(EAGAIN, errno);
	el = now_ms() - t0;
	/* Not early (a jiffy of rounding), and not the 3 s default. */
	EXPECT_LE(390, el);
	EXPECT_GT(400 + 2000 * time_scale(), el) TH_LOG("took %ld ms", el);
}

TEST_F(dgram, poll_epoll)
{
	struct pollfd p;
	struct epoll_event ev = { .events = EPOLLIN }, got;
	char buf[8];
	int r, s, ep;

	r = bound_sock(A1, 6700);
	s = bound_sock(A2, 6701);
	ASSERT_LE(0, r);
	ASSERT_LE(0, s);
	ep = epoll_create1(0);
	ASSERT_LE(0, ep);
	ev.data.fd = r;
	ASSERT_EQ(0, epoll_ctl(ep, EPOLL_CTL_ADD, r, &ev));

	/* Nothing queued: writable, not readable. */
	p = (struct pollfd){ .fd = r, .events = POLLIN | POLLOUT };
	ASSERT_EQ(1, poll(&p, 1, 0));
	EXPECT_EQ(POLLOUT, p.revents);
	EXPECT_EQ(0, epoll_wait(ep, &got, 1, 0));

	ASSERT_EQ(2, send_to(s, "hi", 2, A1, 6700));
	p = (struct pollfd){ .fd = r, .events = POLLIN };
	ASSERT_EQ(1, poll(&p, 1, 3000 * time_scale()));
	EXPECT_EQ(POLLIN, p.revents);
	ASSERT_EQ(1, epoll_wait(ep, &got, 1, 3000 * time_scale()));
	EXPECT_EQ(EPOLLIN, got.events);
	EXPECT_EQ(r, got.data.fd);

	/* Read: not readable any more. */
	ASSERT_EQ(2, recv(r, buf, sizeof(buf), 0));
	p = (struct pollfd){ .fd = r, .events = POLLIN | POLLOUT };
	ASSERT_EQ(1, poll(&p, 1, 0));
	EXPECT_EQ(POLLOUT, p.revents);
	EXPECT_EQ(0, epoll_wait(ep, &got, 1, 0));
	close(ep);
}

/* --- buffers and sizes ---------------------------------------------------- */

#define BURST 40

TEST_F(dgram, rcvbuf_drops)
{
	long rb0, in0, err0, rb, in, err;
	int one = 1, r, s, i, got = 0, rcvbuf;
	socklen_t len = sizeof(rcvbuf);
	struct sock_line sl;
	char buf[1000];

	r = bound_sock(A1, 6800);
	s = bound_sock(A2, 6801);
	ASSERT_LE(0, r);
	ASSERT_LE(0, s);
	/* The smallest buffer the kernel allows (a few KB). */
	ASSERT_EQ(0, setsockopt(r, SOL_SOCKET, SO_RCVBUF, &one, sizeof(one)));
	ASSERT_EQ(0, getsockopt(r, SOL_SOCKET, SO_RCVBUF, &rcvbuf, &len));
	ASSERT_GT(BURST * (int)sizeof(buf) / 4, rcvbuf);

	rb0 = ttp_stat("DgramRcvbufErrors");
	in0 = ttp_stat("DgramInDatagrams");
	err0 = ttp_stat("DgramInErrors");
	memset(buf, 'x', sizeof(buf));
	for (i = 0; i < BURST; i++)
		ASSERT_EQ((ssize_t)sizeof(buf),
			  send_to(s, buf, sizeof(buf), A1, 6800));
	/* Every datagram is either queued or dropped, and counted. */
	EXPECT_TRUE(WAIT_FOR((rb = ttp_stat("DgramRcvbufErrors") - rb0) +
			     (in = ttp_stat("DgramInDatagrams") - in0) >= BURST,
			     5000));
	EXPECT_EQ(BURST, rb + in);
	EXPECT_LT(0, rb);
	EXPECT_LT(0, in);
	err = ttp_stat("DgramInErrors") - err0;
	EXPECT_EQ(rb, err);

	/* The socket's own count of them: the Drops column. */
	ASSERT_EQ(1, sock_line(sock_ino(r), &sl));
	EXPECT_EQ(rb, sl.drops);
	EXPECT_LT(0, sl.recvq);

	while (recv(r, buf, sizeof(buf), MSG_DONTWAIT) == (ssize_t)sizeof(buf))
		got++;
	EXPECT_EQ(in, got);
}

TEST_F(dgram, emsgsize)
{
	static char big[MAX_PAYLOAD + 1];
	struct sockaddr_ttp from;
	socklen_t flen = sizeof(from);
	int n, r, s, i;

	/*
	 * Over the cable: the MTU less 20 + 8 bytes of headers.  (The
	 * datagram that fits waits for an ARP answer that never comes, and
	 * its socket hears EHOSTUNREACH later: it is used for nothing else.)
	 */
	n = bound_sock(A1, 6902);
	ASSERT_LE(0, n);
	EXPECT_EQ(-1, send_to(n, big, T0_MTU - 28 + 1, NEIGH, 9));
	EXPECT_EQ(EMSGSIZE, errno);
	EXPECT_EQ(-1, send_to(n, big, 60000, NEIGH, 9));
	EXPECT_EQ(EMSGSIZE, errno);
	EXPECT_EQ(T0_MTU - 28, send_to(n, big, T0_MTU - 28, NEIGH, 9));

	/* The local path takes the largest packet there is: 65535 bytes. */
	s = bound_sock(A1, 6900);
	ASSERT_LE(0, s);
	r = bound_sock(A2, 6901);
	ASSERT_LE(0, r);
	EXPECT_EQ(-1, send_to(s, big, MAX_PAYLOAD + 1, A2, 6901));
	EXPECT_EQ(EMSGSIZE, errno);
	for (i = 0; i < MAX_PAYLOAD; i++)
		big[i] = i * 7;
	ASSERT_EQ(MAX_PAYLOAD, send_to(s, big, MAX_PAYLOAD, A2, 6901));
	{
		static char in[MAX_PAYLOAD + 1];

		ASSERT_EQ(MAX_PAYLOAD, recvfrom(r, in, sizeof(in), 0,
						(struct sockaddr *)&from,
						&flen));
		EXPECT_EQ(0, memcmp(in, big, MAX_PAYLOAD));
		EXPECT_SOCKADDR(&from, flen, A1, 6900);
	}
}

/* --- errors from the far end ----------------------------------------------- */

TEST_F(dgram, no_ports_and_econnrefused)
{
	long np0, du0;
	int u, c, err;
	socklen_t len = sizeof(err);
	char buf[8];

	/* Unconnected: counted over there, nothing to report here. */
	u = bound_sock(A1, 7000);
	ASSERT_LE(0, u);
	np0 = ttp_stat("DgramNoPorts");
	du0 = ttp_stat("CtlInDestUnreachs");
	ASSERT_EQ(1, send_to(u, "x", 1, A2, 7001));
	EXPECT_TRUE(WAIT_FOR(ttp_stat("DgramNoPorts") == np0 + 1, 3000));
	EXPECT_TRUE(WAIT_FOR(ttp_stat("CtlInDestUnreachs") == du0 + 1, 3000));
	EXPECT_FALSE(error_pending(u, 0));
	ASSERT_EQ(0, getsockopt(u, SOL_SOCKET, SO_ERROR, &err, &len));
	EXPECT_EQ(0, err);
	EXPECT_EQ(1, send_to(u, "x", 1, A2, 7001));
	EXPECT_TRUE(WAIT_FOR(ttp_stat("DgramNoPorts") == np0 + 2, 3000));

	/* Connected: the port unreachable becomes ECONNREFUSED... */
	c = bound_sock(A1, 7002);
	ASSERT_LE(0, c);
	ASSERT_EQ(0, connect_err(c, A2, 7003));
	ASSERT_EQ(1, send(c, "x", 1, 0));
	EXPECT_TRUE(WAIT_FOR(ttp_stat("DgramNoPorts") == np0 + 3, 3000));
	ASSERT_TRUE(error_pending(c, 3000));
	/* ...for the next recv(), once. */
	EXPECT_EQ(-1, recv(c, buf, sizeof(buf), 0));
	EXPECT_EQ(ECONNREFUSED, errno);
	EXPECT_FALSE(error_pending(c, 0));
	EXPECT_EQ(-1, recv(c, buf, sizeof(buf), MSG_DONTWAIT));
	EXPECT_EQ(EAGAIN, errno);

	/* Or the next send(). */
	ASSERT_EQ(1, send(c, "x", 1, 0));
	ASSERT_TRUE(error_pending(c, 3000));
	EXPECT_EQ(-1, send(c, "x", 1, 0));
	EXPECT_EQ(ECONNREFUSED, errno);

	/* Or SO_ERROR. */
	ASSERT_EQ(1, send(c, "x", 1, 0));
	ASSERT_TRUE(error_pending(c, 3000));
	len = sizeof(err);
	ASSERT_EQ(0, getsockopt(c, SOL_SOCKET, SO_ERROR, &err, &len));
	EXPECT_EQ(ECONNREFUSED, err);
	ASSERT_EQ(0, getsockopt(c, SOL_SOCKET, SO_ERROR, &err, &len));
	EXPECT_EQ(0, err);
	EXPECT_EQ(np0 + 5, ttp_stat("DgramNoPorts"));
}

/* --- /proc/net/ttp/sockets ------------------------------------------------- */

TEST_F(dgram, proc_sockets)
{
	struct sock_line sl;
	char data[100] = { 0 }, buf[128];
	int r, p;

	/* r belongs to nobody: the Uid column must say so. */
	ASSERT_EQ(0, seteuid(65534));
	r = dgram_sock();
	ASSERT_EQ(0, seteuid(0));
	ASSERT_LE(0, r);
	ASSERT_EQ(0, bind_err(r, A1, 7200));
	ASSERT_EQ(0, connect_err(r, A2, 7201));
	p = bound_sock(A2, 7201);
	ASSERT_LE(0, p);

	ASSERT_EQ(1, sock_line(sock_ino(r), &sl));
	EXPECT_STREQ("10.0.0.1:7200", sl.local);
	EXPECT_STREQ("10.0.1.1:7201", sl.remote);
	EXPECT_STREQ("ESTAB", sl.state);
	EXPECT_EQ(0, sl.recvq);
	EXPECT_EQ(0, sl.drops);
	EXPECT_EQ(65534, sl.uid);

	ASSERT_EQ(1, sock_line(sock_ino(p), &sl));
	EXPECT_STREQ("10.0.1.1:7201", sl.local);
	EXPECT_STREQ("0.0.0.0:0", sl.remote);
	EXPECT_STREQ("UNCONN", sl.state);
	EXPECT_EQ(0, sl.uid);

	/* A queued datagram shows in RecvQ (its buffer, headers and all). */
	ASSERT_EQ(100, send_to(p, data, 100, A1, 7200));
	ASSERT_TRUE(readable(r, 3000));
	ASSERT_EQ(1, sock_line(sock_ino(r), &sl));
	EXPECT_LE(100, sl.recvq);
	ASSERT_EQ(100, recv(r, buf, sizeof(buf), 0));
	ASSERT_EQ(1, sock_line(sock_ino(r), &sl));
	EXPECT_EQ(0, sl.recvq);

	/* Gone with close(). */
	{
		ino_t ino = sock_ino(r);

		close(r);
		EXPECT_EQ(0, sock_line(ino, &sl));
	}
}

TEST_HARNESS_MAIN
