// SPDX-License-Identifier: GPL-2.0
/*
 * TTP ARP: RFC 826 address resolution for TTP.
 *
 * The frames are ordinary ARP frames (EtherType 0x0806, hardware type
 * Ethernet) whose protocol type is TTP's EtherType, 0x88B5, so tcpdump
 * shows them as ARP while the kernel's own ARP ignores them (and TTP
 * ignores the kernel's).  The cache is TTP's own, one per namespace, and
 * never touches the kernel's neighbour table (ip neigh).
 *
 * The cache follows the neighbour state machine students know from Linux:
 *
 *   INCOMPLETE --reply--> REACHABLE --reachable time--> STALE
 *   STALE --used--> DELAY --delay--> PROBE --reply--> REACHABLE
 *   INCOMPLETE/PROBE --no reply after arp_retries requests--> FAILED
 *   FAILED --used--> INCOMPLETE;  PERMANENT never changes on its own.
 *
 * Locking:
 *  - Lookups walk the hash table under RCU; entries are freed after a
 *    grace period.  The transmit fast path takes no lock: it reads the
 *    state and MAC of an entry through the entry's seqlock.
 *  - table->lock (a spinlock, _bh) guards the hash chains and the entry
 *    count; entry->lock (a seqlock, _bh) guards everything else in an
 *    entry.  Order: table->lock, then entry->lock.  The entry timer takes
 *    only entry->lock, so the table lock may be held around
 *    timer_delete() but nobody waits for a timer while holding any lock.
 *  - An entry is referenced by the table (while hashed) and by its timer
 *    (while pending), so code that cannot wait for a running timer
 *    (softirq) can still unhash an entry: the last reference frees it.
 *    Unhashing marks the entry dead under its lock; nothing re-arms or
 *    queues on a dead entry.  Entries hold a reference on their device
 *    until they are freed.
 *  - Packets and requests go out only after the locks are dropped: the
 *    state machine fills a struct ttp_arp_todo, which is run afterwards.
 */
#include <linux/etherdevice.h>
#include <linux/if_arp.h>
#include <linux/inet.h>
#include <linux/inetdevice.h>
#include <linux/jhash.h>
#include <linux/random.h>
#include <linux/rculist.h>
#include <linux/refcount.h>
#include <linux/seq_file_net.h>
#include <linux/seqlock.h>
#include <linux/slab.h>
#include <linux/workqueue.h>
#include <net/dropreason.h>
#include <uapi/linux/ttp.h>

#include "arp.h"
#include "ip.h"
#include "ndev.h"
#include "stats.h"
#include "trace.h"

#define TTP_ARP_HASH_BITS	8
#define TTP_ARP_BUCKETS		BIT(TTP_ARP_HASH_BITS)
/* How often the garbage collector looks for unused entries. */
#define TTP_ARP_GC_INTERVAL	HZ
/* Memory the packets waiting on one entry may hold (see ttp_arp_enqueue). */
#define TTP_ARP_QUEUE_BYTES	(128 * 1024)
/* Longest command accepted by /proc/net/ttp/arp, in words. */
#define TTP_ARP_MAX_ARGS	4

/* An RFC 826 packet for Ethernet and a 4-byte protocol address. */
struct ttp_arp_pkt {
	struct arphdr	hdr;
	u8		sha[ETH_ALEN];
	__be32		sip;
	u8		tha[ETH_ALEN];
	__be32		tip;
} __packed;

struct ttp_arp_entry {
	struct hlist_node	node;		/* table bucket, RCU */
	struct net_device	*dev;		/* held until the entry is freed */
	__be32			addr;
	seqlock_t		lock;
	enum ttp_arp_state	state;
	u8			mac[ETH_ALEN] __aligned(2);
	bool			dead;		/* unhashed: hands off */
	bool			confirmed_ever;
	bool			used_ever;	/* written locklessly */
	u8			probes;		/* requests in this round */
	unsigned long		used;		/* written locklessly */
	unsigned long		confirmed;
	struct sk_buff_head	queue;		/* waiting for resolution */
	struct timer_list	timer;
	refcount_t		refcnt;
	struct ttp_net		*tn;
	netdevice_tracker	dev_tracker;
	struct list_head	reap;		/* on a caller's reap list */
	struct rcu_head		rcu;
};

struct ttp_arp_table {
	struct ttp_net		*tn;
	spinlock_t		lock;		/* chains, count, dead */
	unsigned int		count;		/* entries hashed */
	bool			dead;		/* namespace going away */
	u32			seed;
	struct delayed_work	gc_work;
	struct rcu_head		rcu;
	struct hlist_head	buckets[TTP_ARP_BUCKETS];
};

/* What to do once the locks are dropped. */
struct ttp_arp_todo {
	struct net_device	*dev;
	__be32			addr;		/* whom to ask */
	bool			solicit;	/* send a request for addr */
	bool			unicast;	/* ... to mac, not broadcast */
	u8			mac[ETH_ALEN] __aligned(2);
	struct sk_buff_head	xmit;		/* resolved: send to mac */
	struct sk_buff_head	fail;		/* unresolvable: report, drop */
	struct sk_buff_head	drop;		/* queue overflow: drop */
};

static const char *const ttp_arp_state_names[] = {
	[TTP_ARP_INCOMPLETE]	= "INCOMPLETE",
	[TTP_ARP_REACHABLE]	= "REACHABLE",
	[TTP_ARP_STALE]		= "STALE",
	[TTP_ARP_DELAY]		= "DELAY",
	[TTP_ARP_PROBE]		= "PROBE",
	[TTP_ARP_FAILED]	= "FAILED",
	[TTP_ARP_PERMANENT]	= "PERMANENT",
};

/* --- small helpers ---------------------------------------------------- */

static unsigned long ttp_arp_knob_jiffies(const int *knob)
{
	return msecs_to_jiffies(max(READ_ONCE(*knob), 0));
}

/* States whose MAC may be used as is, without changing the state. */
static bool ttp_arp_state_fast(enum ttp_arp_state state)
{
	return state == TTP_ARP_REACHABLE || state == TTP_ARP_DELAY ||
	       state == TTP_ARP_PROBE || state == TTP_ARP_PERMANENT;
}

/* States the garbage collector and a full table may take away. */
static bool ttp_arp_state_evictable(enum ttp_arp_state state)
{
	return state == TTP_ARP_STALE || state == TTP_ARP_FAILED;
}

/* Addresses that never sit behind an ARP entry. */
static bool ttp_arp_addr_bad(__be32 addr)
{
	return ipv4_is_multicast(addr) || ipv4_is_lbcast(addr) ||
	       ipv4_is_loopback(addr) || ipv4_is_zeronet(addr);
}

/*
 * The namespace's table, or NULL while it is set up or torn down.  The
 * caller holds rcu_read_lock(): ttp_arp_exit_ns() frees it after RCU.
 */
static struct ttp_arp_table *ttp_arp_table_get(struct net *net)
{
	return READ_ONCE(ttp_net(net)->arp);
}

static void ttp_arp_todo_init(struct ttp_arp_todo *todo,
			      struct net_device *dev, __be32 addr)
{
	todo->dev = dev;
	todo->addr = addr;
	todo->solicit = false;
	todo->unicast = false;
	__skb_queue_head_init(&todo->xmit);
	__skb_queue_head_init(&todo->fail);
	__skb_queue_head_init(&todo->drop);
}

/* --- entries ---------------------------------------------------------- */

static void ttp_arp_entry_put(struct ttp_arp_entry *e)
{
	if (!refcount_dec_and_test(&e->refcnt))
		return;
	/* Dead entries had their queue taken; this is belt and braces. */
	__skb_queue_purge(&e->queue);
	netdev_put(e->dev, &e->dev_tracker);
	kfree_rcu(e, rcu);
}

/*
 * (Re)start the entry timer; a pending timer holds a reference.  Called
 * with e->lock held on a live entry, so the reference we take is never
 * the first one.
 */
static void ttp_arp_arm(struct ttp_arp_entry *e, unsigned long when)
{
	if (!mod_timer(&e->timer, when))
		refcount_inc(&e->refcnt);
}

/* Stop the entry timer without waiting for a running callback. */
static void ttp_arp_disarm(struct ttp_arp_entry *e)
{
	/* The table still holds a reference: this is never the last. */
	if (timer_delete(&e->timer))
		refcount_dec(&e->refcnt);
}

static void ttp_arp_timer(struct timer_list *t);

static struct ttp_arp_entry *ttp_arp_alloc(struct ttp_net *tn,
					   struct net_device *dev,
					   __be32 addr, gfp_t gfp)
{
	struct ttp_arp_entry *e = kzalloc(sizeof(*e), gfp);

	if (!e)
		return NULL;
	e->dev = dev;
	e->addr = addr;
	e->tn = tn;
	seqlock_init(&e->lock);
	__skb_queue_head_init(&e->queue);
	timer_setup(&e->timer, ttp_arp_timer, 0);
	refcount_set(&e->refcnt, 1);		/* the table's */
	e->used = jiffies;
	return e;
}

static struct hlist_head *ttp_arp_bucket(struct ttp_arp_table *t,
					 const struct net_device *dev,
					 __be32 addr)
{
	u32 h = jhash_2words((__force u32)addr, dev->ifindex, t->seed);

	return &t->buckets[h & (TTP_ARP_BUCKETS - 1)];
}

/* Under rcu_read_lock() or t->lock. */
static struct ttp_arp_entry *ttp_arp_lookup(struct ttp_arp_table *t,
					    const struct net_device *dev,
					    __be32 addr)
{
	struct ttp_arp_entry *e;

	hlist_for_each_entry_rcu(e, ttp_arp_bucket(t, dev, addr), node,
				 lockdep_is_held(&t->lock))
		if (e->addr == addr && e->dev == dev)
			return e;
	return NULL;
}

/* Note a use by the transmit path: racy on purpose, it is only a hint. */
static void ttp_arp_touch(struct ttp_arp_entry *e)
{
	unsigned long now = jiffies;

	if (READ_ONCE(e->used) != now)
		WRITE_ONCE(e->used, now);
	if (!READ_ONCE(e->used_ever))
		WRITE_ONCE(e->used_ever, true);
}

/*
 * Take @e out of the table (t->lock held) and make it dead: its queue
 * moves to @purge and its timer is stopped, but a callback may still be
 * running.  The table's reference is left to the caller: drop it with
 * ttp_arp_entry_put() (any context) or ttp_arp_reap() (process context,
 * which also waits for the callback).
 */
static void ttp_arp_unlink(struct ttp_arp_table *t, struct ttp_arp_entry *e,
			   struct sk_buff_head *purge)
{
	hlist_del_rcu(&e->node);
	t->count--;
	write_seqlock(&e->lock);
	trace_ttp_arp_update(e->dev, e->addr, e->mac, e->state, TTP_ARP_NONE);
	e->dead = true;
	skb_queue_splice_tail_init(&e->queue, purge);
	ttp_arp_disarm(e);
	write_sequnlock(&e->lock);
}

/* Free unlinked entries once no timer callback can be running on them. */
static void ttp_arp_reap(struct list_head *dead)
{
	struct ttp_arp_entry *e, *tmp;

	might_sleep();
	list_for_each_entry_safe(e, tmp, dead, reap) {
		list_del(&e->reap);
		timer_delete_sync(&e->timer);
		ttp_arp_entry_put(e);
	}
}

/* Packets that waited for an entry that is gone: tell their senders. */
static void ttp_arp_fail_queue(struct sk_buff_head *q)
{
	struct sk_buff *skb;

	while ((skb = __skb_dequeue(q))) {
		ttp_ip_report_error(skb, EHOSTUNREACH);
		kfree_skb_reason(skb, SKB_DROP_REASON_NEIGH_FAILED);
	}
}

/* --- sending ARP packets ---------------------------------------------- */

/*
 * Build and send one ARP packet on @dev.  @dest is the Ethernet
 * destination (NULL: broadcast), @tha the target hardware address in the
 * packet (NULL: zero, as in a request).  Returns whether it went out.
 */
static bool ttp_arp_send(struct net_device *dev, u16 op, const u8 *dest,
			 __be32 sip, const u8 *tha, __be32 tip)
{
	struct ttp_arp_pkt *p;
	struct sk_buff *skb;

	skb = alloc_skb(LL_RESERVED_SPACE(dev) + sizeof(*p) +
			dev->needed_tailroom, GFP_ATOMIC);
	if (!skb)
		return false;
	skb_reserve(skb, LL_RESERVED_SPACE(dev));
	skb_reset_network_header(skb);
	p = skb_put_zero(skb, sizeof(*p));
	p->hdr.ar_hrd = htons(ARPHRD_ETHER);
	p->hdr.ar_pro = htons(ETH_P_TTP);
	p->hdr.ar_hln = ETH_ALEN;
	p->hdr.ar_pln = sizeof(__be32);
	p->hdr.ar_op = htons(op);
	memcpy(p->sha, dev->dev_addr, ETH_ALEN);
	p->sip = sip;
	if (tha)
		memcpy(p->tha, tha, ETH_ALEN);
	p->tip = tip;

	skb->dev = dev;
	skb->protocol = htons(ETH_P_ARP);
	if (dev_hard_header(skb, dev, ETH_P_ARP, dest ?: dev->broadcast,
			    dev->dev_addr, skb->len) < 0) {
		kfree_skb(skb);
		return false;
	}
	dev_queue_xmit(skb);
	return true;
}

/* A request for @tip, from the address of @dev facing it. */
static void ttp_arp_solicit(struct net_device *dev, __be32 tip,
			    const u8 *dest)
{
	__be32 sip = inet_select_addr(dev, tip, RT_SCOPE_LINK);

	if (sip)
		ttp_arp_send(dev, ARPOP_REQUEST, dest, sip, NULL, tip);
}

/* Add the Ethernet header to a network-layer packet and send it. */
static int ttp_arp_xmit(struct sk_buff *skb, struct net_device *dev,
			const u8 *mac)
{
	skb->dev = dev;
	skb->protocol = htons(ETH_P_TTP);
	if (dev_hard_header(skb, dev, ETH_P_TTP, mac, NULL, skb->len) < 0) {
		TTP_NET_INC_STATS(dev_net(dev), TTP_MIB_IP_OUT_DISCARDS);
		kfree_skb(skb);
		return -EINVAL;
	}
	ttp_ip_leave_module(skb);
	return ttp_ip_xmit_errno(dev_queue_xmit(skb));
}

/* Carry out what the state machine decided, with no lock held. */
static void ttp_arp_todo_run(struct ttp_arp_todo *todo)
{
	struct sk_buff *skb;

	if (todo->solicit)
		ttp_arp_solicit(todo->dev, todo->addr,
				todo->unicast ? todo->mac : NULL);
	while ((skb = __skb_dequeue(&todo->xmit)))
		ttp_arp_xmit(skb, todo->dev, todo->mac);
	ttp_arp_fail_queue(&todo->fail);
	while ((skb = __skb_dequeue(&todo->drop)))
		kfree_skb_reason(skb, SKB_DROP_REASON_NEIGH_QUEUEFULL);
}

/* --- the state machine (e->lock held, entry live) ---------------------- */

/* Every state change goes through here, so the tracepoint sees them all. */
static void ttp_arp_set_state(struct ttp_arp_entry *e,
			      enum ttp_arp_state state)
{
	if (e->state != state)
		trace_ttp_arp_update(e->dev, e->addr, e->mac, e->state, state);
	e->state = state;
}

/*
 * Send the next request of this round: broadcast while INCOMPLETE,
 * unicast to the known MAC while PROBE.  Counted here, under the lock,
 * because the namespace may not outlive the lock for a timer callback.
 */
static void ttp_arp_next_probe(struct ttp_arp_entry *e,
			       struct ttp_arp_todo *todo)
{
	e->probes++;
	todo->solicit = true;
	todo->unicast = e->state == TTP_ARP_PROBE;
	if (todo->unicast)
		ether_addr_copy(todo->mac, e->mac);
	TTP_INC_STATS(e->tn, TTP_MIB_ARP_OUT_REQUESTS);
	ttp_arp_arm(e, jiffies +
		    ttp_arp_knob_jiffies(&e->tn->cfg.arp_retrans_ms));
}

/* Nobody answered: packets waiting for the entry fail with it. */
static void ttp_arp_fail(struct ttp_arp_entry *e, struct ttp_arp_todo *todo)
{
	ttp_arp_set_state(e, TTP_ARP_FAILED);
	eth_zero_addr(e->mac);
	skb_queue_splice_tail_init(&e->queue, &todo->fail);
	TTP_INC_STATS(e->tn, TTP_MIB_ARP_RESOLVE_FAILED);
}

/* Begin resolving from scratch: INCOMPLETE, first broadcast request. */
static void ttp_arp_start(struct ttp_arp_entry *e, struct ttp_arp_todo *todo)
{
	ttp_arp_set_state(e, TTP_ARP_INCOMPLETE);
	eth_zero_addr(e->mac);
	e->probes = 0;
	ttp_arp_next_probe(e, todo);
}

/* Memory held by the packets waiting on one entry. */
static unsigned int ttp_arp_queue_bytes(struct sk_buff_head *q)
{
	unsigned int bytes = 0;
	struct sk_buff *skb;

	skb_queue_walk(q, skb)
		bytes += skb->truesize;
	return bytes;
}

/*
 * A waiting packet; the oldest go while the queue is full: arp_queue_len
 * packets, or TTP_ARP_QUEUE_BYTES of memory (one packet always fits).
 * With arp_max_entries this bounds all the memory TTP ARP holds, as
 * unres_qlen_bytes does for Linux's neighbour queues.  The walk is short:
 * arp_queue_len is at most 1000.
 */
static void ttp_arp_enqueue(struct ttp_arp_entry *e, struct sk_buff *skb,
			    struct ttp_arp_todo *todo)
{
	u32 limit = (u32)max(READ_ONCE(e->tn->cfg.arp_queue_len), 1);

	while (skb_queue_len(&e->queue) >= limit ||
	       (!skb_queue_empty(&e->queue) &&
		ttp_arp_queue_bytes(&e->queue) + skb->truesize >
		TTP_ARP_QUEUE_BYTES)) {
		__skb_queue_tail(&todo->drop, __skb_dequeue(&e->queue));
		TTP_INC_STATS(e->tn, TTP_MIB_ARP_QUEUE_DROPS);
	}
	__skb_queue_tail(&e->queue, skb);
}

/* The waiting packets can go now, to @e->mac. */
static void ttp_arp_release_queue(struct ttp_arp_entry *e,
				  struct ttp_arp_todo *todo)
{
	ether_addr_copy(todo->mac, e->mac);
	skb_queue_splice_tail_init(&e->queue, &todo->xmit);
}

/* A reply from the neighbour: it is there, at @mac, right now. */
static void ttp_arp_confirm(struct ttp_arp_entry *e, const u8 *mac,
			    struct ttp_arp_todo *todo)
{
	ether_addr_copy(e->mac, mac);
	ttp_arp_set_state(e, TTP_ARP_REACHABLE);
	e->probes = 0;
	e->confirmed = jiffies;
	e->confirmed_ever = true;
	ttp_arp_arm(e, e->confirmed +
		    ttp_arp_knob_jiffies(&e->tn->cfg.arp_reachable_ms));
	ttp_arp_release_queue(e, todo);
}

/*
 * Someone told us where the neighbour is without it confirming (its own
 * request, a gratuitous ARP): usable, but STALE, as Linux does.  The
 * same MAC again changes nothing.
 */
static void ttp_arp_learn(struct ttp_arp_entry *e, const u8 *mac,
			  struct ttp_arp_todo *todo)
{
	bool resolved = e->state != TTP_ARP_INCOMPLETE &&
			e->state != TTP_ARP_FAILED;

	if (resolved && ether_addr_equal(e->mac, mac))
		return;
	ttp_arp_disarm(e);
	ether_addr_copy(e->mac, mac);
	ttp_arp_set_state(e, TTP_ARP_STALE);
	e->probes = 0;
	ttp_arp_release_queue(e, todo);
}

/* Static entry, by the administrator: no timer, no probing. */
static void ttp_arp_make_permanent(struct ttp_arp_entry *e, const u8 *mac,
				   struct ttp_arp_todo *todo)
{
	ttp_arp_disarm(e);
	ether_addr_copy(e->mac, mac);
	ttp_arp_set_state(e, TTP_ARP_PERMANENT);
	e->probes = 0;
	ttp_arp_release_queue(e, todo);
}

/* The timer fired on a live entry: move on from the current state. */
static void ttp_arp_timer_step(struct ttp_arp_entry *e,
			       struct ttp_arp_todo *todo)
{
	struct ttp_net_cfg *cfg = &e->tn->cfg;
	unsigned long deadline;

	switch (e->state) {
	case TTP_ARP_REACHABLE:
		deadline = e->confirmed +
			   ttp_arp_knob_jiffies(&cfg->arp_reachable_ms);
		if (time_before(jiffies, deadline))
			ttp_arp_arm(e, deadline);
		else
			ttp_arp_set_state(e, TTP_ARP_STALE);
		break;
	case TTP_ARP_DELAY:
		/* Still unconfirmed after the delay: ask it directly. */
		ttp_arp_set_state(e, TTP_ARP_PROBE);
		e->probes = 0;
		fallthrough;
	case TTP_ARP_INCOMPLETE:
	case TTP_ARP_PROBE:
		if (e->probes >= READ_ONCE(cfg->arp_retries))
			ttp_arp_fail(e, todo);
		else
			ttp_arp_next_probe(e, todo);
		break;
	default:
		break;
	}
}

static void ttp_arp_timer(struct timer_list *t)
{
	struct ttp_arp_entry *e = from_timer(e, t, timer);
	struct ttp_arp_todo todo;

	ttp_arp_todo_init(&todo, e->dev, e->addr);
	write_seqlock(&e->lock);
	/* Re-armed while we waited for the lock: that run decides. */
	if (!e->dead && !timer_pending(&e->timer))
		ttp_arp_timer_step(e, &todo);
	write_sequnlock(&e->lock);
	/* Our reference keeps e->dev alive until the put. */
	ttp_arp_todo_run(&todo);
	ttp_arp_entry_put(e);
}

/* --- creating entries --------------------------------------------------- */

/* The oldest entry a full table can give up, or NULL.  t->lock held. */
static struct ttp_arp_entry *ttp_arp_victim(struct ttp_arp_table *t)
{
	struct ttp_arp_entry *e, *victim = NULL;
	unsigned int i;

	for (i = 0; i < TTP_ARP_BUCKETS; i++) {
		hlist_for_each_entry(e, &t->buckets[i], node) {
			if (!ttp_arp_state_evictable(READ_ONCE(e->state)))
				continue;
			if (!victim ||
			    time_before(READ_ONCE(e->used),
					READ_ONCE(victim->used)))
				victim = e;
		}
	}
	return victim;
}

/*
 * May an entry for (@dev, @addr) be added?  t->lock held.  Makes room in
 * a full table by evicting one STALE or FAILED entry.  Entries live only
 * on TTP-enabled devices: ttp_arp_flush_dev() runs after a device stops
 * being one, and this check under the same lock keeps a late packet from
 * adding an entry behind its back.
 */
static int ttp_arp_may_add(struct ttp_arp_table *t, struct net_device *dev,
			   __be32 addr, struct sk_buff_head *purge)
{
	int max_entries = READ_ONCE(t->tn->cfg.arp_max_entries);
	struct ttp_arp_entry *victim;

	if (t->dead || !ttp_ndev_enabled(dev))
		return -ENETDOWN;
	if (ttp_arp_lookup(t, dev, addr))
		return -EEXIST;
	if (t->count < (unsigned int)max(max_entries, 1))
		return 0;
	victim = ttp_arp_victim(t);
	if (!victim) {
		TTP_INC_STATS(t->tn, TTP_MIB_ARP_CACHE_FULL);
		return -ENOBUFS;
	}
	ttp_arp_unlink(t, victim, purge);
	ttp_arp_entry_put(victim);
	TTP_INC_STATS(t->tn, TTP_MIB_ARP_GC_EVICTED);
	return 0;
}

/* Start the garbage collector if it sleeps.  t->lock held. */
static void ttp_arp_gc_kick(struct ttp_arp_table *t)
{
	if (!t->dead && !delayed_work_pending(&t->gc_work))
		queue_delayed_work(system_power_efficient_wq, &t->gc_work,
				   TTP_ARP_GC_INTERVAL);
}

/*
 * Hash a new entry, whose state the caller set up.  t->lock held; the
 * entry becomes visible to RCU readers here.
 */
static void ttp_arp_publish(struct ttp_arp_table *t, struct ttp_arp_entry *e)
{
	netdev_hold(e->dev, &e->dev_tracker, GFP_ATOMIC);
	hlist_add_head_rcu(&e->node, ttp_arp_bucket(t, e->dev, e->addr));
	t->count++;
	trace_ttp_arp_update(e->dev, e->addr, e->mac, TTP_ARP_NONE, e->state);
	if (e->state != TTP_ARP_PERMANENT)
		ttp_arp_gc_kick(t);
}

/*
 * First packet to an unknown neighbour: a new INCOMPLETE entry holding
 * @skb, and a broadcast request.  Returns 0 (@skb taken), -EEXIST when
 * another CPU was faster, or an error (@skb left to the caller).
 */
static int ttp_arp_create_queued(struct ttp_arp_table *t,
				 struct net_device *dev, __be32 addr,
				 struct sk_buff *skb, struct ttp_arp_todo *todo)
{
	struct ttp_arp_entry *e;
	int err;

	e = ttp_arp_alloc(t->tn, dev, addr, GFP_ATOMIC);
	if (!e)
		return -ENOBUFS;
	spin_lock_bh(&t->lock);
	err = ttp_arp_may_add(t, dev, addr, &todo->fail);
	if (!err) {
		/* Not yet visible, but its timer may already run. */
		write_seqlock(&e->lock);
		e->used_ever = true;
		__skb_queue_tail(&e->queue, skb);
		ttp_arp_start(e, todo);
		write_sequnlock(&e->lock);
		ttp_arp_publish(t, e);
	}
	spin_unlock_bh(&t->lock);
	if (err)
		kfree(e);
	return err;
}

/*
 * Someone we did not know asked for our address: remember it, STALE,
 * as Linux does (the conversation is likely to continue).
 */
static void ttp_arp_create_learnt(struct ttp_arp_table *t,
				  struct net_device *dev, __be32 addr,
				  const u8 *mac, struct ttp_arp_todo *todo)
{
	struct ttp_arp_entry *e;
	int err;

	e = ttp_arp_alloc(t->tn, dev, addr, GFP_ATOMIC);
	if (!e)
		return;
	ether_addr_copy(e->mac, mac);
	e->state = TTP_ARP_STALE;
	spin_lock_bh(&t->lock);
	err = ttp_arp_may_add(t, dev, addr, &todo->fail);
	if (!err)
		ttp_arp_publish(t, e);
	spin_unlock_bh(&t->lock);
	if (err)
		kfree(e);
}

/* --- output ----------------------------------------------------------- */

/*
 * Lockless read of a usable entry's MAC; false when the state needs the
 * slow path.  The seqlock gives a MAC and state that belong together.
 * BHs are off, so no writer on this CPU can interrupt the read.
 */
static bool ttp_arp_fast_mac(struct ttp_arp_entry *e, u8 *mac)
{
	enum ttp_arp_state state;
	unsigned int seq;

	do {
		seq = read_seqbegin(&e->lock);
		state = e->state;
		ether_addr_copy(mac, e->mac);
	} while (read_seqretry(&e->lock, seq));
	if (!ttp_arp_state_fast(state))
		return false;
	ttp_arp_touch(e);
	return true;
}

/*
 * Output through an entry that needs a state change or holds packets.
 * Returns -EAGAIN (@skb not taken) when the entry died meanwhile.
 */
static int ttp_arp_output_entry(struct ttp_arp_entry *e, struct sk_buff *skb,
				struct ttp_arp_todo *todo)
{
	write_seqlock_bh(&e->lock);
	if (e->dead) {
		write_sequnlock_bh(&e->lock);
		return -EAGAIN;
	}
	switch (e->state) {
	case TTP_ARP_STALE:
		/* Used again: give upper layers a moment to confirm it. */
		ttp_arp_set_state(e, TTP_ARP_DELAY);
		ttp_arp_arm(e, jiffies +
			    ttp_arp_knob_jiffies(&e->tn->cfg.arp_delay_probe_ms));
		fallthrough;
	case TTP_ARP_REACHABLE:
	case TTP_ARP_DELAY:
	case TTP_ARP_PROBE:
	case TTP_ARP_PERMANENT:
		ether_addr_copy(todo->mac, e->mac);
		__skb_queue_tail(&todo->xmit, skb);
		break;
	case TTP_ARP_FAILED:
		/* Failed before: try again from scratch, as Linux does. */
		ttp_arp_start(e, todo);
		fallthrough;
	case TTP_ARP_INCOMPLETE:
		ttp_arp_enqueue(e, skb, todo);
		break;
	}
	ttp_arp_touch(e);
	write_sequnlock_bh(&e->lock);
	return 0;
}

/* Everything but the lockless fast path.  Under rcu_read_lock_bh(). */
static int ttp_arp_output_slow(struct ttp_arp_table *t,
			       struct ttp_arp_entry *e, struct net_device *dev,
			       __be32 addr, struct sk_buff *skb)
{
	struct ttp_arp_todo todo;
	int err = -EAGAIN;
	int tries;

	ttp_arp_todo_init(&todo, dev, addr);
	/* A dead entry is unhashed already: one more lookup is enough. */
	for (tries = 0; tries < 3 && (err == -EAGAIN || err == -EEXIST);
	     tries++) {
		if (!e)
			e = ttp_arp_lookup(t, dev, addr);
		if (e)
			err = ttp_arp_output_entry(e, skb, &todo);
		else
			err = ttp_arp_create_queued(t, dev, addr, skb, &todo);
		e = NULL;
	}
	ttp_arp_todo_run(&todo);
	if (!err)
		return 0;
	kfree_skb_reason(skb, SKB_DROP_REASON_NEIGH_CREATEFAIL);
	return err == -ENETDOWN ? -ENETUNREACH : -ENOBUFS;
}

/**
 * ttp_arp_output - send a network-layer packet to an on-link neighbour
 * @dev: the TTP-enabled output device
 * @nexthop: the neighbour's address
 * @skb: the packet, data at the network header; consumed
 *
 * Return: 0 when sent or queued for resolution (resolution failure is
 * reported later on the sending socket), -ENOBUFS when no entry can be
 * made (table full, no memory), -ENETUNREACH when @dev is not (or no
 * longer) TTP-enabled, -EHOSTUNREACH for an address ARP cannot resolve.
 */
int ttp_arp_output(struct net_device *dev, __be32 nexthop,
		   struct sk_buff *skb)
{
	struct ttp_arp_table *t;
	struct ttp_arp_entry *e;
	u8 mac[ETH_ALEN] __aligned(2);
	int err;

	if (unlikely(ttp_arp_addr_bad(nexthop))) {
		kfree_skb(skb);
		return -EHOSTUNREACH;
	}
	/*
	 * A forwarded packet still points at its input device, which may go
	 * while the packet waits for resolution: from here on it is @dev's,
	 * and the entry holds a reference on @dev.
	 */
	skb->dev = dev;
	/* Room for the Ethernet header, also for packets that must wait. */
	if (skb_cow_head(skb, LL_RESERVED_SPACE(dev))) {
		TTP_NET_INC_STATS(dev_net(dev), TTP_MIB_IP_OUT_DISCARDS);
		kfree_skb(skb);
		return -ENOBUFS;
	}
	/*
	 * BHs off: entries are written from softirq, and a seqlock reader
	 * that a writer can interrupt is what lockdep rightly warns about.
	 */
	rcu_read_lock_bh();
	t = ttp_arp_table_get(dev_net(dev));
	if (unlikely(!t)) {
		rcu_read_unlock_bh();
		kfree_skb(skb);
		return -ENETUNREACH;
	}
	e = ttp_arp_lookup(t, dev, nexthop);
	if (likely(e && ttp_arp_fast_mac(e, mac))) {
		rcu_read_unlock_bh();
		return ttp_arp_xmit(skb, dev, mac);
	}
	err = ttp_arp_output_slow(t, e, dev, nexthop, skb);
	rcu_read_unlock_bh();
	return err;
}

/* --- input ------------------------------------------------------------ */

/* RFC 826 sanity, plus addresses no host may claim.  Returns true if bad. */
static bool ttp_arp_pkt_bad(const struct ttp_arp_pkt *p)
{
	u16 op = ntohs(p->hdr.ar_op);

	if (p->hdr.ar_hrd != htons(ARPHRD_ETHER) ||
	    p->hdr.ar_pro != htons(ETH_P_TTP) ||
	    p->hdr.ar_hln != ETH_ALEN || p->hdr.ar_pln != sizeof(__be32))
		return true;
	if (op != ARPOP_REQUEST && op != ARPOP_REPLY)
		return true;
	if (!is_valid_ether_addr(p->sha))
		return true;
	/* 0.0.0.0 is a probe (RFC 5227), only as a request. */
	if (!p->sip)
		return op != ARPOP_REQUEST;
	return ipv4_is_multicast(p->sip) || ipv4_is_lbcast(p->sip) ||
	       ipv4_is_loopback(p->sip) || ipv4_is_zeronet(p->sip) ||
	       ipv4_is_multicast(p->tip) || ipv4_is_loopback(p->tip);
}

enum ttp_arp_news {
	TTP_ARP_NEWS_CONFIRM,	/* a reply: confirm */
	TTP_ARP_NEWS_LEARN,	/* a request or gratuitous ARP: learn */
};

/*
 * Apply what a received packet says about (@dev, @sip) to an existing
 * entry.  Returns false when there is none.  Packets go out after.
 */
static bool ttp_arp_update(struct ttp_arp_table *t, struct net_device *dev,
			   __be32 sip, const u8 *sha, enum ttp_arp_news news,
			   struct ttp_arp_todo *todo)
{
	struct ttp_arp_entry *e;
	bool found = false;

	rcu_read_lock();
	e = ttp_arp_lookup(t, dev, sip);
	if (e) {
		write_seqlock_bh(&e->lock);
		/* The wire never overrides the administrator. */
		if (!e->dead && e->state != TTP_ARP_PERMANENT) {
			if (news == TTP_ARP_NEWS_CONFIRM)
				ttp_arp_confirm(e, sha, todo);
			else
				ttp_arp_learn(e, sha, todo);
		}
		found = !e->dead;
		write_sequnlock_bh(&e->lock);
	}
	rcu_read_unlock();
	return found;
}

/* A request for one of our addresses: learn the asker, answer it. */
static void ttp_arp_rcv_request(struct ttp_arp_table *t,
				struct net_device *dev,
				const struct ttp_arp_pkt *p,
				struct ttp_arp_todo *todo)
{
	/* An RFC 5227 probe (sender 0.0.0.0) teaches nothing. */
	if (p->sip &&
	    !ttp_arp_update(t, dev, p->sip, p->sha, TTP_ARP_NEWS_LEARN, todo))
		ttp_arp_create_learnt(t, dev, p->sip, p->sha, todo);
	if (ttp_arp_send(dev, ARPOP_REPLY, p->sha, p->tip, p->sha, p->sip))
		TTP_INC_STATS(t->tn, TTP_MIB_ARP_OUT_REPLIES);
}

/*
 * Somebody else uses one of our addresses.  Never learn it: that would
 * send our own traffic to them.
 */
static void ttp_arp_conflict(struct ttp_net *tn, struct net_device *dev,
			     const struct ttp_arp_pkt *p)
{
	TTP_INC_STATS(tn, TTP_MIB_ARP_CONFLICTS);
	if (net_ratelimit())
		netdev_warn(dev, "ttp: address %pI4 claimed by MAC %pM\n",
			    &p->sip, p->sha);
}

/* A valid packet: count it, and learn from it.  Under rcu_read_lock(). */
static void ttp_arp_process(struct ttp_net *tn, struct ttp_arp_table *t,
			    struct net_device *dev,
			    const struct ttp_arp_pkt *p)
{
	bool request = p->hdr.ar_op == htons(ARPOP_REQUEST);
	struct ttp_arp_todo todo;

	TTP_INC_STATS(tn, request ? TTP_MIB_ARP_IN_REQUESTS :
				    TTP_MIB_ARP_IN_REPLIES);
	/* Our own frame, looped back by a hub or a bridge. */
	if (ether_addr_equal(p->sha, dev->dev_addr))
		return;
	if (p->sip && ttp_ip_is_local(tn->net, p->sip)) {
		ttp_arp_conflict(tn, dev, p);
		return;
	}
	ttp_arp_todo_init(&todo, dev, p->sip);
	if (p->sip == p->tip) {
		/* Gratuitous: news for those who know it, nobody else. */
		TTP_INC_STATS(tn, TTP_MIB_ARP_IN_GRATUITOUS);
		ttp_arp_update(t, dev, p->sip, p->sha, TTP_ARP_NEWS_LEARN,
			       &todo);
	} else if (!request) {
		/* Replies for addresses we never asked about are ignored. */
		ttp_arp_update(t, dev, p->sip, p->sha, TTP_ARP_NEWS_CONFIRM,
			       &todo);
	} else if (ttp_ip_is_local(tn->net, p->tip)) {
		ttp_arp_rcv_request(t, dev, p, &todo);
	} else if (p->sip) {
		ttp_arp_update(t, dev, p->sip, p->sha, TTP_ARP_NEWS_LEARN,
			       &todo);
	}
	ttp_arp_todo_run(&todo);
}

/**
 * ttp_arp_rcv - a TTP ARP frame arrived
 * @skb: the frame, data at the ARP header; consumed
 * @nd: the TTP-enabled device it arrived on
 *
 * Called in softirq context by the ingress hook.  The packet is copied
 * out with skb_header_pointer(), so a shared or non-linear skb is fine
 * and is never written to.
 */
void ttp_arp_rcv(struct sk_buff *skb, struct ttp_ndev *nd)
{
	struct net_device *dev = skb->dev;
	struct ttp_net *tn = nd->tn;
	const struct ttp_arp_pkt *p;
	struct ttp_arp_table *t;
	struct ttp_arp_pkt buf;

	/* For another MAC: we only see it in promiscuous mode. */
	if (skb->pkt_type == PACKET_OTHERHOST) {
		consume_skb(skb);
		return;
	}
	p = skb_header_pointer(skb, 0, sizeof(buf), &buf);
	if (!p || ttp_arp_pkt_bad(p)) {
		TTP_INC_STATS(tn, TTP_MIB_ARP_IN_ERRORS);
		kfree_skb(skb);
		return;
	}
	rcu_read_lock();
	t = ttp_arp_table_get(tn->net);
	if (t)
		ttp_arp_process(tn, t, dev, p);
	rcu_read_unlock();
	consume_skb(skb);
}

/**
 * ttp_arp_announce - gratuitous ARP for @addr on @dev
 * @dev: the device that has the address
 * @addr: the address
 *
 * A request whose sender and target are both @addr tells the segment
 * where @addr lives now (and shows a conflict if somebody else has it).
 * Called under RTNL.
 */
void ttp_arp_announce(struct net_device *dev, __be32 addr)
{
	if (ttp_arp_addr_bad(addr))
		return;
	if (ttp_arp_send(dev, ARPOP_REQUEST, NULL, addr, NULL, addr))
		TTP_NET_INC_STATS(dev_net(dev), TTP_MIB_ARP_OUT_REQUESTS);
}

/* --- flushing and garbage collection ---------------------------------- */

/*
 * Unlink every entry @match(entry, @arg) says yes to onto @dead, their
 * queues onto @purge; ttp_arp_reap() them next.  Returns how many.
 */
static unsigned int ttp_arp_unlink_if(struct ttp_arp_table *t,
				      bool (*match)(struct ttp_arp_entry *e,
						    const void *arg),
				      const void *arg, struct list_head *dead,
				      struct sk_buff_head *purge)
{
	struct ttp_arp_entry *e;
	struct hlist_node *tmp;
	unsigned int i, n = 0;

	spin_lock_bh(&t->lock);
	for (i = 0; i < TTP_ARP_BUCKETS; i++) {
		hlist_for_each_entry_safe(e, tmp, &t->buckets[i], node) {
			if (!match(e, arg))
				continue;
			ttp_arp_unlink(t, e, purge);
			list_add_tail(&e->reap, dead);
			n++;
		}
	}
	spin_unlock_bh(&t->lock);
	return n;
}

static bool ttp_arp_match_all(struct ttp_arp_entry *e, const void *arg)
{
	return true;
}

static bool ttp_arp_match_dev(struct ttp_arp_entry *e, const void *dev)
{
	return e->dev == dev;
}

/* Old STALE/FAILED entries nobody sent to for arp_stale_ms. */
static bool ttp_arp_match_unused(struct ttp_arp_entry *e, const void *arg)
{
	const unsigned long *stale = arg;

	return ttp_arp_state_evictable(READ_ONCE(e->state)) &&
	       time_after(jiffies, READ_ONCE(e->used) + *stale);
}

/* Flush the matching entries of @net's table.  Process context. */
static unsigned int ttp_arp_flush(struct net *net,
				  bool (*match)(struct ttp_arp_entry *e,
						const void *arg),
				  const void *arg)
{
	struct sk_buff_head purge;
	struct ttp_arp_table *t;
	unsigned int n = 0;
	LIST_HEAD(dead);

	__skb_queue_head_init(&purge);
	rcu_read_lock();
	t = ttp_arp_table_get(net);
	if (t)
		n = ttp_arp_unlink_if(t, match, arg, &dead, &purge);
	rcu_read_unlock();
	ttp_arp_reap(&dead);
	ttp_arp_fail_queue(&purge);
	return n;
}

/**
 * ttp_arp_flush_dev - forget every neighbour on @dev
 * @net: @dev's namespace
 * @dev: a device that stopped being TTP-enabled (down, gone, ...)
 *
 * Static entries go too, as with `ip neigh flush dev`.  Packets waiting
 * on the entries fail with EHOSTUNREACH.  Called under RTNL.
 */
void ttp_arp_flush_dev(struct net *net, struct net_device *dev)
{
	ttp_arp_flush(net, ttp_arp_match_dev, dev);
}

/* Does the table still hold anything that ages?  t->lock held. */
static bool ttp_arp_has_transient(struct ttp_arp_table *t)
{
	struct ttp_arp_entry *e;
	unsigned int i;

	for (i = 0; i < TTP_ARP_BUCKETS; i++)
		hlist_for_each_entry(e, &t->buckets[i], node)
			if (READ_ONCE(e->state) != TTP_ARP_PERMANENT)
				return true;
	return false;
}

/*
 * Every TTP_ARP_GC_INTERVAL while there are entries that age: drop the
 * unused STALE and FAILED ones.  It sleeps when only static entries are
 * left; adding an entry wakes it.
 */
static void ttp_arp_gc(struct work_struct *work)
{
	struct ttp_arp_table *t = container_of(to_delayed_work(work),
					       struct ttp_arp_table, gc_work);
	unsigned long stale = ttp_arp_knob_jiffies(&t->tn->cfg.arp_stale_ms);
	struct sk_buff_head purge;
	unsigned int n;
	LIST_HEAD(dead);

	__skb_queue_head_init(&purge);
	n = ttp_arp_unlink_if(t, ttp_arp_match_unused, &stale, &dead, &purge);
	while (n--)
		TTP_INC_STATS(t->tn, TTP_MIB_ARP_GC_EVICTED);
	ttp_arp_reap(&dead);
	ttp_arp_fail_queue(&purge);

	spin_lock_bh(&t->lock);
	if (!t->dead && ttp_arp_has_transient(t))
		queue_delayed_work(system_power_efficient_wq, &t->gc_work,
				   TTP_ARP_GC_INTERVAL);
	spin_unlock_bh(&t->lock);
}

/* --- namespace -------------------------------------------------------- */

int ttp_arp_init_ns(struct ttp_net *tn)
{
	struct ttp_arp_table *t;

	t = kzalloc(sizeof(*t), GFP_KERNEL);
	if (!t)
		return -ENOMEM;
	t->tn = tn;
	spin_lock_init(&t->lock);
	t->seed = get_random_u32();
	INIT_DELAYED_WORK(&t->gc_work, ttp_arp_gc);
	/* /proc/net/ttp/arp may already be open: publish a whole table. */
	smp_store_release(&tn->arp, t);
	return 0;
}

/*
 * Tear the table down: every entry, queued packet and timer goes, and
 * the garbage collector stops.  RCU readers that found the table before
 * it was cleared may still use it, so it is freed after a grace period
 * and later callers find NULL.
 */
void ttp_arp_exit_ns(struct ttp_net *tn)
{
	struct ttp_arp_table *t = tn->arp;
	struct sk_buff_head purge;
	LIST_HEAD(dead);

	if (!t)
		return;
	spin_lock_bh(&t->lock);
	t->dead = true;		/* no new entries, no GC re-arming */
	spin_unlock_bh(&t->lock);
	WRITE_ONCE(tn->arp, NULL);

	__skb_queue_head_init(&purge);
	ttp_arp_unlink_if(t, ttp_arp_match_all, NULL, &dead, &purge);
	cancel_delayed_work_sync(&t->gc_work);
	ttp_arp_reap(&dead);
	ttp_arp_fail_queue(&purge);
	kfree_rcu(t, rcu);
}

/* --- /proc/net/ttp/arp -------------------------------------------------- */

#define TTP_ARP_SHOW_FMT "%-16s %-18s %-11s %-16s %9s %6s %7s %5s\n"

/* "ms since @when", or "-" when it never happened. */
static void ttp_arp_fmt_age(char *buf, size_t len, bool ever,
			    unsigned long when)
{
	if (ever)
		snprintf(buf, len, "%u", jiffies_to_msecs(jiffies - when));
	else
		strscpy(buf, "-", len);
}

/* One line; t->lock held, so the entry and its device stay. */
static void ttp_arp_show_entry(struct seq_file *seq, struct ttp_arp_entry *e)
{
	char addr[16], mac[18], conf[24], used[24], probes[8], qlen[12];
	enum ttp_arp_state state;
	unsigned int seq_nr;

	do {
		seq_nr = read_seqbegin(&e->lock);
		state = e->state;
		snprintf(mac, sizeof(mac), "%pM", e->mac);
		ttp_arp_fmt_age(conf, sizeof(conf), e->confirmed_ever,
				e->confirmed);
		snprintf(probes, sizeof(probes), "%u", e->probes);
		snprintf(qlen, sizeof(qlen), "%u", skb_queue_len(&e->queue));
	} while (read_seqretry(&e->lock, seq_nr));
	ttp_arp_fmt_age(used, sizeof(used), READ_ONCE(e->used_ever),
			READ_ONCE(e->used));
	snprintf(addr, sizeof(addr), "%pI4", &e->addr);
	seq_printf(seq, TTP_ARP_SHOW_FMT, addr, mac,
		   ttp_arp_state_names[state], e->dev->name, conf, used,
		   probes, qlen);
}

int ttp_arp_seq_show(struct seq_file *seq, void *v)
{
	struct ttp_arp_table *t;
	struct ttp_arp_entry *e;
	unsigned int i;

	seq_printf(seq, TTP_ARP_SHOW_FMT, "Address", "HWaddress", "State",
		   "Device", "Confirmed", "Used", "Probes", "Queue");
	rcu_read_lock();
	t = ttp_arp_table_get(seq_file_single_net(seq));
	for (i = 0; t && i < TTP_ARP_BUCKETS; i++) {
		/* One bucket at a time: the lock is never held for long. */
		spin_lock_bh(&t->lock);
		hlist_for_each_entry(e, &t->buckets[i], node)
			ttp_arp_show_entry(seq, e);
		spin_unlock_bh(&t->lock);
	}
	rcu_read_unlock();
	return 0;
}

static int ttp_arp_parse_addr(const char *s, __be32 *addr)
{
	const char *end;

	if (!in4_pton(s, -1, (u8 *)addr, -1, &end) || *end ||
	    ttp_arp_addr_bad(*addr))
		return -EINVAL;
	return 0;
}

static int ttp_arp_parse_mac(const char *s, u8 *mac)
{
	if (strlen(s) != 3 * ETH_ALEN - 1 || !mac_pton(s, mac) ||
	    !is_valid_ether_addr(mac))
		return -EINVAL;
	return 0;
}

/* An Ethernet device of @net by name, held; NULL if there is none. */
static struct net_device *ttp_arp_get_dev(struct net *net, const char *name)
{
	struct net_device *dev = dev_get_by_name(net, name);

	if (dev && (dev->type != ARPHRD_ETHER || dev->addr_len != ETH_ALEN)) {
		dev_put(dev);
		dev = NULL;
	}
	return dev;
}

/* Make (or turn) the entry static.  Under rcu_read_lock(). */
static int ttp_arp_add_static(struct ttp_arp_table *t, struct ttp_arp_entry *e,
			      const u8 *mac, struct ttp_arp_todo *todo)
{
	struct ttp_arp_entry *old;
	int err;

	spin_lock_bh(&t->lock);
	old = ttp_arp_lookup(t, e->dev, e->addr);
	if (old) {
		/* Replace in place: packets waiting on it can go now. */
		write_seqlock(&old->lock);
		ttp_arp_make_permanent(old, mac, todo);
		write_sequnlock(&old->lock);
		err = -EEXIST;
	} else {
		err = ttp_arp_may_add(t, e->dev, e->addr, &todo->fail);
		if (!err) {
			ether_addr_copy(e->mac, mac);
			e->state = TTP_ARP_PERMANENT;
			ttp_arp_publish(t, e);
		}
	}
	spin_unlock_bh(&t->lock);
	return err;
}

/* "add ADDR MAC DEV" */
static int ttp_arp_cmd_add(struct net *net, char **argv)
{
	u8 mac[ETH_ALEN] __aligned(2);
	struct ttp_arp_todo todo;
	struct ttp_arp_table *t;
	struct ttp_arp_entry *e;
	struct net_device *dev;
	__be32 addr;
	int err;

	if (ttp_arp_parse_addr(argv[1], &addr) ||
	    ttp_arp_parse_mac(argv[2], mac))
		return -EINVAL;
	dev = ttp_arp_get_dev(net, argv[3]);
	if (!dev)
		return -ENODEV;
	err = -ENOMEM;
	e = ttp_arp_alloc(ttp_net(net), dev, addr, GFP_KERNEL);
	if (!e)
		goto out;
	ttp_arp_todo_init(&todo, dev, addr);
	rcu_read_lock();
	t = ttp_arp_table_get(net);
	err = t ? ttp_arp_add_static(t, e, mac, &todo) : -ENODEV;
	rcu_read_unlock();
	if (err) {
		kfree(e);
		err = err == -EEXIST ? 0 : err;
	}
	ttp_arp_todo_run(&todo);
out:
	dev_put(dev);
	return err;
}

/* What "del" looks for. */
struct ttp_arp_key {
	const struct net_device *dev;
	__be32 addr;
};

static bool ttp_arp_match_key(struct ttp_arp_entry *e, const void *key)
{
	const struct ttp_arp_key *k = key;

	return e->dev == k->dev && e->addr == k->addr;
}

/* "del ADDR DEV" */
static int ttp_arp_cmd_del(struct net *net, char **argv)
{
	struct ttp_arp_key key = {};
	struct net_device *dev;
	unsigned int n;

	if (ttp_arp_parse_addr(argv[1], &key.addr))
		return -EINVAL;
	dev = ttp_arp_get_dev(net, argv[2]);
	if (!dev)
		return -ENODEV;
	key.dev = dev;
	n = ttp_arp_flush(net, ttp_arp_match_key, &key);
	dev_put(dev);
	return n ? 0 : -ENOENT;
}

/* "flush" or "flush DEV" */
static int ttp_arp_cmd_flush(struct net *net, char **argv, int argc)
{
	struct net_device *dev;

	if (argc == 1) {
		ttp_arp_flush(net, ttp_arp_match_all, NULL);
		return 0;
	}
	dev = ttp_arp_get_dev(net, argv[1]);
	if (!dev)
		return -ENODEV;
	ttp_arp_flush(net, ttp_arp_match_dev, dev);
	dev_put(dev);
	return 0;
}

/* Split @buf into words in place.  Returns the count, or -EINVAL. */
static int ttp_arp_split(char *buf, char **argv, int max)
{
	int argc = 0;
	char *word;

	while ((word = strsep(&buf, " \t\n"))) {
		if (!*word)
			continue;
		if (argc == max)
			return -EINVAL;
		argv[argc++] = word;
	}
	return argc;
}

/**
 * ttp_arp_proc_write - the administrator's interface to the cache
 * @file: /proc/net/ttp/arp of some namespace
 * @buf: the command, NUL-terminated, may be modified
 * @size: its length
 *
 * One command per write: "add ADDR MAC DEV" (static entry, replacing any
 * other for ADDR on DEV; DEV must be TTP-enabled), "del ADDR DEV",
 * "flush" (every entry, static ones too) or "flush DEV".  Needs
 * CAP_NET_ADMIN over the file's namespace.
 *
 * Return: 0 (proc_simple_write() then returns @size), -EPERM, -EINVAL
 * (syntax, bad address or MAC), -ENODEV (no such Ethernet device),
 * -ENETDOWN (device not TTP-enabled), -ENOENT (no such entry),
 * -ENOBUFS (table full of entries that cannot be evicted), -ENOMEM.
 */
int ttp_arp_proc_write(struct file *file, char *buf, size_t size)
{
	/* proc_create_net_single_write(): single_open() with the net. */
	struct net *net = seq_file_single_net(file->private_data);
	char *argv[TTP_ARP_MAX_ARGS];
	int argc;

	if (!ns_capable(net->user_ns, CAP_NET_ADMIN))
		return -EPERM;
	if (strlen(buf) != size)
		return -EINVAL;
	argc = ttp_arp_split(buf, argv, ARRAY_SIZE(argv));
	if (argc <= 0)
		return -EINVAL;
	if (!strcmp(argv[0], "add") && argc == 4)
		return ttp_arp_cmd_add(net, argv);
	if (!strcmp(argv[0], "del") && argc == 3)
		return ttp_arp_cmd_del(net, argv);
	if (!strcmp(argv[0], "flush") && argc <= 2)
		return ttp_arp_cmd_flush(net, argv, argc);
	return -EINVAL;
}
