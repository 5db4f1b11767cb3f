// SPDX-License-Identifier: GPL-2.0
/*
 * The TIME_WAIT table: what is left of a connection its active closer
 * ended (RFC 9293 3.6), kept for 2MSL so that a delayed segment of the
 * old connection cannot be taken for one of a new incarnation of the
 * same 4-tuple, and so that a lost last ACK can be sent again when the
 * peer retransmits its FIN.
 *
 * An entry is not a socket: a few dozen bytes with the 4-tuple, the two
 * sequence numbers RFC 9293 needs, the window to advertise and a timer.
 * The socket the user may still hold is CLOSED meanwhile, as in Linux.
 * Entries live in two hashes of the namespace's stream table, under its
 * lock: by 4-tuple (segments) and by local port (bind()).  The receive
 * path reads under RCU.
 *
 * Lifetime: an entry ends when its timer runs (2MSL), or earlier when a
 * new SYN reuses its 4-tuple or the namespace goes.  Whoever unhashes it
 * and then deletes the pending timer frees it; if the timer was already
 * running, its handler frees it (it finds the entry unhashed).  The rx
 * path only re-arms the timer under the table lock while the entry is
 * hashed, so an unhashed entry's timer never comes back.
 */
#include <linux/jhash.h>
#include <linux/random.h>
#include <linux/rculist.h>
#include <linux/slab.h>

#include "ip.h"
#include "stats.h"
#include "stream.h"
#include "trace.h"

struct ttp_stream_tw {
	struct hlist_node node;		/* tw_ehash, by 4-tuple */
	struct hlist_node bnode;	/* tw_bhash, by local port */
	struct timer_list timer;	/* 2MSL */
	struct rcu_head rcu;
	struct net *net;		/* not held: the table goes first */
	struct ttp_stream_tuple tuple;	/* local = s, remote = d */
	u32 snd_nxt;			/* our FIN was snd_nxt - 1 */
	u32 rcv_nxt;			/* the peer's FIN was rcv_nxt - 1 */
	u16 win;			/* the header's window field */
	bool reuse;			/* the socket had SO_REUSEADDR */
	int oif;			/* its bound device, 0: none */
	unsigned long expires;		/* jiffies */
	unsigned long oow_ack_stamp;	/* jiffies: ttp_stream_oow_limited() */
};

static struct kmem_cache *ttp_stream_tw_cache __read_mostly;
static u32 ttp_stream_tw_secret __read_mostly;

static struct hlist_head *ttp_stream_tw_ebucket(struct ttp_stream_table *t,
						const struct ttp_stream_tuple *k)
{
	u32 h;

	net_get_random_once(&ttp_stream_tw_secret,
			    sizeof(ttp_stream_tw_secret));
	h = jhash_3words((__force u32)k->saddr, (__force u32)k->daddr,
			 (__force u32)k->sport << 16 | (__force u32)k->dport,
			 ttp_stream_tw_secret);
	return &t->tw_ehash[h % TTP_STREAM_TW_HASH_SIZE];
}

static struct hlist_head *ttp_stream_tw_bbucket(struct ttp_stream_table *t,
						u16 port)
{
	return &t->tw_bhash[port % TTP_STREAM_BHASH_SIZE];
}

static bool ttp_stream_tuple_eq(const struct ttp_stream_tuple *a,
				const struct ttp_stream_tuple *b)
{
	return a->saddr == b->saddr && a->daddr == b->daddr &&
	       a->sport == b->sport && a->dport == b->dport;
}

static void ttp_stream_tw_free_rcu(struct rcu_head *head)
{
	kmem_cache_free(ttp_stream_tw_cache,
			container_of(head, struct ttp_stream_tw, rcu));
}

/* Out of both hashes; the table lock is held. */
static void ttp_stream_tw_unhash(struct ttp_stream_table *t,
				 struct ttp_stream_tw *tw, int counter)
{
	const struct ttp_stream_tuple *k = &tw->tuple;

	hlist_del_init_rcu(&tw->node);
	hlist_del_init_rcu(&tw->bnode);
	t->tw_count--;
	TTP_NET_INC_STATS(tw->net, counter);
	trace_ttp_set_state(k->saddr, k->sport, k->daddr, k->dport,
			    TTP_TIME_WAIT, TTP_CLOSED);
}

static void ttp_stream_tw_timer(struct timer_list *tm)
{
	struct ttp_stream_tw *tw = from_timer(tw, tm, timer);
	struct ttp_stream_table *t = ttp_net(tw->net)->stream;

	spin_lock(&t->lock);
	/* Restarted by a retransmitted FIN while we waited for the lock? */
	if (timer_pending(&tw->timer)) {
		spin_unlock(&t->lock);
		return;
	}
	if (!hlist_unhashed(&tw->node))
		ttp_stream_tw_unhash(t, tw, TTP_MIB_TIMEWAIT_EXPIRED);
	spin_unlock(&t->lock);
	call_rcu(&tw->rcu, ttp_stream_tw_free_rcu);
}

/* (Re)start 2MSL; the table lock is held and @tw hashed. */
static void ttp_stream_tw_arm(struct ttp_stream_tw *tw)
{
	int ms = READ_ONCE(ttp_net(tw->net)->cfg.stream_time_wait_ms);

	tw->expires = jiffies + msecs_to_jiffies(ms);
	mod_timer(&tw->timer, tw->expires);
}

/**
 * ttp_stream_tw_enter - keep @sk's connection in the TIME_WAIT table
 * @sk: a socket that has just entered TIME_WAIT, locked
 *
 * Return: true when the table took it; false when it is full (the
 * connection simply ends: TimeWaitOverflow) or memory is short.
 */
bool ttp_stream_tw_enter(struct sock *sk)
{
	struct ttp_stream_sock *ss = ttp_stream_sk(sk);
	struct ttp_stream_table *t = ttp_stream_table(sk);
	struct net *net = sock_net(sk);
	struct ttp_stream_tw *tw;
	u32 max;

	max = READ_ONCE(ttp_net(net)->cfg.stream_max_tw_buckets);
	if (READ_ONCE(t->tw_count) >= max)
		goto overflow;
	tw = kmem_cache_zalloc(ttp_stream_tw_cache, GFP_ATOMIC);
	if (!tw)
		goto overflow;
	timer_setup(&tw->timer, ttp_stream_tw_timer, 0);
	tw->net = net;
	tw->tuple = (struct ttp_stream_tuple) {
		.saddr = ss->saddr, .daddr = ss->daddr,
		.sport = ss->sport, .dport = ss->dport,
	};
	tw->snd_nxt = ss->snd_nxt;
	tw->rcv_nxt = ss->rcv_nxt;
	tw->win = ttp_stream_rcv_window(sk);
	tw->reuse = sk->sk_reuse;
	tw->oif = READ_ONCE(sk->sk_bound_dev_if);

	spin_lock_bh(&t->lock);
	if (t->tw_count >= max) {
		spin_unlock_bh(&t->lock);
		kmem_cache_free(ttp_stream_tw_cache, tw);
		goto overflow;
	}
	t->tw_count++;
	hlist_add_head_rcu(&tw->node, ttp_stream_tw_ebucket(t, &tw->tuple));
	hlist_add_head_rcu(&tw->bnode,
			   ttp_stream_tw_bbucket(t, ntohs(tw->tuple.sport)));
	ttp_stream_tw_arm(tw);
	spin_unlock_bh(&t->lock);
	return true;

overflow:
	TTP_NET_INC_STATS(net, TTP_MIB_TIMEWAIT_OVERFLOW);
	return false;
}

/* Called under rcu_read_lock(). */
static struct ttp_stream_tw *
ttp_stream_tw_find(struct ttp_stream_table *t, const struct ttp_stream_tuple *k)
{
	struct ttp_stream_tw *tw;

	hlist_for_each_entry_rcu(tw, ttp_stream_tw_ebucket(t, k), node)
		if (ttp_stream_tuple_eq(&tw->tuple, k))
			return tw;
	return NULL;
}

/* A SYN reuses the 4-tuple: the entry ends now.  Table lock held. */
static void ttp_stream_tw_reuse(struct ttp_stream_table *t,
				struct ttp_stream_tw *tw)
{
	ttp_stream_tw_unhash(t, tw, TTP_MIB_TIMEWAIT_REUSED);
	if (del_timer(&tw->timer))
		call_rcu(&tw->rcu, ttp_stream_tw_free_rcu);
	/* else the handler runs, finds it unhashed and frees it */
}

/*
 * What a segment does to an entry, the table lock held; true when the
 * entry's ACK is to be sent.  The FIN case is the table's
 * TIME_WAIT x RCV_FIN cell: ACK it and restart 2MSL.
 */
static int ttp_stream_tw_segment(struct ttp_stream_table *t,
				 struct ttp_stream_tw *tw,
				 const struct ttp_stream_cb *cb)
{
	const struct ttp_stream_trans *tr;

	if (cb->flags & TTP_TH_RST) {
		/* RFC 1337: no TIME_WAIT assassination. */
		TTP_NET_INC_STATS(tw->net, TTP_MIB_TIMEWAIT_RST_IGNORED);
		return TTP_TW_DONE;
	}
	/* RFC 6191's rule, sequence only: a newer SYN opens anew. */
	if ((cb->flags & (TTP_TH_SYN | TTP_TH_ACK)) == TTP_TH_SYN &&
	    ttp_seq_after(cb->seq, tw->rcv_nxt)) {
		ttp_stream_tw_reuse(t, tw);
		return TTP_TW_SYN;
	}
	if ((cb->flags & TTP_TH_FIN) && cb->end_seq == tw->rcv_nxt) {
		tr = &ttp_stream_fsm[TTP_TIME_WAIT][TTP_EV_RCV_FIN];
		if (tr->actions & TTP_ACT_TIMEWAIT) {
			TTP_NET_INC_STATS(tw->net, TTP_MIB_TIMEWAIT_FIN_ACKED);
			ttp_stream_tw_arm(tw);
		}
		return tr->actions & TTP_ACT_SEND_ACK ? TTP_TW_ACK :
							TTP_TW_DONE;
	}
	/* A bare in-order ACK needs no answer; anything else gets ours. */
	if (!cb->len && !(cb->flags & (TTP_TH_SYN | TTP_TH_FIN)) &&
	    cb->seq == tw->rcv_nxt)
		return TTP_TW_DONE;
	if (ttp_stream_oow_limited(ttp_net(tw->net), cb, &tw->oow_ack_stamp))
		return TTP_TW_DONE;
	return TTP_TW_ACK;
}

/**
 * ttp_stream_tw_rcv - a segment that matched no connection
 * @net: namespace
 * @skb: the segment, checked and parsed; not consumed
 *
 * Return: TTP_TW_NONE (no entry), TTP_TW_DONE or TTP_TW_ACK (the entry
 * took it; its ACK already went), or TTP_TW_SYN (the entry is gone and
 * the SYN is for a listener).
 */
int ttp_stream_tw_rcv(struct net *net, struct sk_buff *skb)
{
	struct ttp_stream_table *t = ttp_net(net)->stream;
	const struct ttp_stream_cb *cb = TTP_STREAM_CB(skb);
	struct ttp_stream_tuple k = {
		.saddr = ip_hdr(skb)->daddr, .daddr = ip_hdr(skb)->saddr,
		.sport = tcp_hdr(skb)->dest, .dport = tcp_hdr(skb)->source,
	};
	struct ttp_stream_tw *tw;
	int verdict = TTP_TW_NONE;
	u32 seq, ack;
	u16 win;
	int oif;

	rcu_read_lock();
	tw = ttp_stream_tw_find(t, &k);
	if (!tw)
		goto out;
	spin_lock_bh(&t->lock);
	if (!hlist_unhashed(&tw->node))
		verdict = ttp_stream_tw_segment(t, tw, cb);
	seq = tw->snd_nxt;
	ack = tw->rcv_nxt;
	win = tw->win;
	oif = tw->oif;
	spin_unlock_bh(&t->lock);
	if (verdict == TTP_TW_ACK)
		ttp_stream_send_bare(net, &k, seq, ack, TTP_TH_ACK, win, oif);
out:
	rcu_read_unlock();
	return verdict;
}

/**
 * ttp_stream_tw_port_taken - does an entry hold @saddr:@port against @sk?
 * @t: table, locked
 * @sk: the socket binding
 * @saddr: its address, 0 for the wildcard
 * @port: host order
 * @strict: SO_REUSEADDR does not help (a port we pick ourselves)
 *
 * An entry holds its local address and port against bind() unless the
 * new socket has SO_REUSEADDR (the rule of Documentation/timewait.md).
 */
bool ttp_stream_tw_port_taken(struct ttp_stream_table *t,
			      const struct sock *sk, __be32 saddr, u16 port,
			      bool strict)
{
	struct ttp_stream_tw *tw;
	int dev = READ_ONCE(sk->sk_bound_dev_if);

	if (sk->sk_reuse && !strict)
		return false;
	hlist_for_each_entry(tw, ttp_stream_tw_bbucket(t, port), bnode) {
		if (ntohs(tw->tuple.sport) != port)
			continue;
		if (saddr && saddr != tw->tuple.saddr)
			continue;
		if (!dev || !tw->oif || dev == tw->oif)
			return true;
	}
	return false;
}

/* Is the 4-tuple in TIME_WAIT?  @t locked. */
bool ttp_stream_tw_has(struct ttp_stream_table *t,
		       const struct ttp_stream_tuple *k)
{
	struct ttp_stream_tw *tw;

	hlist_for_each_entry(tw, ttp_stream_tw_ebucket(t, k), node)
		if (ttp_stream_tuple_eq(&tw->tuple, k))
			return true;
	return false;
}

/* Namespace exit, module unload: every entry goes, uncounted. */
void ttp_stream_tw_purge(struct ttp_stream_table *t)
{
	struct ttp_stream_tw *tw;
	unsigned int i;

	for (i = 0; i < TTP_STREAM_TW_HASH_SIZE; i++) {
		for (;;) {
			spin_lock_bh(&t->lock);
			tw = hlist_entry_safe(t->tw_ehash[i].first,
					      struct ttp_stream_tw, node);
			if (tw) {
				hlist_del_init_rcu(&tw->node);
				hlist_del_init_rcu(&tw->bnode);
				t->tw_count--;
			}
			spin_unlock_bh(&t->lock);
			if (!tw)
				break;
			/* A running handler finds it unhashed and frees it. */
			if (del_timer_sync(&tw->timer))
				call_rcu(&tw->rcu, ttp_stream_tw_free_rcu);
		}
	}
}

/* --- /proc/net/ttp/timewait ------------------------------------------- */

/*
 * The position is a cursor: bucket << 20 | index in the bucket, so a
 * table of 100k entries is walked once, a page at a time, each page
 * under the table lock.
 */
#define TTP_TW_POS_SHIFT	20
#define TTP_TW_POS_MASK		((1UL << TTP_TW_POS_SHIFT) - 1)

static struct ttp_stream_table *ttp_stream_tw_seq_table(struct seq_file *seq)
{
	return ttp_net(seq_file_net(seq))->stream;
}

static struct ttp_stream_tw *ttp_stream_tw_at(struct ttp_stream_table *t,
					      loff_t *pos)
{
	unsigned long b = (unsigned long)*pos >> TTP_TW_POS_SHIFT;
	unsigned long idx = (unsigned long)*pos & TTP_TW_POS_MASK;
	struct ttp_stream_tw *tw;
	unsigned long n;

	for (; b < TTP_STREAM_TW_HASH_SIZE; b++, idx = 0) {
		n = 0;
		hlist_for_each_entry(tw, &t->tw_ehash[b], node) {
			if (n++ == idx) {
				*pos = (loff_t)(b << TTP_TW_POS_SHIFT | idx);
				return tw;
			}
		}
	}
	return NULL;
}

static void *ttp_stream_tw_seq_start(struct seq_file *seq, loff_t *pos)
	__acquires(tw_lock)
{
	struct ttp_stream_table *t = ttp_stream_tw_seq_table(seq);

	struct ttp_stream_tw *tw;
	loff_t cur;

	spin_lock_bh(&t->lock);
	if (!*pos)
		return SEQ_START_TOKEN;
	cur = *pos - 1;		/* position 0 is the header */
	tw = ttp_stream_tw_at(t, &cur);
	if (tw)
		*pos = cur + 1;
	return tw;
}

static void *ttp_stream_tw_seq_next(struct seq_file *seq, void *v,
				    loff_t *pos)
{
	struct ttp_stream_table *t = ttp_stream_tw_seq_table(seq);
	loff_t cur = v == SEQ_START_TOKEN ? -1 : *pos - 1;
	struct ttp_stream_tw *tw;

	cur++;			/* the next index, maybe past the bucket */
	tw = ttp_stream_tw_at(t, &cur);
	*pos = tw ? cur + 1 : LLONG_MAX;
	return tw;
}

static void ttp_stream_tw_seq_stop(struct seq_file *seq, void *v)
	__releases(tw_lock)
{
	spin_unlock_bh(&ttp_stream_tw_seq_table(seq)->lock);
}

static int ttp_stream_tw_seq_show(struct seq_file *seq, void *v)
{
	const struct ttp_stream_tw *tw = v;
	char local[24], remote[24];
	long left;

	if (v == SEQ_START_TOKEN) {
		seq_printf(seq, "%-21s %-21s %-10s %-10s %9s\n", "Local",
			   "Remote", "SndNxt", "RcvNxt", "ExpiresMs");
		return 0;
	}
	snprintf(local, sizeof(local), "%pI4:%u", &tw->tuple.saddr,
		 ntohs(tw->tuple.sport));
	snprintf(remote, sizeof(remote), "%pI4:%u", &tw->tuple.daddr,
		 ntohs(tw->tuple.dport));
	left = (long)(tw->expires - jiffies);
	seq_printf(seq, "%-21s %-21s %10u %10u %9u\n", local, remote,
		   tw->snd_nxt, tw->rcv_nxt,
		   left > 0 ? jiffies_to_msecs(left) : 0);
	return 0;
}

const struct seq_operations ttp_stream_tw_seq_ops = {
	.start	= ttp_stream_tw_seq_start,
	.next	= ttp_stream_tw_seq_next,
	.stop	= ttp_stream_tw_seq_stop,
	.show	= ttp_stream_tw_seq_show,
};

int ttp_stream_tw_init(void)
{
	ttp_stream_tw_cache = kmem_cache_create("ttp_stream_tw",
						sizeof(struct ttp_stream_tw),
						0, 0, NULL);
	return ttp_stream_tw_cache ? 0 : -ENOMEM;
}

/* After rcu_barrier(): no entry is waiting for its RCU free. */
void ttp_stream_tw_exit(void)
{
	kmem_cache_destroy(ttp_stream_tw_cache);
}
