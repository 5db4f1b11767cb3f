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
 * Every failing call prints "ttpcat: CALL: strerror (ERRNO_NAME)" and
 * exits 1, so tests and students see exactly which errno the kernel gave.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>
#include <linux/ttp.h>

static int family = AF_TTP;

static void die(const char *call)
{
	int e = errno;

	fprintf(stderr, "ttpcat: %s: %s (%s)\n", call, strerror(e),
		strerrorname_np(e) ? strerrorname_np(e) : "?");
	exit(1);
}

static void usage(void)
{
	fprintf(stderr,
		"usage: ttpcat -u [-b ADDR:PORT] -l PORT [-e] [-n COUNT] [-w SECS]\n"
		"       ttpcat -u [-b ADDR:PORT] [-C] [-r] ADDR PORT [-m MSG] [-s SIZE] [-n COUNT] [-w SECS]\n"
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

static void read_family(void)
{
	const char *env = getenv("TTP_FAMILY");
	FILE *f;

	if (env) {
		family = atoi(env);
		return;
	}
	f = fopen("/sys/module/ttp/parameters/family", "r");
	if (f) {
		if (fscanf(f, "%d", &family) != 1)
			family = AF_TTP;
		fclose(f);
	}
}

int main(int argc, char **argv)
{
	int opt, listen_port = -1, count = 1, size = -1, secs = 0;
	int do_connect = 0, echo = 0, reply = 0, bound = 0, fd, i;
	const char *msg = "hello";
	struct sockaddr_ttp local, peer, from;
	char buf[65536], a[64];

	read_family();
	while ((opt = getopt(argc, argv, "ub:l:n:w:m:s:Cer")) != -1) {
		switch (opt) {
		case 'u': break;
		case 'b': parse_hostport(&local, optarg); bound = 1; break;
		case 'l': listen_port = atoi(optarg); break;
		case 'n': count = atoi(optarg); break;
		case 'w': secs = atoi(optarg); break;
		case 'm': msg = optarg; break;
		case 's': size = atoi(optarg); break;
		case 'C': do_connect = 1; break;
		case 'e': echo = 1; break;
		case 'r': reply = 1; break;
		default: usage();
		}
	}
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
