/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _TTP_AF_H
#define _TTP_AF_H

#include <linux/list.h>
#include <linux/sockptr.h>
#include <linux/spinlock.h>
#include <linux/types.h>

int ttp_af_init(int family);
void ttp_af_exit(void);

/* The address family number TTP registered (AF_TTP unless overridden). */
int ttp_af_family(void);

struct sock;
struct sockaddr;
struct sockaddr_ttp;

int ttp_af_check_addr(const struct sock *sk, const struct sockaddr_ttp *sttp,
		      int len);
int ttp_af_bind_addr(struct sock *sk, const struct sockaddr *uaddr, int len,
		     __be32 *addr, u16 *port);

/*
 * The network-layer options of datagram and control sockets (SOL_TTP
 * TTP_TTL, TTP_RECVTTL); written by setsockopt() without the socket lock,
 * so read with READ_ONCE().
 */
struct ttp_af_opts {
	int ttl;		/* 1..255; -1: the namespace's default_ttl */
	int recvttl;		/* 1: a TTP_TTL cmsg on each recvmsg() */
};

struct msghdr;
struct sk_buff;

void ttp_af_opts_init(struct ttp_af_opts *o);
u8 ttp_af_ttl(const struct sock *sk, const struct ttp_af_opts *o);
int ttp_af_setsockopt(struct ttp_af_opts *o, int level, int optname,
		      sockptr_t optval, unsigned int optlen);
int ttp_af_getsockopt(const struct sock *sk, const struct ttp_af_opts *o,
		      int level, int optname, char __user *optval,
		      int __user *optlen);
int ttp_af_recvmsg(struct sock *sk, struct msghdr *msg, size_t len,
		   int flags, const struct ttp_af_opts *o, bool port,
		   int drop_mib);

/*
 * A namespace's table of datagram or of control sockets, by local port
 * (a control socket's port is its identifier): writers under @lock,
 * readers (the receive path, /proc/net/ttp/sockets) under RCU.
 */
#define TTP_SK_HASH_SIZE	256

struct ttp_sk_table {
	spinlock_t lock;		/* writers; readers use RCU */
	struct hlist_head hash[TTP_SK_HASH_SIZE];
};

static inline struct hlist_head *ttp_sk_bucket(struct ttp_sk_table *t,
					       u16 port)
{
	return &t->hash[port % TTP_SK_HASH_SIZE];
}

struct seq_file;

int ttp_sk_table_init(struct ttp_sk_table **tp);
void ttp_sk_table_exit(struct ttp_sk_table **tp);
void ttp_sk_table_seq(struct seq_file *seq, struct ttp_sk_table *t,
		      void (*show)(struct seq_file *seq, struct sock *sk));
void ttp_af_seq_line(struct seq_file *seq, struct sock *sk, const char *proto,
		     __be32 saddr, u16 port, __be32 daddr, u16 dport);

#endif /* _TTP_AF_H */
