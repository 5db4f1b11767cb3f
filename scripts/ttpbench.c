// SPDX-License-Identifier: GPL-2.0
/*
 * ttpbench: one-sender datagram throughput, TTP against the kernel's UDP.
 *
 *   ttpbench recv ttp|udp PORT SECS
 *	count the datagrams that arrive in the SECS seconds after the first
 *	one; print "recv MSGS BYTES SECS"
 *   ttpbench send ttp|udp ADDR PORT SIZE SECS
 *	send SIZE-byte datagrams to ADDR:PORT as fast as sendto() returns,
 *	for SECS seconds; print "sent MSGS ERRORS"
 *
 * Both families use the same code path here, the same addresses and the
 * same cable, so the ratio of the two receive rates compares the stacks
 * and nothing else.  scripts/bench drives it.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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
		"       ttpbench send ttp|udp ADDR PORT SIZE SECS\n");
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

int main(int argc, char **argv)
{
	if (argc == 5 && !strcmp(argv[1], "recv"))
		return do_recv(argv + 2);
	if (argc == 7 && !strcmp(argv[1], "send"))
		return do_send(argv + 2);
	usage();
	return 2;
}
