// SPDX-License-Identifier: GPL-2.0
/*
 * ttpping: ping and traceroute for TTP, on a control socket
 * (socket(AF_TTP, SOCK_DGRAM, TTPPROTO_CONTROL): Documentation/ping.md).
 *
 *   ttpping [-c COUNT] [-i SECS] [-t TTL] [-W SECS] [-s SIZE] ADDR
 *	send COUNT (default 4) echo requests, one every SECS (default 1,
 *	fractions allowed), each with SIZE data bytes (default 56) and TTL
 *	(default: the namespace's net.ttp.default_ttl); wait at most -W
 *	SECS (default 2) for each answer.  Prints, as ping does,
 *	  "N bytes from A: seq=N ttl=N time=X ms"	an echo reply
 *	  "from R: seq=N time exceeded"			a router's error
 *	  "from R: seq=N destination unreachable (WHY)"
 *	  "seq=N: no answer"				-W ran out
 *	then a summary.  Exit 0 if any echo reply came, else 1.
 *
 *   ttpping -T [-m MAXHOPS] [-W SECS] [-s SIZE] ADDR
 *	traceroute: one echo request with TTL 1, 2, ... (up to MAXHOPS,
 *	default 30); prints " HOP  ADDRESS  X ms" for who answered ("time
 *	exceeded" from a router, the echo reply from ADDR), " HOP  *" when
 *	nobody did within -W SECS.  Stops at the echo reply (exit 0) or at
 *	"destination unreachable" (exit 1).
 *
 * The kernel fills in the identifier (the socket's port) and the
 * checksum and delivers only the messages for this socket; the received
 * TTL comes with each message (TTP_RECVTTL).  A failing call prints
 * "ttpping: CALL: strerror (ERRNO_NAME)"; creating the socket needs
 * CAP_NET_RAW (EPERM otherwise).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <linux/ttp.h>

#include "ttp_tool.h"

/* The ICMP layout of a control header (RFC 792). */
struct ctl_hdr {
	uint8_t type;
	uint8_t code;
	uint16_t checksum;
	uint16_t id;
	uint16_t seq;
};

/* The network header a control error quotes (IPv4 layout, IHL 5). */
struct net_hdr {
	uint8_t vhl;
	uint8_t tos;
	uint16_t len;
	uint16_t id;
	uint16_t frag;
	uint8_t ttl;
	uint8_t proto;
	uint16_t check;
	uint32_t saddr;
	uint32_t daddr;
};

#define MAX_DATA	65507

static void die(const char *call)
{
	ttp_tool_die(call, 2);
}

static void usage(void)
{
	fprintf(stderr,
		"usage: ttpping [-c COUNT] [-i SECS] [-t TTL] [-W SECS] [-s SIZE] ADDR\n"
		"       ttpping -T [-m MAXHOPS] [-W SECS] [-s SIZE] ADDR   (traceroute)\n"
		"AF_TTP family number: $TTP_FAMILY or /sys/module/ttp/parameters/family\n");
	exit(2);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void sleep_until(double t)
{
	double d = t - now();
	struct timespec ts;

	if (d <= 0)
		return;
	ts.tv_sec = (time_t)d;
	ts.tv_nsec = (long)((d - ts.tv_sec) * 1e9);
	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

static const char *unreach_why(int code)
{
	switch (code) {
	case 0:
		return "network";
	case 1:
		return "host";
	case 2:
		return "protocol";
	case 3:
		return "port";
	case 4:
		return "fragmentation needed";
	}
	return "other";
}

/* What one received message was about. */
struct answer {
	int type;		/* TTP_CTL_*, or -1: a socket error */
	int code;
	int seq;		/* the echo request's sequence number */
	int ttl;		/* the received TTL, -1: unknown */
	int len;		/* bytes of the control message */
	int err;		/* type -1: errno */
	char from[INET_ADDRSTRLEN];
};

/*
 * Wait until @deadline for one message.  Returns 0 on timeout, 1 with
 * @a filled in.
 */
static int receive(int fd, double deadline, struct answer *a)
{
	static unsigned char buf[MAX_DATA + 64];
	char cbuf[CMSG_SPACE(sizeof(int))];
	struct sockaddr_ttp from;
	struct iovec iov = { .iov_base = buf, .iov_len = sizeof(buf) };
	struct msghdr msg = {
		.msg_name = &from, .msg_namelen = sizeof(from),
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
	};
	struct pollfd p = { .fd = fd, .events = POLLIN };
	const struct ctl_hdr *h = (const struct ctl_hdr *)buf;
	struct cmsghdr *c;
	double left;
	ssize_t n;

	for (;;) {
		left = deadline - now();
		if (left <= 0)
			return 0;
		n = poll(&p, 1, (int)(left * 1000) + 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			die("poll");
		if (!n)
			continue;
		n = recvmsg(fd, &msg, 0);
		if (n < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			/* An error the socket holds: ARP failed, ... */
			memset(a, 0, sizeof(*a));
			a->type = -1;
			a->err = errno;
			return 1;
		}
		if (n < (ssize_t)sizeof(*h))
			continue;
		memset(a, 0, sizeof(*a));
		a->type = h->type;
		a->code = h->code;
		a->len = n;
		a->ttl = -1;
		inet_ntop(AF_INET, &from.sttp_addr, a->from, sizeof(a->from));
		for (c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c))
			if (c->cmsg_level == SOL_TTP && c->cmsg_type == TTP_TTL)
				memcpy(&a->ttl, CMSG_DATA(c), sizeof(int));
		if (h->type == TTP_CTL_ECHOREPLY) {
			a->seq = ntohs(h->seq);
			return 1;
		}
		/* An error: the sequence is in the request it quotes. */
		if (n >= (ssize_t)(sizeof(*h) + sizeof(struct net_hdr) +
				   sizeof(*h))) {
			const struct ctl_hdr *q = (const void *)(buf +
				sizeof(*h) + sizeof(struct net_hdr));

			a->seq = ntohs(q->seq);
			return 1;
		}
	}
}

static void send_echo(int fd, const struct sockaddr_ttp *to, int seq,
		      int size)
{
	static unsigned char buf[sizeof(struct ctl_hdr) + MAX_DATA];
	struct ctl_hdr *h = (struct ctl_hdr *)buf;
	double t = now();
	int i;

	memset(h, 0, sizeof(*h));
	h->type = TTP_CTL_ECHO;
	h->seq = htons(seq);
	for (i = 0; i < size; i++)
		buf[sizeof(*h) + i] = 'a' + i % 26;
	/* The send time, as ping puts it in the data, when it fits. */
	if (size >= (int)sizeof(t))
		memcpy(buf + sizeof(*h), &t, sizeof(t));
	if (sendto(fd, buf, sizeof(*h) + size, 0, (const struct sockaddr *)to,
		   sizeof(*to)) < 0)
		die("sendto");
}

static void set_ttl(int fd, int ttl)
{
	if (setsockopt(fd, SOL_TTP, TTP_TTL, &ttl, sizeof(ttl)))
		die("setsockopt TTP_TTL");
}

static int traceroute(int fd, const struct sockaddr_ttp *to,
		      const char *dst, int maxhops, double wait, int size)
{
	struct answer a;
	int hop, got;
	double t0;

	printf("traceroute to %s, %d hops max, %zu byte packets\n", dst,
	       maxhops, sizeof(struct ctl_hdr) + size);
	for (hop = 1; hop <= maxhops; hop++) {
		set_ttl(fd, hop);
		t0 = now();
		send_echo(fd, to, hop, size);
		do
			got = receive(fd, t0 + wait, &a);
		while (got && a.type != -1 && a.seq != hop);
		if (!got) {
			printf("%2d  *\n", hop);
			fflush(stdout);
			continue;
		}
		if (a.type == -1) {
			printf("%2d  %s (%s)\n", hop, strerror(a.err),
			       strerrorname_np(a.err) ?: "?");
			return 1;
		}
		printf("%2d  %s  %.3f ms", hop, a.from, (now() - t0) * 1000);
		if (a.type == TTP_CTL_DEST_UNREACH) {
			printf("  destination unreachable (%s)\n",
			       unreach_why(a.code));
			return 1;
		}
		printf("\n");
		fflush(stdout);
		if (a.type == TTP_CTL_ECHOREPLY)
			return 0;
	}
	return 1;
}

static int ping(int fd, const struct sockaddr_ttp *to, const char *dst,
		int count, double interval, double wait, int size)
{
	double t0, start = now(), rtt, min = 0, max = 0, sum = 0;
	int seq, got, received = 0, errors = 0;
	struct answer a;

	printf("PING %s: %d data bytes\n", dst, size);
	for (seq = 1; seq <= count; seq++) {
		t0 = now();
		send_echo(fd, to, seq, size);
		for (;;) {
			got = receive(fd, t0 + wait, &a);
			if (!got) {
				printf("seq=%d: no answer\n", seq);
				break;
			}
			if (a.type == -1) {
				printf("seq=%d: %s (%s)\n", seq,
				       strerror(a.err),
				       strerrorname_np(a.err) ?: "?");
				errors++;
				break;
			}
			if (a.seq != seq)
				continue;	/* late: its time has passed */
			if (a.type == TTP_CTL_ECHOREPLY) {
				rtt = (now() - t0) * 1000;
				printf("%d bytes from %s: seq=%d ttl=%d time=%.3f ms\n",
				       a.len, a.from, seq, a.ttl, rtt);
				if (!received || rtt < min)
					min = rtt;
				if (rtt > max)
					max = rtt;
				sum += rtt;
				received++;
			} else if (a.type == TTP_CTL_TIME_EXCEEDED) {
				printf("from %s: seq=%d time exceeded\n",
				       a.from, seq);
				errors++;
			} else if (a.type == TTP_CTL_DEST_UNREACH) {
				printf("from %s: seq=%d destination unreachable (%s)\n",
				       a.from, seq, unreach_why(a.code));
				errors++;
			} else {
				continue;
			}
			break;
		}
		fflush(stdout);
		if (seq < count)
			sleep_until(t0 + interval);
	}
	printf("--- %s ttpping statistics ---\n", dst);
	printf("%d transmitted, %d received, %d errors, %d%% packet loss, time %.0f ms\n",
	       count, received, errors,
	       count ? (count - received) * 100 / count : 0,
	       (now() - start) * 1000);
	if (received)
		printf("rtt min/avg/max = %.3f/%.3f/%.3f ms\n", min,
		       sum / received, max);
	return received ? 0 : 1;
}

int main(int argc, char **argv)
{
	int count = 4, ttl = 0, size = 56, trace = 0, maxhops = 30, opt, fd;
	double interval = 1, wait = 2;
	struct sockaddr_ttp to;
	int on = 1;

	while ((opt = getopt(argc, argv, "c:i:t:W:s:Tm:h")) != -1) {
		switch (opt) {
		case 'c':
			count = atoi(optarg);
			break;
		case 'i':
			interval = atof(optarg);
			break;
		case 't':
			ttl = atoi(optarg);
			break;
		case 'W':
			wait = atof(optarg);
			break;
		case 's':
			size = atoi(optarg);
			break;
		case 'T':
			trace = 1;
			break;
		case 'm':
			maxhops = atoi(optarg);
			break;
		default:
			usage();
		}
	}
	if (optind != argc - 1 || count < 1 || size < 0 || size > MAX_DATA ||
	    wait <= 0 || interval < 0 || maxhops < 1 || maxhops > 255 ||
	    ttl < 0 || ttl > 255)
		usage();
	read_family();
	memset(&to, 0, sizeof(to));
	to.sttp_family = family;
	if (inet_pton(AF_INET, argv[optind], &to.sttp_addr) != 1) {
		fprintf(stderr, "ttpping: bad address %s\n", argv[optind]);
		return 2;
	}
	fd = socket(family, SOCK_DGRAM, TTPPROTO_CONTROL);
	if (fd < 0)
		die("socket");
	if (setsockopt(fd, SOL_TTP, TTP_RECVTTL, &on, sizeof(on)))
		die("setsockopt TTP_RECVTTL");
	if (ttl)
		set_ttl(fd, ttl);
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (trace)
		return traceroute(fd, &to, argv[optind], maxhops, wait, size);
	return ping(fd, &to, argv[optind], count, interval, wait, size);
}
