// SPDX-License-Identifier: GPL-2.0
/*
 * ttpbench: the measuring program of scripts/bench.  Each mode runs the
 * same code for TTP and for the kernel's own stack, on the same addresses,
 * so the ratio of two results compares the stacks and nothing else.
 *
 * Datagrams (TTP against UDP):
 *   ttpbench recv ttp|udp PORT SECS
 *	count the datagrams that arrive in the SECS seconds after the first
 *	one; print "recv MSGS BYTES SECS"
 *   ttpbench send ttp|udp ADDR PORT SIZE SECS
 *	send SIZE-byte datagrams to ADDR:PORT as fast as sendto() returns,
 *	for SECS seconds; print "sent MSGS ERRORS"
 *
 * Streams (TTP against TCP): ttpbench -t ttp|tcp [-b SRC] MODE ...
 *   serve PORT [N]	echo server (epoll): every byte read is written
 *			back, a connection is closed when its peer closes;
 *			prints "ready", and "open N" once N connections are
 *			open at the same time; runs until SIGTERM
 *   sink PORT SECS	bulk receiver: accepts one connection, counts the
 *			bytes of the SECS seconds after the first one, closes;
 *			prints "sink BYTES SECS"
 *   bulk ADDR PORT SECS	writes 64 KiB buffers until the peer closes (or
 *			SECS pass); prints "bulk BYTES"
 *   rr ADDR PORT SECS	1-byte request, 1-byte response on one connection;
 *			prints "rr TRANSACTIONS SECS"
 *   crr ADDR PORT SECS	connect, 1-byte request, 1-byte response, close,
 *			again; prints "crr CONNECTIONS SECS ERRORS"
 *   fill ADDR PORT N	N times connect and close at once (each leaves a
 *			TIME_WAIT entry here); prints "fill N SECS ERRORS"
 *   hold ADDR PORT N	opens N connections and keeps them idle until
 *			SIGTERM, then resets them; prints "held N"
 * -b SRC binds the client sockets to the address SRC first (the port is
 * still chosen at connect()).  Every mode gives up after -w SECS (default
 * 120; "ttpbench: timeout" and exit status 3) so that a stuck stack shows
 * as a failure, not a hang.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <linux/ttp.h>

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void die(const char *what)
{
	fprintf(stderr, "ttpbench: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void usage(void)
{
	fprintf(stderr, "usage: ttpbench recv ttp|udp PORT SECS\n"
		"       ttpbench send ttp|udp ADDR PORT SIZE SECS\n"
		"       ttpbench -t ttp|tcp [-b SRC] [-w SECS] serve PORT [N]\n"
		"       ttpbench -t ttp|tcp [-w SECS] sink PORT SECS\n"
		"       ttpbench -t ttp|tcp [-b SRC] [-w SECS] bulk|rr|crr ADDR PORT SECS\n"
		"       ttpbench -t ttp|tcp [-b SRC] [-w SECS] fill|hold ADDR PORT N\n");
	exit(2);
}

/* sockaddr_ttp has the sockaddr_in layout: one builder serves both. */
static int open_sock(const char *fam, const char *addr, int port,
		     struct sockaddr_in *sa)
{
	int ttp = !strcmp(fam, "ttp");
	int fd;

	if (!ttp && strcmp(fam, "udp"))
		usage();
	fd = socket(ttp ? AF_TTP : AF_INET, SOCK_DGRAM, 0);
	if (fd < 0)
		die("socket");
	memset(sa, 0, sizeof(*sa));
	sa->sin_family = ttp ? AF_TTP : AF_INET;
	sa->sin_port = htons(port);
	if (addr && inet_pton(AF_INET, addr, &sa->sin_addr) != 1)
		usage();
	return fd;
}

static int do_recv(char **argv)
{
	struct timeval tv = { .tv_sec = 0, .tv_usec = 200000 };
	unsigned long long msgs = 0, bytes = 0;
	struct sockaddr_in sa;
	double secs = atof(argv[2]), t0 = 0, idle = now();
	static char buf[65536];
	int fd = open_sock(argv[0], NULL, atoi(argv[1]), &sa);
	int rcvbuf = 1 << 20;

	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)))
		die("bind");
	if (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)))
		die("SO_RCVTIMEO");
	printf("ready\n");
	fflush(stdout);
	for (;;) {
		ssize_t n = recv(fd, buf, sizeof(buf), 0);
		double t = now();

		if (n < 0) {
			if (errno != EAGAIN && errno != EINTR)
				die("recv");
			/* Nothing for 30 s before the first datagram: give up. */
			if (!t0 && t - idle > 30)
				break;
			if (t0 && t - t0 >= secs)
				break;
			continue;
		}
		if (!t0)
			t0 = t;
		if (t - t0 >= secs)
			break;
		msgs++;
		bytes += n;
	}
	printf("recv %llu %llu %.3f\n", msgs, bytes, secs);
	return 0;
}

static int do_send(char **argv)
{
	struct sockaddr_in sa;
	int fd = open_sock(argv[0], argv[1], atoi(argv[2]), &sa);
	size_t size = atoi(argv[3]);
	double end = now() + atof(argv[4]);
	unsigned long long msgs = 0, errs = 0;
	static char buf[65536];

	if (size > sizeof(buf))
		usage();
	memset(buf, 'x', size);
	while (now() < end) {
		unsigned int i;

		/* Look at the clock once per 64 sends: it is not free. */
		for (i = 0; i < 64; i++) {
			if (sendto(fd, buf, size, 0, (struct sockaddr *)&sa,
				   sizeof(sa)) < 0)
				errs++;
			else
				msgs++;
		}
	}
	printf("sent %llu %llu\n", msgs, errs);
	return 0;
}

/* --- streams ------------------------------------------------------------ */

static int st_ttp = -1;		/* -t: 1 TTP, 0 TCP */
static const char *st_src;	/* -b */
static const char *st_mode = "";

static void on_alarm(int sig)
{
	static const char msg[] = "ttpbench: timeout\n";

	(void)sig;
	if (write(2, msg, sizeof(msg) - 1) < 0)
		_exit(3);
	_exit(3);
}

static void st_addr(struct sockaddr_in *sa, const char *addr, int port)
{
	memset(sa, 0, sizeof(*sa));
	sa->sin_family = st_ttp ? AF_TTP : AF_INET;
	sa->sin_port = htons(port);
	if (addr && inet_pton(AF_INET, addr, &sa->sin_addr) != 1)
		usage();
}

static void st_nodelay(int fd)
{
	int one = 1;

	if (!st_ttp) {
		if (setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one)))
			die("TCP_NODELAY");
		return;
	}
	/*
	 * TTP_NODELAY is TCP_NODELAY.  A header without it (scripts/bench
	 * --rev of a module older than the option) had no Nagle either: such
	 * a TTP sent every write at once.
	 */
#ifdef TTP_NODELAY
	if (setsockopt(fd, SOL_TTP, TTP_NODELAY, &one, sizeof(one)))
		die("TTP_NODELAY");
#endif
}

static int st_socket(void)
{
	int fd = socket(st_ttp ? AF_TTP : AF_INET, SOCK_STREAM, 0);

	if (fd < 0)
		die("socket");
	return fd;
}

/* A client socket connected to @dst (bound to -b SRC first). */
static int st_connect(const struct sockaddr_in *dst, int nodelay)
{
	int fd = st_socket();

	if (st_src) {
		struct sockaddr_in src;
		int one = 1;

		st_addr(&src, st_src, 0);
		/* TCP: take the port at connect(), as TTP does. */
		if (!st_ttp &&
		    setsockopt(fd, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one,
			       sizeof(one)))
			die("IP_BIND_ADDRESS_NO_PORT");
		if (bind(fd, (struct sockaddr *)&src, sizeof(src)))
			die("bind");
	}
	if (nodelay)
		st_nodelay(fd);
	if (connect(fd, (const struct sockaddr *)dst, sizeof(*dst))) {
		int err = errno;

		close(fd);
		errno = err;
		return -1;
	}
	return fd;
}

static int st_listen(int port)
{
	struct sockaddr_in sa;
	int fd = st_socket(), one = 1;

	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)))
		die("SO_REUSEADDR");
	st_addr(&sa, NULL, port);
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)))
		die("bind");
	if (listen(fd, 4096))
		die("listen");
	return fd;
}

/* serve PORT [N] */
static int st_serve(int argc, char **argv)
{
	int lfd, ep, open_now = 0, expect = argc > 1 ? atoi(argv[1]) : 0;
	struct epoll_event ev = { .events = EPOLLIN }, evs[64];

	lfd = st_listen(atoi(argv[0]));
	ep = epoll_create1(0);
	if (ep < 0)
		die("epoll_create1");
	ev.data.fd = lfd;
	if (epoll_ctl(ep, EPOLL_CTL_ADD, lfd, &ev))
		die("epoll_ctl");
	printf("ready\n");
	fflush(stdout);
	alarm(0);		/* a server waits as long as it is needed */
	for (;;) {
		int i, n = epoll_wait(ep, evs, 64, -1);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			die("epoll_wait");
		}
		for (i = 0; i < n; i++) {
			int fd = evs[i].data.fd;
			char buf[4096];
			ssize_t len;

			if (fd == lfd) {
				int c = accept4(lfd, NULL, NULL, SOCK_NONBLOCK);

				if (c < 0) {
					if (errno == EAGAIN || errno == EINTR ||
					    errno == ECONNABORTED)
						continue;
					die("accept");
				}
				st_nodelay(c);
				ev.data.fd = c;
				if (epoll_ctl(ep, EPOLL_CTL_ADD, c, &ev))
					die("epoll_ctl");
				if (++open_now == expect) {
					printf("open %d\n", open_now);
					fflush(stdout);
				}
				continue;
			}
			len = read(fd, buf, sizeof(buf));
			if (len < 0 && (errno == EAGAIN || errno == EINTR))
				continue;
			/* Echo (a short write drops the rest: 1-byte talk). */
			if (len > 0 && write(fd, buf, len) >= 0)
				continue;
			close(fd);
			open_now--;
		}
	}
	return 0;
}

/* sink PORT SECS */
static int st_sink(char **argv)
{
	struct timeval tv = { .tv_sec = 0, .tv_usec = 200000 };
	double secs = atof(argv[1]), t0 = 0, idle = now();
	unsigned long long bytes = 0;
	static char buf[1 << 16];
	int lfd = st_listen(atoi(argv[0])), fd;

	printf("ready\n");
	fflush(stdout);
	fd = accept(lfd, NULL, NULL);
	if (fd < 0)
		die("accept");
	if (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)))
		die("SO_RCVTIMEO");
	for (;;) {
		ssize_t n = recv(fd, buf, sizeof(buf), 0);
		double t = now();

		if (n < 0 && errno != EAGAIN && errno != EINTR)
			die("recv");
		if (n == 0) {
			fprintf(stderr, "ttpbench: sink: the sender closed early\n");
			return 1;
		}
		if (n < 0) {
			/* Nothing for 20 s: a stuck stream, not a rate. */
			if (t - (t0 ? t0 : idle) > 20 + (t0 ? secs : 0)) {
				fprintf(stderr, "ttpbench: sink: stalled after %llu bytes\n",
					bytes);
				return 1;
			}
			if (t0 && t - t0 >= secs)
				break;
			continue;
		}
		if (!t0)
			t0 = t;
		if (t - t0 >= secs)
			break;
		bytes += n;
	}
	printf("sink %llu %.3f\n", bytes, secs);
	fflush(stdout);
	/* Unread data: the close resets the connection and stops the sender. */
	close(fd);
	return 0;
}

/* bulk ADDR PORT SECS */
static int st_bulk(char **argv)
{
	static char buf[1 << 16];
	struct sockaddr_in dst;
	double end = now() + atof(argv[2]);
	unsigned long long bytes = 0;
	int fd;

	st_addr(&dst, argv[0], atoi(argv[1]));
	fd = st_connect(&dst, 0);
	if (fd < 0)
		die("connect");
	memset(buf, 'x', sizeof(buf));
	while (now() < end) {
		ssize_t n = send(fd, buf, sizeof(buf), MSG_NOSIGNAL);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			/* The sink closed: the normal end. */
			if (errno == EPIPE || errno == ECONNRESET)
				break;
			die("send");
		}
		bytes += n;
	}
	printf("bulk %llu\n", bytes);
	close(fd);
	return 0;
}

/* One 1-byte request and its 1-byte response: 0, or -1 (errno). */
static int st_transact(int fd)
{
	char c = 'r';

	if (send(fd, &c, 1, MSG_NOSIGNAL) != 1)
		return -1;
	switch (recv(fd, &c, 1, 0)) {
	case 1:
		return 0;
	case 0:
		errno = ECONNRESET;
		/* fall through */
	default:
		return -1;
	}
}

/* rr ADDR PORT SECS */
static int st_rr(char **argv)
{
	struct sockaddr_in dst;
	double secs = atof(argv[2]), t0, t;
	unsigned long long n = 0;
	int fd;

	st_addr(&dst, argv[0], atoi(argv[1]));
	fd = st_connect(&dst, 1);
	if (fd < 0)
		die("connect");
	t0 = now();
	do {
		if (st_transact(fd))
			die("request/response");
		n++;
		t = now();
	} while (t - t0 < secs);
	printf("rr %llu %.3f\n", n, t - t0);
	close(fd);
	return 0;
}

/* crr ADDR PORT SECS */
static int st_crr(char **argv)
{
	struct sockaddr_in dst;
	double secs = atof(argv[2]), t0, t;
	unsigned long long n = 0, errs = 0;

	st_addr(&dst, argv[0], atoi(argv[1]));
	t0 = now();
	do {
		int fd = st_connect(&dst, 1);

		if (fd < 0 || st_transact(fd)) {
			fprintf(stderr, "ttpbench: crr: %s: %s\n",
				fd < 0 ? "connect" : "request/response",
				strerror(errno));
			if (++errs >= 10)
				return 1;
		} else {
			n++;
		}
		if (fd >= 0)
			close(fd);
		t = now();
	} while (t - t0 < secs);
	printf("crr %llu %.3f %llu\n", n, t - t0, errs);
	return 0;
}

/* fill ADDR PORT N */
static int st_fill(char **argv)
{
	struct sockaddr_in dst;
	long i, want = atol(argv[2]);
	unsigned long long errs = 0;
	double t0 = now();

	st_addr(&dst, argv[0], atoi(argv[1]));
	for (i = 0; i < want; i++) {
		int fd = st_connect(&dst, 0);

		if (fd < 0) {
			fprintf(stderr, "ttpbench: fill: connect: %s\n",
				strerror(errno));
			if (++errs >= 10)
				return 1;
			continue;
		}
		close(fd);
	}
	printf("fill %ld %.3f %llu\n", want, now() - t0, errs);
	return 0;
}

static volatile sig_atomic_t st_stop;

static void on_term(int sig)
{
	(void)sig;
	st_stop = 1;
}

/* hold ADDR PORT N: SIGTERM resets them all (SO_LINGER {1, 0}). */
static int st_hold(char **argv)
{
	struct linger lg = { .l_onoff = 1, .l_linger = 0 };
	struct sockaddr_in dst;
	long i, want = atol(argv[2]);
	int *fds = calloc(want > 0 ? want : 1, sizeof(*fds));

	if (!fds)
		die("calloc");
	signal(SIGTERM, on_term);
	st_addr(&dst, argv[0], atoi(argv[1]));
	for (i = 0; i < want; i++) {
		fds[i] = st_connect(&dst, 0);
		if (fds[i] < 0)
			die("connect");
	}
	printf("held %ld\n", want);
	fflush(stdout);
	alarm(0);
	while (!st_stop)
		pause();
	/* No TIME_WAIT left behind to disturb the next measurement. */
	for (i = 0; i < want; i++) {
		setsockopt(fds[i], SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
		close(fds[i]);
	}
	printf("released %ld\n", want);
	return 0;
}

static int stream_main(int argc, char **argv)
{
	unsigned int wait = 120;
	int o;

	while ((o = getopt(argc, argv, "t:b:w:")) != -1) {
		switch (o) {
		case 't':
			if (!strcmp(optarg, "ttp"))
				st_ttp = 1;
			else if (!strcmp(optarg, "tcp"))
				st_ttp = 0;
			else
				usage();
			break;
		case 'b':
			st_src = optarg;
			break;
		case 'w':
			wait = atoi(optarg);
			break;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (st_ttp < 0 || argc < 1)
		usage();
	st_mode = argv[0];
	signal(SIGALRM, on_alarm);
	signal(SIGPIPE, SIG_IGN);
	alarm(wait);
	argc--;
	argv++;
	if (!strcmp(st_mode, "serve") && (argc == 1 || argc == 2))
		return st_serve(argc, argv);
	if (!strcmp(st_mode, "sink") && argc == 2)
		return st_sink(argv);
	if (argc != 3)
		usage();
	if (!strcmp(st_mode, "bulk"))
		return st_bulk(argv);
	if (!strcmp(st_mode, "rr"))
		return st_rr(argv);
	if (!strcmp(st_mode, "crr"))
		return st_crr(argv);
	if (!strcmp(st_mode, "fill"))
		return st_fill(argv);
	if (!strcmp(st_mode, "hold"))
		return st_hold(argv);
	usage();
	return 2;
}

int main(int argc, char **argv)
{
	if (argc > 1 && argv[1][0] == '-')
		return stream_main(argc, argv);
	if (argc == 5 && !strcmp(argv[1], "recv"))
		return do_recv(argv + 2);
	if (argc == 7 && !strcmp(argv[1], "send"))
		return do_send(argv + 2);
	usage();
	return 2;
}
