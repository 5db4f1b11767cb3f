/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _TTP_AF_H
#define _TTP_AF_H

#include <linux/list.h>
#include <linux/sockptr.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <net/sock.h>

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
int ttp_af_fill_name(struct sockaddr_ttp *sttp, const struct sock *sk,
		     __be32 addr, __be16 port);

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

/*
 * A datagram or control socket (dgram.c, ctl_sock.c; their shared calls
 * are in af_sock.c).  The addresses and ports are written under
 * lock_sock() and the table lock, and read by the receive path under RCU
 * alone.
 */
struct ttp_af_sock {
	struct sock sk;		/* first: sk_alloc() allocates the whole */
	struct ttp_sk_table *table;	/* the namespace's, of its kind */
	__be32 saddr;		/* local address: bound or chosen by connect() */
	__be32 daddr;		/* connected peer; 0 when not connected */
	u16 port;		/* local port (a control socket's identifier),
				 * host order; 0: not in the table
				 */
	__be16 dport;		/* connected peer's port; 0 for control */
	struct ttp_af_opts opts;	/* TTP_TTL, TTP_RECVTTL */
};

static inline struct ttp_af_sock *ttp_af_sk(const struct sock *sk)
{
	return container_of(sk, struct ttp_af_sock, sk);
}

/* What makes datagram and control sockets differ in the shared calls. */
struct ttp_af_kind {
	const char *proto;	/* in /proc/net/ttp/sockets */
	/* Is @port taken for @sk bound to @saddr?  The table is locked. */
	bool (*taken)(void *table, const struct sock *sk, __be32 saddr,
		      u16 port);
	bool peer_port;		/* a peer has a port (connect(), recvmsg()) */
	int drop_mib;		/* counts a datagram a failed copy lost; -1 */
};

/*
 * A namespace's table of datagram or of control sockets, by local port:
 * writers under @lock, readers (the receive path, /proc/net/ttp/sockets)
 * under RCU.
 */
#define TTP_SK_HASH_SIZE	256

struct ttp_sk_table {
	spinlock_t lock;		/* writers; readers use RCU */
	const struct ttp_af_kind *kind;
	struct hlist_head hash[TTP_SK_HASH_SIZE];
};

static inline struct hlist_head *ttp_sk_bucket(struct ttp_sk_table *t,
					       u16 port)
{
	return &t->hash[port % TTP_SK_HASH_SIZE];
}

struct seq_file;
struct socket;

int ttp_sk_table_init(struct ttp_sk_table **tp, const struct ttp_af_kind *kind);
void ttp_sk_table_exit(struct ttp_sk_table **tp);
void ttp_sk_table_seq(struct seq_file *seq, struct ttp_sk_table *t);

void ttp_af_sock_init(struct sock *sk, struct ttp_sk_table *t);
int ttp_af_hash(struct sock *sk, __be32 saddr, u16 port);
int ttp_af_autobind(struct sock *sk);
int ttp_af_bind_to(struct sock *sk, __be32 addr, u16 port);
int ttp_af_connect(struct socket *sock, struct sockaddr *uaddr, int addr_len,
		   int flags);
int ttp_af_getname(struct socket *sock, struct sockaddr *uaddr, int peer);
int ttp_af_recvmsg(struct socket *sock, struct msghdr *msg, size_t len,
		   int flags);
int ttp_af_ioctl(struct socket *sock, unsigned int cmd, unsigned long arg);
int ttp_af_shutdown(struct socket *sock, int how);
int ttp_af_sock_setsockopt(struct socket *sock, int level, int optname,
			   sockptr_t optval, unsigned int optlen);
int ttp_af_sock_getsockopt(struct socket *sock, int level, int optname,
			   char __user *optval, int __user *optlen);
int ttp_af_release(struct socket *sock);

#endif /* _TTP_AF_H */
