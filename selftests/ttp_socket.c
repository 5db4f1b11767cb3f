// SPDX-License-Identifier: GPL-2.0
/*
 * ttp_socket: the AF_TTP socket family.
 *
 * SOCK_STREAM and SOCK_DGRAM exist (with protocol 0 or their own); every
 * other type must fail with ESOCKTNOSUPPORT and count the refusal in
 * SockCreateUnsupported of the caller's namespace.  struct sockaddr_ttp
 * must have the layout of struct sockaddr_in.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <linux/ttp.h>

#include "kselftest_harness.h"
#include "ttp_common.h"

/* Expect socket(AF_TTP, type, protocol) to fail with ESOCKTNOSUPPORT. */
#define EXPECT_REFUSED(type, protocol) do {				\
	int fd = socket(AF_TTP, (type), (protocol));			\
	int err = errno;						\
									\
	EXPECT_EQ(-1, fd) {						\
		close(fd);						\
	}								\
	EXPECT_EQ(ESOCKTNOSUPPORT, err)					\
		TH_LOG("socket(AF_TTP, %s, %d): %s", #type, (protocol),	\
		       strerror(err));					\
} while (0)

TEST(stream_created)
{
	int fd;

	fd = socket(AF_TTP, SOCK_STREAM, 0);
	EXPECT_LE(0, fd) TH_LOG("socket(AF_TTP, SOCK_STREAM, 0): %s",
				strerror(errno));
	close(fd);
	fd = socket(AF_TTP, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
		    TTPPROTO_STREAM);
	EXPECT_LE(0, fd) TH_LOG("socket(AF_TTP, SOCK_STREAM, 6): %s",
				strerror(errno));
	close(fd);
	EXPECT_EQ(-1, socket(AF_TTP, SOCK_STREAM, TTPPROTO_DGRAM));
	EXPECT_EQ(EPROTONOSUPPORT, errno);
}

TEST(dgram_created)
{
	int fd;

	fd = socket(AF_TTP, SOCK_DGRAM, 0);
	EXPECT_LE(0, fd) TH_LOG("socket(AF_TTP, SOCK_DGRAM, 0): %s",
				strerror(errno));
	close(fd);
	fd = socket(AF_TTP, SOCK_DGRAM, TTPPROTO_DGRAM);
	EXPECT_LE(0, fd) TH_LOG("socket(AF_TTP, SOCK_DGRAM, 17): %s",
				strerror(errno));
	close(fd);
	EXPECT_EQ(-1, socket(AF_TTP, SOCK_DGRAM, TTPPROTO_STREAM));
	EXPECT_EQ(EPROTONOSUPPORT, errno);
}

TEST(raw_refused)
{
	EXPECT_REFUSED(SOCK_RAW, 0);
}

TEST(seqpacket_refused)
{
	EXPECT_REFUSED(SOCK_SEQPACKET, 0);
}

TEST(with_protocol_refused)
{
	EXPECT_REFUSED(SOCK_RAW, 6);
	EXPECT_REFUSED(SOCK_SEQPACKET | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
}

TEST(sockaddr_ttp_is_sockaddr_in)
{
	EXPECT_EQ(16, sizeof(struct sockaddr_ttp));
	EXPECT_EQ(sizeof(struct sockaddr_in), sizeof(struct sockaddr_ttp));
	EXPECT_EQ(offsetof(struct sockaddr_in, sin_family),
		  offsetof(struct sockaddr_ttp, sttp_family));
	EXPECT_EQ(offsetof(struct sockaddr_in, sin_port),
		  offsetof(struct sockaddr_ttp, sttp_port));
	EXPECT_EQ(offsetof(struct sockaddr_in, sin_addr),
		  offsetof(struct sockaddr_ttp, sttp_addr));
	EXPECT_EQ(offsetof(struct sockaddr_in, sin_zero),
		  offsetof(struct sockaddr_ttp, sttp_zero));
	EXPECT_EQ(sizeof(((struct sockaddr_in *)0)->sin_port),
		  sizeof(((struct sockaddr_ttp *)0)->sttp_port));
	EXPECT_EQ(sizeof(((struct sockaddr_in *)0)->sin_addr),
		  sizeof(((struct sockaddr_ttp *)0)->sttp_addr));
	EXPECT_EQ(25, AF_TTP);
	EXPECT_EQ(AF_TTP, PF_TTP);
}

TEST(family_parameter_is_25)
{
	int family = -1;
	FILE *f;

	f = fopen("/sys/module/ttp/parameters/family", "r");
	ASSERT_NE(NULL, f) TH_LOG("ttp is not loaded");
	ASSERT_EQ(1, fscanf(f, "%d", &family));
	fclose(f);
	EXPECT_EQ(AF_TTP, family);
}

#define REFUSALS 10

TEST(counter_counts_refusals)
{
	long before, after;
	int i;

	before = ttp_stat("SockCreateUnsupported");
	ASSERT_LE(0, before);
	for (i = 0; i < REFUSALS; i++)
		ASSERT_EQ(-1, socket(AF_TTP, i % 2 ? SOCK_RAW : SOCK_SEQPACKET, 0));
	after = ttp_stat("SockCreateUnsupported");
	EXPECT_EQ(REFUSALS, after - before);
}

/* A new namespace starts at 0, counts its own refusals, not its parent's. */
TEST(counter_is_per_netns)
{
	long parent_before, parent_after;
	int parent;
	int i;

	parent = open("/proc/self/ns/net", O_RDONLY);
	ASSERT_LE(0, parent);
	parent_before = ttp_stat("SockCreateUnsupported");
	ASSERT_LE(0, parent_before);

	ASSERT_EQ(0, unshare(CLONE_NEWNET)) TH_LOG("unshare: %s", strerror(errno));
	EXPECT_EQ(0, ttp_stat("SockCreateUnsupported"));
	for (i = 0; i < REFUSALS; i++)
		socket(AF_TTP, SOCK_SEQPACKET, 0);
	EXPECT_EQ(REFUSALS, ttp_stat("SockCreateUnsupported"));

	ASSERT_EQ(0, setns(parent, CLONE_NEWNET));
	close(parent);
	parent_after = ttp_stat("SockCreateUnsupported");
	EXPECT_EQ(parent_before, parent_after);
}

TEST_HARNESS_MAIN
