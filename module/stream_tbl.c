// SPDX-License-Identifier: GPL-2.0
/*
 * The stream tables of a namespace.
 *
 * bhash: every bound stream socket (listeners included), by local port,
 *   through sk_bind_node: bind() rules and listener lookup.
 * ehash: every synchronized or half-open connection, by its 4-tuple,
 *   through sk_node: where an arriving segment looks first.
 *
 * Writers hold the table's spinlock; the receive path reads under RCU
 * and takes a reference with refcount_inc_not_zero(), then checks the
 * keys again: a socket freed and reused meanwhile is SOCK_RCU_FREE, so
 * its memory is still a socket, but maybe another one.
 */
#include <linux/capability.h>
#include <linux/jhash.h>
#include <linux/random.h>
#include <linux/rculist.h>

#include <uapi/linux/ttp.h>

#include "stream.h"

static u32 ttp_stream_ehash_secret __read_mostly;

static struct hlist_head *ttp_stream_bbucket(struct ttp_stream_table *t,
					     u16 port)
{
	return &t->bhash[port % TTP_STREAM_BHASH_SIZE];
}

static struct hlist_head *ttp_stream_ebucket(struct ttp_stream_table *t,
					     __be32 laddr, __be16 lport,
					     __be32 raddr, __be16 rport)
{
	u32 h;

	net_get_random_once(&ttp_stream_ehash_secret,
			    sizeof(ttp_stream_ehash_secret));
	h = jhash_3words((__force u32)laddr, (__force u32)raddr,
			 (__force u32)lport << 16 | (__force u32)rport,
			 ttp_stream_ehash_secret);

	return &t->ehash[h % TTP_STREAM_EHASH_SIZE];
}

/* --- bind ------------------------------------------------------------- */

/*
 * Linux's TCP rule, simplified: the port is taken when addresses overlap
 * (equal or either wildcard) and the devices do too, unless both sockets
 * set SO_REUSEADDR and neither listens.  TIME_WAIT entries are not
 * sockets: ttp_stream_tw_port_taken() has their rule.
 */
static bool ttp_stream_clash(const struct sock *sk, __be32 saddr,
			     const struct sock *sk2)
{
	__be32 saddr2 = READ_ONCE(ttp_stream_sk(sk2)->saddr);
	int dev = READ_ONCE(sk->sk_bound_dev_if);
	int dev2 = READ_ONCE(sk2->sk_bound_dev_if);
	int st2 = READ_ONCE(sk2->sk_state);

	if (sk->sk_reuse && sk2->sk_reuse && st2 != TTP_LISTEN)
		return false;
	if (saddr && saddr2 && saddr != saddr2)
		return false;
	return !dev || !dev2 || dev == dev2;
}

/*
 * Called with the table lock held.  @ephemeral: a port we choose, where
 * TIME_WAIT entries count even against SO_REUSEADDR (connect() would
 * fail on the 4-tuple otherwise; there are other ports to try).
 */
static bool ttp_stream_port_taken(struct ttp_stream_table *t,
				  const struct sock *sk, __be32 saddr, u16 port,
				  bool ephemeral)
{
	struct sock *sk2;

	sk_for_each_bound(sk2, ttp_stream_bbucket(t, port))
		if (sk2 != sk && ttp_stream_sk(sk2)->num == port &&
		    ttp_stream_clash(sk, saddr, sk2))
			return true;
	return ttp_stream_tw_port_taken(t, sk, saddr, port, ephemeral);
}

/* The rule for ports we pick: TIME_WAIT entries count (see above). */
static bool ttp_stream_ephemeral_taken(void *t, const struct sock *sk,
				       __be32 saddr, u16 port)
{
	return ttp_stream_port_taken(t, sk, saddr, port, true);
}

/**
 * ttp_stream_bind_port - enter @sk in bhash as @saddr:@port
 * @sk: an unbound socket, under lock_sock()
 * @saddr: local address or 0 (wildcard)
 * @port: host order; 0 asks for an ephemeral port
 *
 * Return: 0, or -EADDRINUSE (also for an exhausted ephemeral range:
 * connect() turns that into -EADDRNOTAVAIL, as on Linux).
 */
int ttp_stream_bind_port(struct sock *sk, __be32 saddr, u16 port)
{
	struct ttp_stream_table *t = ttp_stream_table(sk);
	struct ttp_stream_sock *ss = ttp_stream_sk(sk);

	spin_lock_bh(&t->lock);
	if (!port)
		port = ttp_net_pick_port(sk, saddr,
					 ttp_stream_ephemeral_taken, t);
	else if (ttp_stream_port_taken(t, sk, saddr, port, false))
		port = 0;
	if (port) {
		WRITE_ONCE(ss->saddr, saddr);
		WRITE_ONCE(ss->sport, htons(port));
		WRITE_ONCE(ss->num, port);
		sock_hold(sk);		/* the table's reference */
		hlist_add_head_rcu(&sk->sk_bind_node,
				   ttp_stream_bbucket(t, port));
	}
	spin_unlock_bh(&t->lock);
	return port ? 0 : -EADDRINUSE;
}

/**
 * ttp_stream_listen_start - passive OPEN of @sk, bound
 * @sk: under lock_sock()
 *
 * SO_REUSEADDR lets sockets share a port, but only one of them may
 * listen on an address: -EADDRINUSE for the second, as on Linux.  The
 * check and the state change are one step under the table lock.
 */
int ttp_stream_listen_start(struct sock *sk)
{
	struct ttp_stream_table *t = ttp_stream_table(sk);
	struct ttp_stream_sock *ss = ttp_stream_sk(sk);
	int dev = READ_ONCE(sk->sk_bound_dev_if);
	struct sock *sk2;
	int err = 0;

	spin_lock_bh(&t->lock);
	sk_for_each_bound(sk2, ttp_stream_bbucket(t, ss->num)) {
		struct ttp_stream_sock *s2 = ttp_stream_sk(sk2);
		int dev2 = READ_ONCE(sk2->sk_bound_dev_if);

		if (sk2 == sk || s2->num != ss->num ||
		    READ_ONCE(sk2->sk_state) != TTP_LISTEN)
			continue;
		if (ss->saddr && s2->saddr && ss->saddr != s2->saddr)
			continue;
		if (!dev || !dev2 || dev == dev2) {
			err = -EADDRINUSE;
			break;
		}
	}
	if (!err)
		err = ttp_stream_event(sk, TTP_EV_LISTEN);
	spin_unlock_bh(&t->lock);
	return err;
}

void ttp_stream_unbind(struct sock *sk)
{
	struct ttp_stream_table *t = ttp_stream_table(sk);
	bool was = false;

	spin_lock_bh(&t->lock);
	if (!hlist_unhashed(&sk->sk_bind_node)) {
		hlist_del_init_rcu(&sk->sk_bind_node);
		WRITE_ONCE(ttp_stream_sk(sk)->num, 0);
		was = true;
	}
	spin_unlock_bh(&t->lock);
	if (was)
		sock_put(sk);
}

/*
 * A listener's child shares the listener's port without the bind()
 * rules, as Linux's children share their listener's bind bucket.
 */
void ttp_stream_bind_child(struct sock *sk)
{
	struct ttp_stream_table *t = ttp_stream_table(sk);

	spin_lock_bh(&t->lock);
	sock_hold(sk);
	hlist_add_head_rcu(&sk->sk_bind_node,
			   ttp_stream_bbucket(t, ttp_stream_sk(sk)->num));
	spin_unlock_bh(&t->lock);
}

/* --- connections ------------------------------------------------------ */

/*
 * Enter a connection's 4-tuple in ehash.  -EADDRNOTAVAIL if another
 * socket has the same 4-tuple (connect() from a port shared through
 * SO_REUSEADDR).
 */
int ttp_stream_hash_conn(struct sock *sk)
{
	struct ttp_stream_table *t = ttp_stream_table(sk);
	struct ttp_stream_sock *ss = ttp_stream_sk(sk);
	struct ttp_stream_tuple k = {
		.saddr = ss->saddr, .daddr = ss->daddr,
		.sport = ss->sport, .dport = ss->dport,
	};
	struct hlist_head *head;
	struct sock *sk2;
	int err = -EADDRNOTAVAIL;

	head = ttp_stream_ebucket(t, ss->saddr, ss->sport, ss->daddr,
				  ss->dport);
	spin_lock_bh(&t->lock);
	/* Not while the old incarnation of the 4-tuple is in TIME_WAIT. */
	if (ttp_stream_tw_has(t, &k))
		goto out;
	sk_for_each(sk2, head) {
		struct ttp_stream_sock *s2 = ttp_stream_sk(sk2);

		if (s2->saddr == ss->saddr && s2->sport == ss->sport &&
		    s2->daddr == ss->daddr && s2->dport == ss->dport)
			goto out;
	}
	sk_add_node_rcu(sk, head);	/* holds a reference */
	ss->in_ehash = true;
	err = 0;
out:
	spin_unlock_bh(&t->lock);
	return err;
}

void ttp_stream_unhash_conn(struct sock *sk)
{
	struct ttp_stream_table *t = ttp_stream_table(sk);

	/* Drops the table's reference; the caller still holds one. */
	spin_lock_bh(&t->lock);
	sk_del_node_init_rcu(sk);
	ttp_stream_sk(sk)->in_ehash = false;
	spin_unlock_bh(&t->lock);
}

/* --- lookup ----------------------------------------------------------- */

static bool ttp_stream_match_conn(const struct sock *sk, __be32 saddr,
				  __be16 sport, __be32 daddr, __be16 dport)
{
	const struct ttp_stream_sock *ss = ttp_stream_sk(sk);

	return READ_ONCE(ss->daddr) == saddr &&
	       READ_ONCE(ss->dport) == sport &&
	       READ_ONCE(ss->saddr) == daddr &&
	       READ_ONCE(ss->sport) == dport;
}

/* A listener's score, as Linux ranks them; 0: no match. */
static int ttp_stream_listen_score(const struct sock *sk, __be32 daddr,
				   u16 port, int ifindex)
{
	const struct ttp_stream_sock *ss = ttp_stream_sk(sk);
	__be32 local = READ_ONCE(ss->saddr);
	int dev = READ_ONCE(sk->sk_bound_dev_if);
	int score = 1;

	if (READ_ONCE(sk->sk_state) != TTP_LISTEN ||
	    READ_ONCE(ss->num) != port)
		return 0;
	if (local) {
		if (local != daddr)
			return 0;
		score += 2;
	}
	if (dev) {
		if (dev != ifindex)
			return 0;
		score += 1;
	}
	return score;
}

/**
 * ttp_stream_lookup_conn - the connection a segment belongs to
 * @tn: namespace
 * @saddr: segment's source (the remote end)
 * @sport: its source port
 * @daddr: its destination (ours)
 * @dport: its destination port
 *
 * Exactly this 4-tuple.  Then come the TIME_WAIT table and listeners.
 * Called under rcu_read_lock(); returns a held socket or NULL.
 */
struct sock *ttp_stream_lookup_conn(struct ttp_net *tn, __be32 saddr,
				    __be16 sport, __be32 daddr, __be16 dport)
{
	struct ttp_stream_table *t = tn->stream;
	struct sock *sk;

	sk_for_each_rcu(sk, ttp_stream_ebucket(t, daddr, dport, saddr, sport)) {
		if (!ttp_stream_match_conn(sk, saddr, sport, daddr, dport))
			continue;
		if (!refcount_inc_not_zero(&sk->sk_refcnt))
			continue;
		/* Reused while we looked?  Check the keys again. */
		if (ttp_stream_match_conn(sk, saddr, sport, daddr, dport))
			return sk;
		sock_put(sk);
	}
	return NULL;
}

/**
 * ttp_stream_lookup_listener - the best listener for a segment
 * @net: namespace
 * @daddr: its destination (ours)
 * @dport: its destination port
 * @ifindex: receiving device
 *
 * Called under rcu_read_lock(); returns a held socket or NULL.
 */
struct sock *ttp_stream_lookup_listener(struct net *net, __be32 daddr,
					__be16 dport, int ifindex)
{
	struct ttp_stream_table *t = ttp_net(net)->stream;
	u16 port = ntohs(dport);
	struct sock *sk, *best = NULL;
	int score, best_score = 0;

	hlist_for_each_entry_rcu(sk, ttp_stream_bbucket(t, port),
				 sk_bind_node) {
		score = ttp_stream_listen_score(sk, daddr, port, ifindex);
		if (score > best_score) {
			best = sk;
			best_score = score;
		}
	}
	if (best && refcount_inc_not_zero(&best->sk_refcnt)) {
		if (ttp_stream_listen_score(best, daddr, port, ifindex))
			return best;
		sock_put(best);
	}
	return NULL;
}

/* --- /proc/net/ttp/sockets -------------------------------------------- */

static void ttp_stream_seq_sock(struct seq_file *seq, struct sock *sk)
{
	const struct ttp_stream_sock *ss = ttp_stream_sk(sk);
	__be32 saddr = READ_ONCE(ss->saddr), daddr = READ_ONCE(ss->daddr);
	int state = READ_ONCE(sk->sk_state), sendq = 0, recvq = 0;
	unsigned long expires;
	char local[24], remote[24];
	static const char *const timer_names[] = {
		[TTPI_TIMER_NONE]	= "-",
		[TTPI_TIMER_RTX]	= "rtx",
		[TTPI_TIMER_PERSIST]	= "persist",
		[TTPI_TIMER_DELACK]	= "delack",
		[TTPI_TIMER_FIN_WAIT_2]	= "fin2",
		[TTPI_TIMER_KEEPALIVE]	= "ka",
	};
	const char *timer = timer_names[ttp_stream_timer_pending(sk, &expires)];

	snprintf(local, sizeof(local), "%pI4:%u", &saddr, READ_ONCE(ss->num));
	snprintf(remote, sizeof(remote), "%pI4:%u", &daddr,
		 ntohs(READ_ONCE(ss->dport)));
	/*
	 * As /proc/net/tcp: SendQ is what the peer has not acknowledged
	 * yet, RecvQ what the reader has not read yet, in bytes.
	 */
	if (state != TTP_LISTEN && state != TTP_CLOSED) {
		sendq = READ_ONCE(ss->write_seq) - READ_ONCE(ss->snd_una);
		recvq = ttp_stream_inq(sk);
	}
	seq_printf(seq, "%-5s %-21s %-21s %-12s %8d %8d %8d %8d %8u %8u %8u %6u %7u %-5s %7d %5u %lu\n",
		   "strm", local, remote, ttp_stream_state_name(state),
		   sendq, recvq, ttp_stream_sndbuf(sk), ttp_stream_rcvbuf(sk),
		   READ_ONCE(ss->snd_wnd), READ_ONCE(ss->rcv_wnd),
		   READ_ONCE(ss->cwnd),
		   jiffies_to_msecs(READ_ONCE(ss->rto)),
		   READ_ONCE(ss->retries), timer,
		   atomic_read(&sk->sk_drops),
		   from_kuid_munged(seq_user_ns(seq), sock_i_uid(sk)),
		   sock_i_ino(sk));
}

/*
 * Every bound socket is in bhash; a child of a listener shares its
 * listener's port and is in bhash too (see ttp_stream_child_alloc()).
 */
void ttp_stream_seq_show(struct seq_file *seq, struct ttp_net *tn)
{
	struct sock *sk;
	unsigned int i;

	rcu_read_lock();
	for (i = 0; i < TTP_STREAM_BHASH_SIZE; i++)
		hlist_for_each_entry_rcu(sk, &tn->stream->bhash[i],
					 sk_bind_node)
			ttp_stream_seq_sock(seq, sk);
	rcu_read_unlock();
}

int ttp_stream_init_ns(struct ttp_net *tn)
{
	struct ttp_stream_table *t;

	t = kvzalloc(sizeof(*t), GFP_KERNEL);
	if (!t)
		return -ENOMEM;
	spin_lock_init(&t->lock);
	tn->stream = t;
	return 0;
}

/*
 * Every socket holds its namespace, so a namespace that goes has none,
 * except when the module goes: then orphans (closed by their users,
 * still closing) may be left in live namespaces, and they end here with
 * an RST, as if their user timeout had run out.
 */
static void ttp_stream_kill_orphans(struct ttp_stream_table *t)
{
	struct sock *sk;
	unsigned int i;

	for (i = 0; i < TTP_STREAM_EHASH_SIZE; i++) {
		for (;;) {
			spin_lock_bh(&t->lock);
			sk = sk_head(&t->ehash[i]);
			if (sk)
				sock_hold(sk);
			spin_unlock_bh(&t->lock);
			if (!sk)
				break;
			lock_sock(sk);
			if (ttp_stream_event(sk, TTP_EV_ABORT) ||
			    ttp_stream_sk(sk)->in_ehash)
				ttp_stream_done(sk);
			release_sock(sk);
			sock_put(sk);
		}
	}
}

void ttp_stream_exit_ns(struct ttp_net *tn)
{
	struct ttp_stream_table *t = tn->stream;
	unsigned int i;

	if (!t)
		return;
	ttp_stream_kill_orphans(t);
	ttp_stream_tw_purge(t);
	for (i = 0; i < TTP_STREAM_BHASH_SIZE; i++)
		WARN_ON_ONCE(!hlist_empty(&t->bhash[i]));
	for (i = 0; i < TTP_STREAM_EHASH_SIZE; i++)
		WARN_ON_ONCE(!hlist_empty(&t->ehash[i]));
	kvfree(t);
	tn->stream = NULL;
}
