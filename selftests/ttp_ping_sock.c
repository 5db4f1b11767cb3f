// SPDX-License-Identifier: GPL-2.0
/*
 * ttp_ping_sock: the API of control sockets, socket(AF_TTP, SOCK_DGRAM,
 * TTPPROTO_CONTROL) (Documentation/ping.md), and the TTP_TTL and
 * TTP_RECVTTL options of control and datagram sockets.
 *
 * Each test runs in a child of the harness, in a network namespace of its
 * own (counters are exact, everything goes away with the child):
 *
 *   t0       10.0.0.1/24  mtu 1000  --- cable ---  t0-peer  10.0.1.1/24
 *
 * Both addresses are local: echo requests to them go through lo and this
 * host answers them.  What travels through routers (time exceeded,
 * unreachable, TTL on the wire) is ttp_ping.sh's.  The model is Linux's
 * ping sockets (net/ipv4/ping.c).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <linux/ttp.h>

#include "kselftest_harness.h"
#include "ttp_common.h"

#define A1	"10.0.0.1"	/* t0 */
#define A2	"10.0.1.1"	/* t0-peer */
#define NEIGH	"10.0.0.9"	/* on t0's subnet, nobody's */

static const char topology[] =
	"link set lo up\n"
	"link add t0 type ttp\n"
	"link set t0 mtu 1000\n"
	"addr add 10.0.0.1/24 dev t0\n"
	"addr add 10.0.1.1/24 dev t0-peer\n"
	"link set t0 up\n"
	"link set t0-peer up\n";

struct echo {
	unsigned char type, code;
	unsigned short csum, id, seq;
	char data[1024];
};

static int ctl_sock(void)
{
	struct timeval tv = { .tv_sec = 3 * time_scale() };
	int fd = socket(AF_TTP, SOCK_DGRAM, TTPPROTO_CONTROL);

	if (fd >= 0)
		setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	return fd;
}

/* Send an echo request (@len bytes in all) with @seq to @ip. */
static ssize_t ping_to(int fd, const char *ip, unsigned short seq, size_t len)
{
	struct sockaddr_ttp a = sttp(ip, 0);
	struct echo e = { .type = TTP_CTL_ECHO, .seq = htons(seq) };

	memset(e.data, 'p', sizeof(e.data));
	return sendto(fd, &e, len, 0, (struct sockaddr *)&a, sizeof(a));
}

/* The ones' complement sum of @len bytes: 0xffff for a good checksum. */
static unsigned short sum16(const void *p, size_t len)
{
	const unsigned char *b = p;
	unsigned long s = 0;
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		s += b[i] << 8 | b[i + 1];
	if (len & 1)
		s += b[len - 1] << 8;
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return s;
}

/* recvmsg() with the sender and the TTP_TTL cmsg (-1 if none). */
static ssize_t recv_msg(int fd, struct echo *e, struct sockaddr_ttp *from,
			int *ttl, int flags)
{
	char cbuf[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { .iov_base = e, .iov_len = sizeof(*e) };
	struct msghdr msg = {
		.msg_name = from, .msg_namelen = sizeof(*from),
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
	};
	struct cmsghdr *c;
	ssize_t n;

	*ttl = -1;
	n = recvmsg(fd, &msg, flags);
	if (n < 0)
		return n;
	for (c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c))
		if (c->cmsg_level == SOL_TTP && c->cmsg_type == TTP_TTL)
			memcpy(ttl, CMSG_DATA(c), sizeof(int));
	return n;
}

static int get_int(int fd, int level, int opt)
{
	socklen_t len = sizeof(int);
	int v = -12345;

	if (getsockopt(fd, level, opt, &v, &len))
		return -errno - 1000;
	return v;
}

static int set_int(int fd, int level, int opt, int v)
{
	return setsockopt(fd, level, opt, &v, sizeof(v)) ? errno : 0;
}

static int module_refcnt(void)
{
	FILE *f = fopen("/sys/module/ttp/refcnt", "r");
	int n = -1;

	if (f) {
		if (fscanf(f, "%d", &n) != 1)
			n = -1;
		fclose(f);
	}
	return n;
}

/* Proto, Local, Remote, State and Drops of the socket with inode @ino. */
static int sock_line(ino_t ino, char *proto, char *local, char *remote,
		     char *state, long *drops)
{
	char line[512], p[16], l[32], r[32], s[16];
	long q1, q2, b1, b2, d, uid;
	unsigned long inode;
	int found = 0;
	FILE *f;

	f = fopen("/proc/net/ttp/sockets", "r");
	if (!f)
		return -1;
	while (!found && fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%15s %31s %31s %15s %ld %ld %ld %ld %*s %*s %*s %*s %*s %*s %ld %ld %lu",
			   p, l, r, s, &q1, &q2, &b1, &b2, &d, &uid,
			   &inode) != 11 || inode != ino)
			continue;
		strcpy(proto, p);
		strcpy(local, l);
		strcpy(remote, r);
		strcpy(state, s);
		*drops = d;
		found = 1;
	}
	fclose(f);
	return found;
}

FIXTURE(ping) {
	int unused;
};

FIXTURE_SETUP(ping)
{
	ASSERT_EQ(0, own_netns())
		TH_LOG("unshare(CLONE_NEWNET): %s", strerror(errno));
	ASSERT_EQ(0, ip_batch(topology)) TH_LOG("ip -batch failed");
	ASSERT_LE(0, ttp_stat("CtlOutEchos"))
		TH_LOG("/proc/net/ttp/stats: is ttp loaded?");
}

FIXTURE_TEARDOWN(ping)
{
}

/* CAP_NET_RAW: without it, EPERM (the decision in ping.md). */
TEST_F(ping, create_needs_cap_net_raw)
{
	int fd, err;

	ASSERT_EQ(0, seteuid(65534));
	fd = socket(AF_TTP, SOCK_DGRAM, TTPPROTO_CONTROL);
	err = errno;
	ASSERT_EQ(0, seteuid(0));
	EXPECT_EQ(-1, fd);
	EXPECT_EQ(EPERM, err);
	/* A datagram socket needs no privilege. */
	ASSERT_EQ(0, seteuid(65534));
	fd = socket(AF_TTP, SOCK_DGRAM, 0);
	ASSERT_EQ(0, seteuid(0));
	EXPECT_LE(0, fd);
	close(fd);
	/* Control is a datagram service only. */
	EXPECT_EQ(-1, socket(AF_TTP, SOCK_STREAM, TTPPROTO_CONTROL));
	EXPECT_EQ(EPROTONOSUPPORT, errno);
}

/* Ping ourselves: the reply carries our identifier, seq and data. */
TEST_F(ping, echo_self)
{
	long out0 = ttp_stat("CtlOutEchos"), in0 = ttp_stat("CtlInEchos");
	long rep0 = ttp_stat("CtlOutEchoReps"), got0 = ttp_stat("CtlInEchoReps");
	struct sockaddr_ttp from;
	struct echo e;
	int fd, ttl, lo, hi;
	FILE *f;

	fd = ctl_sock();
	ASSERT_LE(0, fd);
	EXPECT_EQ(0, local_port(fd));
	ASSERT_EQ(0, set_int(fd, SOL_TTP, TTP_RECVTTL, 1));
	ASSERT_EQ(8 + 56, ping_to(fd, A1, 7, 8 + 56));
	/* The first send picked an identifier in local_port_range. */
	f = fopen("/proc/sys/net/ttp/local_port_range", "r");
	ASSERT_NE(NULL, f);
	ASSERT_EQ(2, fscanf(f, "%d %d", &lo, &hi));
	fclose(f);
	EXPECT_LE(lo, local_port(fd));
	EXPECT_GE(hi, local_port(fd));

	memset(&e, 0, sizeof(e));
	ASSERT_EQ(8 + 56, recv_msg(fd, &e, &from, &ttl, 0));
	EXPECT_EQ(TTP_CTL_ECHOREPLY, e.type);
	EXPECT_EQ(0, e.code);
	EXPECT_EQ(local_port(fd), ntohs(e.id));
	EXPECT_EQ(7, ntohs(e.seq));
	EXPECT_EQ(0, memcmp(e.data, "pppppppp", 8));
	EXPECT_EQ(0xffff, sum16(&e, 8 + 56));
	EXPECT_SOCKADDR(&from, sizeof(from), A1, 0);
	EXPECT_EQ(get_int(fd, SOL_TTP, TTP_TTL), ttl);

	EXPECT_EQ(1, ttp_stat("CtlOutEchos") - out0);
	EXPECT_EQ(1, ttp_stat("CtlInEchos") - in0);
	EXPECT_EQ(1, ttp_stat("CtlOutEchoReps") - rep0);
	EXPECT_EQ(1, ttp_stat("CtlInEchoReps") - got0);
	/* Nothing else came. */
	EXPECT_FALSE(readable(fd, 100));
	close(fd);
}

/* bind() chooses the identifier; it is unique in the namespace. */
TEST_F(ping, bind_identifier)
{
	struct sockaddr_ttp from;
	struct echo e;
	int a, b, c, ttl, one = 1;

	a = ctl_sock();
	b = ctl_sock();
	c = ctl_sock();
	ASSERT_LE(0, a);
	ASSERT_LE(0, b);
	ASSERT_LE(0, c);
	ASSERT_EQ(0, bind_err(a, A1, 4242));
	EXPECT_EQ(4242, local_port(a));
	EXPECT_EQ(EADDRINUSE, bind_err(b, A2, 4242));
	EXPECT_EQ(EADDRINUSE, bind_err(b, "0.0.0.0", 4242));
	EXPECT_EQ(EADDRNOTAVAIL, bind_err(b, NEIGH, 4243));
	EXPECT_EQ(EINVAL, bind_err(a, A1, 4244));	/* bound already */
	EXPECT_EQ(0, bind_err(b, "0.0.0.0", 0));
	EXPECT_NE(0, local_port(b));
	EXPECT_NE(4242, local_port(b));

	/* Sent from A1 with identifier 4242, whatever the user wrote. */
	ASSERT_EQ(20, ping_to(a, A2, 1, 20));
	ASSERT_EQ(20, recv_msg(a, &e, &from, &ttl, 0));
	EXPECT_EQ(4242, ntohs(e.id));
	EXPECT_SOCKADDR(&from, sizeof(from), A2, 0);

	/* SO_REUSEADDR on both lets two sockets share one, as Linux's. */
	close(c);
	c = ctl_sock();
	ASSERT_LE(0, c);
	EXPECT_EQ(0, setsockopt(c, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)));
	EXPECT_EQ(EADDRINUSE, bind_err(c, A1, 4242));
	close(a);
	close(b);
	close(c);
}

/* Two sockets: each sees the replies to its own requests, only. */
TEST_F(ping, identifiers_isolated)
{
	struct sockaddr_ttp from;
	struct echo e;
	int s1, s2, ttl, i;

	s1 = ctl_sock();
	s2 = ctl_sock();
	ASSERT_LE(0, s1);
	ASSERT_LE(0, s2);
	for (i = 1; i <= 3; i++) {
		ASSERT_EQ(16, ping_to(s1, A1, i, 16));
		ASSERT_EQ(16, ping_to(s2, A2, 100 + i, 16));
	}
	EXPECT_NE(local_port(s1), local_port(s2));
	for (i = 1; i <= 3; i++) {
		ASSERT_EQ(16, recv_msg(s1, &e, &from, &ttl, 0));
		EXPECT_EQ(local_port(s1), ntohs(e.id));
		EXPECT_EQ(i, ntohs(e.seq));
		ASSERT_EQ(16, recv_msg(s2, &e, &from, &ttl, 0));
		EXPECT_EQ(local_port(s2), ntohs(e.id));
		EXPECT_EQ(100 + i, ntohs(e.seq));
		EXPECT_SOCKADDR(&from, sizeof(from), A2, 0);
	}
	EXPECT_FALSE(readable(s1, 100));
	EXPECT_FALSE(readable(s2, 10));
	close(s1);
	close(s2);
}

/* connect(): send() without an address; getpeername(); AF_UNSPEC undoes. */
TEST_F(ping, connect)
{
	struct sockaddr_ttp from, a = sttp(A2, 0);
	struct echo e = { .type = TTP_CTL_ECHO, .seq = htons(9) };
	socklen_t len = sizeof(a);
	int fd, ttl;

	fd = ctl_sock();
	ASSERT_LE(0, fd);
	ASSERT_EQ(-1, send(fd, &e, 8, 0));
	EXPECT_EQ(EDESTADDRREQ, errno);
	EXPECT_EQ(ENETUNREACH, connect_err(fd, "192.0.2.1", 0));
	ASSERT_EQ(0, connect_err(fd, A2, 0));
	ASSERT_EQ(0, getpeername(fd, (struct sockaddr *)&a, &len));
	EXPECT_SOCKADDR(&a, len, A2, 0);
	len = sizeof(a);
	ASSERT_EQ(0, getsockname(fd, (struct sockaddr *)&a, &len));
	EXPECT_SOCKADDR(&a, len, A2, local_port(fd));
	ASSERT_EQ(8, send(fd, &e, 8, 0));
	ASSERT_EQ(8, recv_msg(fd, &e, &from, &ttl, 0));
	EXPECT_EQ(TTP_CTL_ECHOREPLY, e.type);
	EXPECT_EQ(9, ntohs(e.seq));

	a.sttp_family = AF_UNSPEC;
	ASSERT_EQ(0, connect(fd, (struct sockaddr *)&a, sizeof(a)));
	len = sizeof(a);
	EXPECT_EQ(-1, getpeername(fd, (struct sockaddr *)&a, &len));
	EXPECT_EQ(ENOTCONN, errno);
	EXPECT_EQ(0, local_port(fd));
	close(fd);
}

/* What sendmsg() refuses, and with which errno. */
TEST_F(ping, bad_requests)
{
	static char big[65536];
	struct sockaddr_ttp a = sttp(A1, 0), in = sttp(A1, 0);
	struct echo e = { .type = TTP_CTL_ECHO };
	int fd;

	in.sttp_family = AF_INET;
	fd = ctl_sock();
	ASSERT_LE(0, fd);
	/* Shorter than the 8-byte header */
	EXPECT_EQ(-1, ping_to(fd, A1, 1, 7));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, ping_to(fd, A1, 1, 0));
	EXPECT_EQ(EINVAL, errno);
	/* Only echo requests, code 0 */
	e.type = TTP_CTL_ECHOREPLY;
	EXPECT_EQ(-1, sendto(fd, &e, 8, 0, (struct sockaddr *)&a, sizeof(a)));
	EXPECT_EQ(EINVAL, errno);
	e.type = TTP_CTL_TIME_EXCEEDED;
	EXPECT_EQ(-1, sendto(fd, &e, 8, 0, (struct sockaddr *)&a, sizeof(a)));
	EXPECT_EQ(EINVAL, errno);
	e.type = TTP_CTL_ECHO;
	e.code = 1;
	EXPECT_EQ(-1, sendto(fd, &e, 8, 0, (struct sockaddr *)&a, sizeof(a)));
	EXPECT_EQ(EINVAL, errno);
	e.code = 0;
	/* No address, not connected */
	EXPECT_EQ(-1, send(fd, &e, 8, 0));
	EXPECT_EQ(EDESTADDRREQ, errno);
	/* Bad addresses */
	EXPECT_EQ(-1, sendto(fd, &e, 8, 0, (struct sockaddr *)&in, sizeof(in)));
	EXPECT_EQ(EAFNOSUPPORT, errno);
	EXPECT_EQ(-1, sendto(fd, &e, 8, 0, (struct sockaddr *)&a, 8));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, ping_to(fd, "192.0.2.1", 1, 8));
	EXPECT_EQ(ENETUNREACH, errno);
	/* Too big: for the cable's MTU (1000), for any packet */
	EXPECT_EQ(-1, ping_to(fd, NEIGH, 1, 1000 - 20 + 1));
	EXPECT_EQ(EMSGSIZE, errno);
	memcpy(big, &e, 8);
	EXPECT_EQ(-1, sendto(fd, big, 65535 - 20 + 1, 0, (struct sockaddr *)&a,
			     sizeof(a)));
	EXPECT_EQ(EMSGSIZE, errno);
	EXPECT_EQ(-1, sendto(fd, &e, 8, MSG_OOB, (struct sockaddr *)&a,
			     sizeof(a)));
	EXPECT_EQ(EOPNOTSUPP, errno);
	/* A short buffer: MSG_TRUNC, as for datagrams. */
	EXPECT_EQ(8 + 100, ping_to(fd, A1, 2, 8 + 100));
	EXPECT_EQ(8 + 100, recv(fd, big, 8, MSG_TRUNC));
	EXPECT_EQ(-1, recv(fd, big, 8, MSG_ERRQUEUE));
	EXPECT_EQ(EAGAIN, errno);
	close(fd);
	/* Through lo (MTU 65535) the largest one leaves. */
	fd = ctl_sock();
	ASSERT_LE(0, fd);
	memcpy(big, &e, 8);
	EXPECT_EQ(65535 - 20, sendto(fd, big, 65535 - 20, 0,
				     (struct sockaddr *)&a, sizeof(a)))
		TH_LOG("sendto: %s", strerror(errno));
	close(fd);
}

/* TTP_TTL: 1..255 or -1 (the namespace's default), on both socket types. */
TEST_F(ping, ttl_option)
{
	int types[2] = { TTPPROTO_CONTROL, 0 }, i, fd, st;
	short s16 = 5;

	for (i = 0; i < 2; i++) {
		fd = socket(AF_TTP, SOCK_DGRAM, types[i]);
		ASSERT_LE(0, fd);
		EXPECT_EQ(64, get_int(fd, SOL_TTP, TTP_TTL));
		EXPECT_EQ(0, set_int(fd, SOL_TTP, TTP_TTL, 5));
		EXPECT_EQ(5, get_int(fd, SOL_TTP, TTP_TTL));
		EXPECT_EQ(EINVAL, set_int(fd, SOL_TTP, TTP_TTL, 0));
		EXPECT_EQ(EINVAL, set_int(fd, SOL_TTP, TTP_TTL, 256));
		EXPECT_EQ(EINVAL, set_int(fd, SOL_TTP, TTP_TTL, -2));
		EXPECT_EQ(-1, setsockopt(fd, SOL_TTP, TTP_TTL, &s16,
					 sizeof(s16)));
		EXPECT_EQ(EINVAL, errno);
		EXPECT_EQ(5, get_int(fd, SOL_TTP, TTP_TTL));
		EXPECT_EQ(0, set_int(fd, SOL_TTP, TTP_TTL, 255));
		EXPECT_EQ(255, get_int(fd, SOL_TTP, TTP_TTL));
		/* -1: whatever default_ttl says, now and later */
		EXPECT_EQ(0, set_int(fd, SOL_TTP, TTP_TTL, -1));
		ASSERT_EQ(0, write_file("/proc/sys/net/ttp/default_ttl", "33"));
		EXPECT_EQ(33, get_int(fd, SOL_TTP, TTP_TTL));
		ASSERT_EQ(0, write_file("/proc/sys/net/ttp/default_ttl", "64"));
		EXPECT_EQ(0, get_int(fd, SOL_TTP, TTP_RECVTTL));
		EXPECT_EQ(0, set_int(fd, SOL_TTP, TTP_RECVTTL, 7));
		EXPECT_EQ(1, get_int(fd, SOL_TTP, TTP_RECVTTL));
		EXPECT_EQ(ENOPROTOOPT, set_int(fd, SOL_TTP, 63, 1));
		EXPECT_EQ(ENOPROTOOPT, set_int(fd, SOL_TTP + 1, TTP_TTL, 1));
		close(fd);
	}
	/* Stream sockets do not have it (yet): ENOPROTOOPT. */
	st = socket(AF_TTP, SOCK_STREAM, 0);
	ASSERT_LE(0, st);
	EXPECT_EQ(ENOPROTOOPT, set_int(st, SOL_TTP, TTP_TTL, 5));
	close(st);
}

/* A datagram leaves with the socket's TTL; the receiver sees it. */
TEST_F(ping, ttl_on_datagrams)
{
	char cbuf[CMSG_SPACE(sizeof(int))], buf[16];
	struct iovec iov = { .iov_base = buf, .iov_len = sizeof(buf) };
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
	};
	struct sockaddr_ttp a = sttp(A1, 7400);
	struct cmsghdr *c;
	int r, s, ttl = -1;

	r = socket(AF_TTP, SOCK_DGRAM, 0);
	s = socket(AF_TTP, SOCK_DGRAM, 0);
	ASSERT_LE(0, r);
	ASSERT_LE(0, s);
	ASSERT_EQ(0, bind_err(r, A1, 7400));
	ASSERT_EQ(0, set_int(r, SOL_TTP, TTP_RECVTTL, 1));
	ASSERT_EQ(0, set_int(s, SOL_TTP, TTP_TTL, 7));
	ASSERT_EQ(3, sendto(s, "ttl", 3, 0, (struct sockaddr *)&a, sizeof(a)));
	ASSERT_TRUE(readable(r, 3000));
	ASSERT_EQ(3, recvmsg(r, &msg, 0));
	c = CMSG_FIRSTHDR(&msg);
	ASSERT_NE(NULL, c);
	EXPECT_EQ(SOL_TTP, c->cmsg_level);
	EXPECT_EQ(TTP_TTL, c->cmsg_type);
	EXPECT_EQ(CMSG_LEN(sizeof(int)), c->cmsg_len);
	memcpy(&ttl, CMSG_DATA(c), sizeof(int));
	EXPECT_EQ(7, ttl);
	close(r);
	close(s);
}

/* A full receive buffer drops replies, counted; close() frees the rest. */
#define BURST 40
TEST_F(ping, rcvbuf_overflow)
{
	long rb0 = ttp_stat("CtlRcvbufErrors"), in0 = ttp_stat("CtlInEchoReps");
	char proto[16], local[32], remote[32], state[16];
	int one = 1, fd, i, got = 0;
	long rb, in, drops;
	struct echo e;
	ino_t ino;

	fd = ctl_sock();
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &one, sizeof(one)));
	for (i = 0; i < BURST; i++)
		ASSERT_EQ(1000 - 20, ping_to(fd, A1, i, 1000 - 20));
	EXPECT_TRUE(WAIT_FOR((in = ttp_stat("CtlInEchoReps") - in0) >= BURST,
			     5000));
	rb = ttp_stat("CtlRcvbufErrors") - rb0;
	EXPECT_LT(0, rb);
	EXPECT_GT(BURST, rb);
	ino = sock_ino(fd);
	ASSERT_EQ(1, sock_line(ino, proto, local, remote, state, &drops));
	EXPECT_EQ(rb, drops);
	while (recv(fd, &e, sizeof(e), MSG_DONTWAIT) > 0)
		got++;
	EXPECT_EQ(BURST - rb, got);
	/* Again, and close it with its queue full. */
	for (i = 0; i < BURST; i++)
		ASSERT_EQ(1000 - 20, ping_to(fd, A1, i, 1000 - 20));
	EXPECT_TRUE(WAIT_FOR(ttp_stat("CtlInEchoReps") - in0 >= 2 * BURST,
			     5000));
	close(fd);
	EXPECT_EQ(0, sock_line(ino, proto, local, remote, state, &drops));
}

/* /proc/net/ttp/sockets: a "ctl" line, the identifier as its port. */
TEST_F(ping, proc_sockets)
{
	char proto[16], local[32], remote[32], state[16], want[32];
	long drops;
	int fd;

	fd = ctl_sock();
	ASSERT_LE(0, fd);
	/* Not listed before it has an identifier, as a datagram socket. */
	EXPECT_EQ(0, sock_line(sock_ino(fd), proto, local, remote, state,
			       &drops));
	ASSERT_EQ(0, bind_err(fd, A1, 777));
	ASSERT_EQ(1, sock_line(sock_ino(fd), proto, local, remote, state,
			       &drops));
	EXPECT_STREQ("ctl", proto);
	EXPECT_STREQ("10.0.0.1:777", local);
	EXPECT_STREQ("0.0.0.0:0", remote);
	EXPECT_STREQ("UNCONN", state);
	EXPECT_EQ(0, drops);
	ASSERT_EQ(0, connect_err(fd, A2, 0));
	ASSERT_EQ(1, sock_line(sock_ino(fd), proto, local, remote, state,
			       &drops));
	snprintf(want, sizeof(want), "%s:0", A2);
	EXPECT_STREQ(want, remote);
	EXPECT_STREQ("ESTAB", state);
	close(fd);
}

/* A control socket holds the module, as a datagram socket does. */
TEST_F(ping, holds_the_module)
{
	int n0 = module_refcnt(), fd;

	ASSERT_LE(0, n0);
	fd = ctl_sock();
	ASSERT_LE(0, fd);
	EXPECT_LT(n0, module_refcnt());
	close(fd);
	/* The socket is freed after an RCU grace period. */
	EXPECT_TRUE(WAIT_FOR(module_refcnt() == n0, 3000));
}

TEST_HARNESS_MAIN
