/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ttp_common.h: helpers the C selftests share (namespaces built with
 * `ip -batch`, counters, sysctls, sockaddr_ttp, bounded waits).
 *
 * Include it after kselftest_harness.h: EXPECT_SOCKADDR() uses the
 * harness's EXPECT_*() macros.
 */
#ifndef TTP_COMMON_H
#define TTP_COMMON_H

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
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <linux/capability.h>
#include <linux/ttp.h>

/* Bounds stretch on the debug kernel (KASAN, lockdep), as in lib.sh. */
static inline int time_scale(void)
{
	struct utsname u;

	return !uname(&u) && strstr(u.release, "-dbg") ? 8 : 1;
}

static inline long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Poll COND every 10 ms for at most MS milliseconds; true if it held. */
#define WAIT_FOR(cond, ms) ({						\
	long __end = now_ms() + (long)(ms) * time_scale();		\
	bool __ok;							\
	while (!(__ok = (cond)) && now_ms() < __end)			\
		usleep(10000);						\
	__ok;								\
})

static inline int write_file(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write(fd, val, strlen(val));
	close(fd);
	return n == (ssize_t)strlen(val) ? 0 : -1;
}


/*
 * Enter a network namespace of our own (the test's child process is the
 * only one in it: the namespace and its cables go with it), with IPv6
 * off so nothing else talks on the cable (absent IPv6 is fine too).
 * 0, or -1 with errno from unshare() (needs CAP_SYS_ADMIN and _GNU_SOURCE).
 */
static inline int own_netns(void)
{
	if (unshare(CLONE_NEWNET))
		return -1;
	write_file("/proc/sys/net/ipv6/conf/all/disable_ipv6", "1");
	write_file("/proc/sys/net/ipv6/conf/default/disable_ipv6", "1");
	return 0;
}
/* Run `ip -batch -` with @cmds on stdin (one exec, not one per command). */
static inline int ip_batch(const char *cmds)
{
	int p[2], status;
	pid_t pid;

	if (pipe(p))
		return -1;
	pid = fork();
	if (pid < 0)
		return -1;
	if (!pid) {
		dup2(p[0], 0);
		close(p[0]);
		close(p[1]);
		execlp("ip", "ip", "-batch", "-", (char *)NULL);
		execl("/usr/sbin/ip", "ip", "-batch", "-", (char *)NULL);
		execl("/sbin/ip", "ip", "-batch", "-", (char *)NULL);
		_exit(127);
	}
	close(p[0]);
	if (write(p[1], cmds, strlen(cmds)) != (ssize_t)strlen(cmds))
		status = -1;
	close(p[1]);
	if (waitpid(pid, &status, 0) != pid)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* The value of counter @name in /proc/net/ttp/stats, or -1. */
static inline long ttp_stat(const char *name)
{
	char line[128], key[64];
	long val, ret = -1;
	FILE *f;

	f = fopen("/proc/net/ttp/stats", "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%63s %ld", key, &val) == 2 &&
		    !strcmp(key, name))
			ret = val;
	fclose(f);
	return ret;
}

static inline struct sockaddr_ttp sttp(const char *ip, int port)
{
	struct sockaddr_ttp a;

	memset(&a, 0, sizeof(a));
	a.sttp_family = AF_TTP;
	a.sttp_port = htons(port);
	inet_pton(AF_INET, ip, &a.sttp_addr);
	return a;
}

static inline __be32 ip4(const char *ip)
{
	struct in_addr a;

	inet_pton(AF_INET, ip, &a);
	return a.s_addr;
}

/* 0 or the errno of bind(@fd, @ip:@port). */
static inline int bind_err(int fd, const char *ip, int port)
{
	struct sockaddr_ttp a = sttp(ip, port);

	return bind(fd, (struct sockaddr *)&a, sizeof(a)) ? errno : 0;
}

static inline int connect_err(int fd, const char *ip, int port)
{
	struct sockaddr_ttp a = sttp(ip, port);

	return connect(fd, (struct sockaddr *)&a, sizeof(a)) ? errno : 0;
}

static inline int local_port(int fd)
{
	struct sockaddr_ttp a;
	socklen_t len = sizeof(a);

	if (getsockname(fd, (struct sockaddr *)&a, &len))
		return -1;
	return ntohs(a.sttp_port);
}

static inline int inq(int fd)
{
	int n = -1;

	return ioctl(fd, FIONREAD, &n) ? -1 : n;
}

static inline bool readable(int fd, int ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	return poll(&p, 1, ms * time_scale()) == 1 && (p.revents & POLLIN);
}

/* Wait (bounded) for a pending error on @fd: POLLERR. */
static inline bool error_pending(int fd, int ms)
{
	struct pollfd p = { .fd = fd, .events = 0 };

	return poll(&p, 1, ms * time_scale()) == 1 && (p.revents & POLLERR);
}

/*
 * An address as the kernel returned it: family, port, address, and the
 * padding zeroed over whatever the buffer held before.
 */
#define EXPECT_SOCKADDR(a, alen, ip, port) do {				\
	const struct sockaddr_ttp *__a = (const void *)(a);		\
	static const unsigned char __zero[8];				\
									\
	EXPECT_EQ(sizeof(struct sockaddr_ttp), (alen));			\
	EXPECT_EQ(AF_TTP, __a->sttp_family);				\
	EXPECT_EQ((port), ntohs(__a->sttp_port));			\
	EXPECT_EQ(ip4(ip), __a->sttp_addr)				\
		TH_LOG("address %s, want %s",				\
		       inet_ntoa(*(struct in_addr *)&__a->sttp_addr), ip); \
	EXPECT_EQ(0, memcmp(__a->sttp_zero, __zero, 8));		\
} while (0)

static inline ino_t sock_ino(int fd)
{
	struct stat st;

	return fstat(fd, &st) ? 0 : st.st_ino;
}

/* Drop CAP_NET_BIND_SERVICE from every set of this (child) process. */
static inline int drop_bind_cap(void)
{
	struct __user_cap_header_struct h = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct d[2];
	int i;

	if (syscall(SYS_capget, &h, d))
		return -1;
	for (i = 0; i < 2; i++) {
		d[i].effective &= ~(CAP_NET_BIND_SERVICE / 32 == i ?
				    1u << (CAP_NET_BIND_SERVICE % 32) : 0);
		d[i].permitted = d[i].effective & d[i].permitted;
		d[i].inheritable &= d[i].permitted;
	}
	if (syscall(SYS_capset, &h, d))
		return -1;
	if (syscall(SYS_capget, &h, d))
		return -1;
	return d[0].effective & (1u << CAP_NET_BIND_SERVICE) ? -1 : 0;
}

#endif /* TTP_COMMON_H */
