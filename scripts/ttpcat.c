// SPDX-License-Identifier: GPL-2.0
/*
 * ttpcat: netcat for TTP sockets, for labs and tests.
 *
 *   ttpcat -u [-b ADDR:PORT] -l PORT [-n COUNT] [-w SECS]
 *	receive datagrams, print "from A:P len N: DATA" per datagram
 *   ttpcat -u [-b ADDR:PORT] [-C] ADDR PORT [-m MSG] [-s SIZE] [-n COUNT]
 *	send COUNT datagrams of MSG (default "hello") or SIZE bytes;
 *	-C connects first (send/recv on a connected socket); -r waits for
 *	a reply to each datagram (ping-pong)
 *   ttpcat -u -e ADDR PORT  echo server mode is -l with -e
 *
 *   ttpcat -t [-b ADDR:PORT] -l PORT [-H] [-q] [-v] [-w SECS]
 *	stream server: accept one connection (then close the listener)
 *   ttpcat -t [-b ADDR:PORT] [-H] [-q] [-v] [-w SECS] ADDR PORT
 *	stream client: connect
 *	Both copy stdin to the socket and the socket to stdout, like
 *	netcat.  At stdin's EOF: shutdown(SHUT_WR) (our FIN; reading goes
 *	on), unless -H (hold: no half-close, as ncat --no-shutdown).  The
 *	program ends, closing the socket, once both stdin and the peer
 *	are at EOF; -q quits at the peer's EOF without waiting for
 *	stdin's (unlike Debian nc's -q SECS).  -w SECS: give up after SECS
 *	without progress (connect, accept or transfer: exit 1).  -v: the
 *	4-tuple on stderr.
 *	A slow reader, for flow-control tests: -R BYTES_PER_SEC reads the
 *	socket no faster than that (on average since the connection began;
 *	the socket is not read at all while ahead), -B BYTES sets SO_RCVBUF
 *	before connect() or listen() (a listener's child inherits it).
 *
 * Every failing call prints "ttpcat: CALL: strerror (ERRNO_NAME)" and
 * exits 1, so tests and students see exactly which errno the kernel gave.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>
#include <linux/ttp.h>

#include "ttp_tool.h"

static void die(const char *call)
{
	ttp_tool_die(call, 1);
}

static void usage(void)
{
	fprintf(stderr,
		"usage: ttpcat -u [-b ADDR:PORT] -l PORT [-e] [-n COUNT] [-w SECS]\n"
		"       ttpcat -u [-b ADDR:PORT] [-C] [-r] ADDR PORT [-m MSG] [-s SIZE] [-n COUNT] [-w SECS]\n"
		"       ttpcat -t [-b ADDR:PORT] -l PORT [-H] [-q] [-v] [-w SECS] [-R RATE] [-B RCVBUF]\n"
		"       ttpcat -t [-b ADDR:PORT] [-H] [-q] [-v] [-w SECS] [-R RATE] [-B RCVBUF] ADDR PORT\n"
		"  -u datagrams; -t a stream: stdin -> socket, socket -> stdout;\n"
		"  at stdin EOF shutdown(SHUT_WR) unless -H; exit when both sides\n"
		"  are at EOF, or at the peer's EOF with -q; -v prints the 4-tuple\n"
		"  on stderr; -w SECS gives up after SECS without progress;\n"
		"  -R reads at most RATE bytes/s, -B sets SO_RCVBUF (slow reader)\n"
		"AF_TTP family number: $TTP_FAMILY or /sys/module/ttp/parameters/family\n");
	exit(2);
}

static void fill_addr(struct sockaddr_ttp *a, const char *host, int port)
{
	memset(a, 0, sizeof(*a));
	a->sttp_family = family;
	a->sttp_port = htons(port);
	if (inet_pton(AF_INET, host, &a->sttp_addr) != 1) {
		fprintf(stderr, "ttpcat: bad address %s\n", host);
		exit(2);
	}
}

static void parse_hostport(struct sockaddr_ttp *a, char *s)
{
	char *colon = strrchr(s, ':');

	if (!colon)
		usage();
	*colon = 0;
	fill_addr(a, *s ? s : "0.0.0.0", atoi(colon + 1));
}

static const char *fmt(const struct sockaddr_ttp *a, char *buf, size_t n)
{
	char ip[INET_ADDRSTRLEN];

	inet_ntop(AF_INET, &a->sttp_addr, ip, sizeof(ip));
	snprintf(buf, n, "%s:%u", ip, ntohs(a->sttp_port));
	return buf;
}

/* --- stream mode (-t) ----------------------------------------------- */

static long read_rate;		/* -R: bytes per second, 0: no limit */

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

/*
 * -R: how many ms the reader is ahead of RATE after @got bytes since
 * @start (0: it may read now).
 */
static long long read_ahead_ms(long long start, long long got)
{
	long long due = start + got * 1000 / read_rate;
	long long now = now_ms();

	return due > now ? due - now : 0;
}

/* Wait for @events on @fd for at most @secs seconds (0: forever). */
static void wait_fd(int fd, short events, int secs, const char *what)
{
	struct pollfd p = { .fd = fd, .events = events };
	int n;

	do
		n = poll(&p, 1, secs ? secs * 1000 : -1);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		die("poll");
	if (!n) {
		fprintf(stderr, "ttpcat: %s: no progress in %d s\n", what, secs);
		exit(1);
	}
}

static void write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			die("write");
		}
		p += w;
		n -= w;
	}
}

static void print_tuple(int fd, const char *how)
{
	struct sockaddr_ttp l, r;
	socklen_t ll = sizeof(l), rl = sizeof(r);
	char a[64], b[64];

	if (getsockname(fd, (struct sockaddr *)&l, &ll))
		die("getsockname");
	if (getpeername(fd, (struct sockaddr *)&r, &rl))
		die("getpeername");
	fprintf(stderr, "ttpcat: %s %s %s\n", how, fmt(&l, a, sizeof(a)),
		fmt(&r, b, sizeof(b)));
}

/*
 * Copy stdin to @fd and @fd to stdout until both are at EOF (or the
 * peer's EOF with @quit).  Stdin is read only when what it gave last
 * went out, and the socket is written without blocking, so a peer that
 * sends while we send never deadlocks us.
 */
static void stream_copy(int fd, int hold, int quit, int secs)
{
	static char out[65536], in[65536];
	size_t pending = 0, off = 0, chunk = sizeof(in);
	int in_eof = 0, net_eof = 0;
	long long start = now_ms(), got = 0, ahead = 0;

	/* -R: reads of at most 1/20 s worth of data */
	if (read_rate && read_rate / 20 < (long)chunk)
		chunk = read_rate / 20 ? read_rate / 20 : 1;
	while (!net_eof || (!in_eof && !quit)) {
		struct pollfd p[2] = {
			{ .fd = in_eof || pending ? -1 : 0, .events = POLLIN },
			{ .fd = fd, .events = (net_eof ? 0 : POLLIN) |
					      (pending ? POLLOUT : 0) },
		};
		int n, tmo = secs ? secs * 1000 : -1;

		ahead = read_rate && !net_eof ? read_ahead_ms(start, got) : 0;
		if (ahead) {
			/* not reading now: wake up when due */
			p[1].events &= ~POLLIN;
			if (!p[1].events)
				p[1].fd = -1;
			if (tmo < 0 || ahead < tmo)
				tmo = ahead;
		}
		n = poll(p, 2, tmo);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			die("poll");
		if (!n && ahead)
			continue;
		if (!n) {
			fprintf(stderr, "ttpcat: no progress in %d s\n", secs);
			exit(1);
		}
		if (p[1].revents & (POLLIN | POLLHUP | POLLERR) && !net_eof &&
		    !ahead) {
			ssize_t r = recv(fd, in, chunk, MSG_DONTWAIT);

			if (r < 0 && errno != EAGAIN && errno != EINTR)
				die("recv");
			if (r == 0)
				net_eof = 1;
			if (r > 0) {
				write_all(1, in, r);
				got += r;
			}
		}
		if (pending && p[1].revents & (POLLOUT | POLLERR)) {
			ssize_t w = send(fd, out + off, pending,
					 MSG_DONTWAIT | MSG_NOSIGNAL);

			if (w < 0 && errno != EAGAIN && errno != EINTR)
				die("send");
			if (w > 0) {
				off += w;
				pending -= w;
			}
		}
		if (p[0].revents & (POLLIN | POLLHUP | POLLERR)) {
			ssize_t r = read(0, out, sizeof(out));

			if (r < 0 && errno != EINTR)
				die("read");
			if (r > 0) {
				pending = r;
				off = 0;
			}
			if (r == 0) {
				in_eof = 1;
				if (!hold && shutdown(fd, SHUT_WR))
					die("shutdown");
			}
		}
	}
	if (close(fd))
		die("close");
}

static int stream_main(int argc, char **argv, int listen_port,
		       struct sockaddr_ttp *local, int bound, int hold,
		       int quit, int verbose, int secs, int rcvbuf)
{
	struct sockaddr_ttp peer;
	int fd, c;

	if (listen_port < 0 && optind + 2 != argc)
		usage();
	if (listen_port >= 0 && optind != argc)
		usage();
	signal(SIGPIPE, SIG_IGN);
	fd = socket(family, SOCK_STREAM, 0);
	if (fd < 0)
		die("socket");
	if (secs) {
		struct timeval tv = { .tv_sec = secs };

		/* bounds a blocking connect(), as for TCP */
		if (setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv)))
			die("setsockopt SO_SNDTIMEO");
	}
	if (rcvbuf && setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf,
				 sizeof(rcvbuf)))
		die("setsockopt SO_RCVBUF");
	if (listen_port >= 0 && !bound) {
		fill_addr(local, "0.0.0.0", listen_port);
		bound = 1;
	}
	if (bound && bind(fd, (struct sockaddr *)local, sizeof(*local)))
		die("bind");
	if (listen_port >= 0) {
		if (listen(fd, 1))
			die("listen");
		wait_fd(fd, POLLIN, secs, "accept");
		c = accept(fd, NULL, NULL);
		if (c < 0)
			die("accept");
		close(fd);
		fd = c;
		if (verbose)
			print_tuple(fd, "accepted");
	} else {
		fill_addr(&peer, argv[optind], atoi(argv[optind + 1]));
		if (connect(fd, (struct sockaddr *)&peer, sizeof(peer)))
			die("connect");
		if (verbose)
			print_tuple(fd, "connected");
	}
	stream_copy(fd, hold, quit, secs);
	return 0;
}

int main(int argc, char **argv)
{
	int opt, listen_port = -1, count = 1, size = -1, secs = 0;
	int do_connect = 0, echo = 0, reply = 0, bound = 0, fd, i;
	int stream = 0, hold = 0, quit = 0, verbose = 0, rcvbuf = 0;
	const char *msg = "hello";
	struct sockaddr_ttp local, peer, from;
	char buf[65536], a[64];

	read_family();
	while ((opt = getopt(argc, argv, "utb:l:n:w:m:s:CerHqvR:B:")) != -1) {
		switch (opt) {
		case 'u': stream = 0; break;
		case 't': stream = 1; break;
		case 'H': hold = 1; break;
		case 'q': quit = 1; break;
		case 'v': verbose = 1; break;
		case 'b': parse_hostport(&local, optarg); bound = 1; break;
		case 'l': listen_port = atoi(optarg); break;
		case 'n': count = atoi(optarg); break;
		case 'w': secs = atoi(optarg); break;
		case 'm': msg = optarg; break;
		case 's': size = atoi(optarg); break;
		case 'C': do_connect = 1; break;
		case 'e': echo = 1; break;
		case 'r': reply = 1; break;
		case 'R': read_rate = atol(optarg); break;
		case 'B': rcvbuf = atoi(optarg); break;
		default: usage();
		}
	}
	if (stream)
		return stream_main(argc, argv, listen_port, &local, bound,
				   hold, quit, verbose, secs, rcvbuf);
	if (listen_port < 0 && optind + 2 != argc)
		usage();
	fd = socket(family, SOCK_DGRAM, 0);
	if (fd < 0)
		die("socket");
	if (secs) {
		struct timeval tv = { .tv_sec = secs };

		if (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)))
			die("setsockopt SO_RCVTIMEO");
	}
	if (listen_port >= 0 && !bound) {
		fill_addr(&local, "0.0.0.0", listen_port);
		bound = 1;
	}
	if (bound && bind(fd, (struct sockaddr *)&local, sizeof(local)))
		die("bind");

	if (listen_port >= 0) {
		for (i = 0; count <= 0 || i < count; i++) {
			socklen_t len = sizeof(from);
			ssize_t n = recvfrom(fd, buf, sizeof(buf) - 1, 0,
					     (struct sockaddr *)&from, &len);
			if (n < 0)
				die("recvfrom");
			buf[n] = 0;
			printf("from %s len %zd: %s\n", fmt(&from, a, sizeof(a)),
			       n, buf);
			fflush(stdout);
			if (echo && sendto(fd, buf, n, 0,
					   (struct sockaddr *)&from, len) < 0)
				die("sendto");
		}
		return 0;
	}

	fill_addr(&peer, argv[optind], atoi(argv[optind + 1]));
	if (do_connect && connect(fd, (struct sockaddr *)&peer, sizeof(peer)))
		die("connect");
	if (size >= 0) {
		if (size > (int)sizeof(buf))
			size = sizeof(buf);
		memset(buf, 'x', size);
	} else {
		size = strlen(msg);
		memcpy(buf, msg, size);
	}
	for (i = 0; i < count; i++) {
		ssize_t n = do_connect ? send(fd, buf, size, 0) :
			sendto(fd, buf, size, 0, (struct sockaddr *)&peer,
			       sizeof(peer));
		if (n < 0)
			die(do_connect ? "send" : "sendto");
		if (reply) {
			char in[65536];

			n = recv(fd, in, sizeof(in), 0);
			if (n < 0)
				die("recv");
		}
	}
	return 0;
}
