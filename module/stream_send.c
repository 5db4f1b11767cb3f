// SPDX-License-Identifier: GPL-2.0
/*
 * The send queue: what the user wrote, until the peer acknowledges it.
 *
 * sk_write_queue holds one skb per segment, in sequence order: first the
 * segments sent and not yet acknowledged (the retransmission queue),
 * then, from ss->send_head on, those not sent yet.  A segment carries at
 * most one MSS; write() copies the user's bytes once, into page frags
 * (as TCP does), and transmission sends clones, so the queued copy stays
 * for a retransmission.
 *
 * ttp_stream_push() sends what the windows allow: the peer's window
 * (flow control, RFC 9293 3.8.6), the congestion window (RFC 5681), the
 * sender's silly-window avoidance and Nagle's algorithm (RFC 9293
 * 3.7.4).  When the peer's window is zero the persist timer probes it.
 *
 * Memory: each queued skb's truesize is charged to sk_wmem_queued
 * (bounded by SO_SNDBUF within net.ttp.stream_wmem) and to the
 * namespace's stream_mem (bounded by net.ttp.stream_mem_max_kb).
 */
#include <linux/skbuff.h>
#include <linux/timekeeping.h>
#include <net/sock.h>

#include "ip.h"
#include "stats.h"
#include "stream.h"
#include "trace.h"

u32 ttp_stream_now_us(void)
{
	return (u32)div_u64(ktime_get_ns(), NSEC_PER_USEC);
}

/* --- memory ----------------------------------------------------------- */

/* SO_SNDBUF, within net.ttp.stream_wmem's min and max. */
int ttp_stream_sndbuf(const struct sock *sk)
{
	const int *w = ttp_stream_tn(sk)->cfg.stream_wmem;

	return clamp(READ_ONCE(sk->sk_sndbuf), READ_ONCE(w[0]),
		     READ_ONCE(w[2]));
}

static bool ttp_stream_ns_mem_ok(const struct sock *sk)
{
	struct ttp_net *tn = ttp_stream_tn(sk);

	return atomic_long_read(&tn->stream_mem) <
	       (long)READ_ONCE(tn->cfg.stream_mem_max_kb) << 10;
}

/* Room for one more write: the send buffer and the namespace's limit. */
bool ttp_stream_memory_free(const struct sock *sk)
{
	return READ_ONCE(sk->sk_wmem_queued) < ttp_stream_sndbuf(sk) &&
	       ttp_stream_ns_mem_ok(sk);
}

static void ttp_stream_charge_w(struct sock *sk, int bytes)
{
	sk_wmem_queued_add(sk, bytes);
	atomic_long_add(bytes, &ttp_stream_tn(sk)->stream_mem);
}

static void ttp_stream_free_skb(struct sock *sk, struct sk_buff *skb)
{
	ttp_stream_charge_w(sk, -(int)skb->truesize);
	consume_skb(skb);
}

/* --- queueing --------------------------------------------------------- */

static bool ttp_stream_unsent(const struct ttp_stream_sock *ss,
			      const struct sk_buff *skb)
{
	return !ttp_seq_before(TTP_STREAM_CB(skb)->seq, ss->snd_max);
}

static struct sk_buff *ttp_stream_new_skb(struct sock *sk, gfp_t gfp)
{
	struct ttp_stream_sock *ss = ttp_stream_sk(sk);
	struct ttp_stream_cb *cb;
	struct sk_buff *skb;

	skb = alloc_skb(ttp_stream_headroom(), gfp);
	if (!skb)
		return NULL;
	skb_reserve(skb, ttp_stream_headroom());
	/* Clones may write their headers in front of the payload. */
	__skb_header_release(skb);
	cb = TTP_STREAM_CB(skb);
	memset(cb, 0, sizeof(*cb));
	cb->seq = ss->write_seq;
	cb->end_seq = ss->write_seq;
	cb->flags = TTP_TH_ACK;
	ttp_stream_charge_w(sk, skb->truesize);
	__skb_queue_tail(&sk->sk_write_queue, skb);
	if (!ss->send_head)
		ss->send_head = skb;
	return skb;
}

/*
 * Copy up to @len bytes of @msg into page frags of @skb, at most to one
 * MSS.  Returns the bytes copied, 0 when the page frag cannot be
 * refilled now (wait for memory), or -EFAULT.
 */
static int ttp_stream_copy_in(struct sock *sk, struct sk_buff *skb,
			      struct msghdr *msg, size_t len)
{
	struct page_frag *pfrag = sk_page_frag(sk);
	int i = skb_shinfo(skb)->nr_frags;
	bool merge;
	size_t n;

	if (!sk_page_frag_refill(sk, pfrag))
		return 0;
	merge = skb_can_coalesce(skb, i, pfrag->page, pfrag->offset);
	if (!merge && i >= MAX_SKB_FRAGS)
		return 0;
	n = min_t(size_t, len, pfrag->size - pfrag->offset);
	n = min_t(size_t, n, ttp_stream_sk(sk)->mss - skb->len);
	/*
	 * A plain copy: summing while copying (csum_and_copy_from_iter)
	 * measured slower here, under QEMU's TCG, than copy and sum apart.
	 */
	if (copy_page_from_iter(pfrag->page, pfrag->offset, n,
				&msg->msg_iter) != n)
		return -EFAULT;
	if (merge) {
		skb_frag_size_add(&skb_shinfo(skb)->frags[i - 1], n);
	} else {
		skb_fill_page_desc(skb, i, pfrag->page, pfrag->offset, n);
		get_page(pfrag->page);
	}
	pfrag->offset += n;
	skb->len += n;
	skb->data_len += n;
	skb->truesize += n;
	ttp_stream_charge_w(sk, n);
	return n;
}

/**
 * ttp_stream_queue_data - copy user data onto the send queue
 * @sk: socket, locked, synchronized
 * @msg: the user's buffer
 * @len: bytes left to copy
 * @full: set when a segment became full (worth pushing now)
 *
 * Fills the last queued segment first if it is unsent and short (so a
 * run of small writes makes one segment), else starts a new one.
 * Returns bytes copied, 0 when memory must be waited for, or -errno.
 */
int ttp_stream_queue_data(struct sock *sk, struct msghdr *msg, size_t len,
			  bool *full)
{
	struct ttp_stream_sock *ss = ttp_stream_sk(sk);
	struct sk_buff *skb = skb_peek_tail(&sk->sk_write_queue);
	struct ttp_stream_cb *cb;
	int n;

	if (!skb || !ttp_stream_unsent(ss, skb) || skb->len >= ss->mss ||
	    skb_shinfo(skb)->nr_frags >= MAX_SKB_FRAGS ||
	    (TTP_STREAM_CB(skb)->flags & TTP_TH_FIN)) {
		skb = ttp_stream_new_skb(sk, sk->sk_allocation);
		if (!skb)
			return 0;
	}
	n = ttp_stream_copy_in(sk, skb, msg, len);
	if (n > 0) {
		cb = TTP_STREAM_CB(skb);
		/* More follows: the PSH moves to the end of this write. */
		cb->flags &= ~TTP_TH_PSH;
		cb->end_seq += n;
		WRITE_ONCE(ss->write_seq, ss->write_seq + n);
		*full = skb->len >= ss->mss;
	} else if (!skb->len) {
		/* Nothing went in: the empty segment goes again. */
		if (ss->send_head == skb)
			ss->send_head = NULL;
		__skb_unlink(skb, &sk->sk_write_queue);
		ttp_stream_free_skb(sk, skb);
	}
	return n;
}

/*
 * The end of a write(): PSH on its last byte (RFC 9293 3.9.1: the
 * receiver should deliver what it has), as Linux marks its tail skb.
 */
void ttp_stream_mark_push(struct sock *sk)
{
	struct sk_buff *skb = skb_peek_tail(&sk->sk_write_queue);

	if (skb && ttp_stream_unsent(ttp_stream_sk(sk), skb) && skb->len)
		TTP_STREAM_CB(skb)->flags |= TTP_TH_PSH;
}

/*
 * CLOSE: the FIN takes the sequence number after the last byte queued,
 * on the last unsent segment or a segment of its own, and goes out with
 * the data before it.
 */
void ttp_stream_queue_fin(struct sock *sk)
{
	struct ttp_stream_sock *ss = ttp_stream_sk(sk);
	struct sk_buff *skb = skb_peek_tail(&sk->sk_write_queue);

	if (ss->fin_queued)
		return;
	if (!skb || !ttp_stream_unsent(ss, skb)) {
		/*
		 * Cannot fail: a FIN must always be possible, as in TCP
		 * (close() and shutdown() may sleep here).
		 */
		skb = ttp_stream_new_skb(sk, GFP_KERNEL | __GFP_NOFAIL);
	}
	TTP_STREAM_CB(skb)->flags |= TTP_TH_FIN;
	TTP_STREAM_CB(skb)->end_seq++;
	WRITE_ONCE(ss->write_seq, ss->write_seq + 1);
	ss->fin_queued = true;
	ttp_stream_push(sk, true);
}

/* --- transmission ----------------------------------------------------- */

/*
 * A burst: the segments one call sends.  They share one route lookup
 * and go with BHs off, so the cable's receive side runs once for up to
 * TTP_STREAM_BURST of them instead of once each: the per-packet cost a
 * GSO stack saves by handing the device one large skb.  The bound keeps
 * a burst well inside the receiver's backlog (netdev_max_backlog).  The
 * clock is read once per such window (as tcp_write_xmit() reads it once).
 */
#define TTP_STREAM_BURST 32

struct ttp_stream_burst {
	struct ttp_route r;	/* r.rt: NULL until the first segment */
	u32 now_us;
	unsigned int segs;
};

static void ttp_stream_burst_begin(struct ttp_stream_burst *b)
{
	b->r.rt = NULL;
	b->segs = 0;
	local_bh_disable();
}

static void ttp_stream_burst_end(struct ttp_stream_burst *b)
{
	ttp_route_put(&b->r);
	local_bh_enable();
}

/* Let the receive side run after every TTP_STREAM_BURST segments. */
static int ttp_stream_burst_next(struct sock *sk, struct ttp_stream_burst *b)
{
	if (b->segs && b->segs % TTP_STREAM_BURST == 0) {
		local_bh_enable();
		local_bh_disable();
		/* The receive side ran: time went by (RTT samples, RACK). */
		b->now_us = ttp_stream_now_us() ? : 1;
	}
	if (!b->r.rt) {
		int err = ttp_stream_route(sk, &b->r);

		if (err)
			return err;
		b->now_us = ttp_stream_now_us() ? : 1;
	}
	b->segs++;
	return 0;
}

static void ttp_stream_count_rtx(struct sock *sk, const struct sk_buff *skb,
				 u32 len)
{
	struct ttp_stream_sock *ss = ttp_stream_sk(sk);
	struct ttp_stream_cb *cb = TTP_STREAM_CB(skb);

	TTP_INC_STATS(ttp_stream_tn(sk), TTP_MIB_STREAM_RETRANS_SEGS);
	WRITE_ONCE(ss->total_retrans, ss->total_retrans + 1);
	WRITE_ONCE(ss->bytes_retrans, ss->bytes_retrans + len);
	if (cb->rtx < U8_MAX)
		cb->rtx++;
	/* Karn: a sample over a retransmission would be ambiguous. */
	ss->rtt_start_us = 0;
	trace_ttp_retransmit(ss->saddr, ss->sport, ss->daddr, ss->dport,
			     cb->seq, len, cb->rtx, ss->ca_state);
}

/*
 * Send the queued segment @skb (a clone: the queue keeps it), from
 * SND.UNA on if its head is already acknowledged.  @rtx: it was sent
 * before.
 */
static int ttp_stream_xmit_skb(struct sock *sk, struct sk_buff *skb,
			       bool rtx, struct ttp_stream_burst *b)
{
	struct ttp_stream_sock *ss = ttp_stream_sk(sk);
	struct ttp_stream_cb *cb = TTP_STREAM_CB(skb);
	u32 seq = cb->seq, off = 0;
	struct sk_buff *c;
	u8 flags = cb->flags;
	int err;

	err = ttp_stream_burst_next(sk, b);
	if (err)
		return err;
	if (ttp_seq_before(seq, ss->snd_una)) {
		off = min(ss->snd_una - seq, skb->len);
		seq += off;
	}
	/* A clone still in flight shares our header room: copy instead. */
	c = skb_cloned(skb) ? pskb_copy(skb, GFP_ATOMIC) :
			      skb_clone(skb, GFP_ATOMIC);
	if (!c)
		return -ENOBUFS;
	if (off && !pskb_pull(c, off)) {
		kfree_skb(c);
		return -ENOBUFS;
	}
	if (!c->len)
		flags &= ~TTP_TH_PSH;
	cb->tx_us = b->now_us;
	if (rtx)
		ttp_stream_count_rtx(sk, skb, c->len);
	WRITE_ONCE(ss->bytes_sent, ss->bytes_sent + c->len);
	err = ttp_stream_send_seg(sk, &b->r, c, flags, seq);
	/* Lost on the way down: the retransmission timer covers it. */
	return err == -ENOBUFS ? 0 : err;
}

/* Split @skb (unsent) after @len bytes; the rest becomes the next one. */
static int ttp_stream_fragment(struct sock *sk, struct sk_buff *skb, u32 len)
{
	struct ttp_stream_cb *cb = TTP_STREAM_CB(skb), *ncb;
	u32 nsize = skb_headlen(skb) > len ? skb_headlen(skb) - len : 0;
	struct sk_buff *buff;
	int moved;

	buff = alloc_skb(ttp_stream_headroom() + nsize, GFP_ATOMIC);
	if (!buff)
		return -ENOBUFS;
	skb_reserve(buff, ttp_stream_headroom());
	moved = skb->len - len - nsize;	/* paged bytes that move */
	skb_split(skb, buff, len);
	__skb_header_release(buff);
	buff->truesize += moved;
	skb->truesize -= moved;
	ttp_stream_charge_w(sk, buff->truesize - moved);
	ncb = TTP_STREAM_CB(buff);
	*ncb = *cb;
	ncb->seq = cb->seq + len;
	cb->end_seq = ncb->seq;
	/* The FIN (and PSH) stay with the last byte. */
	cb->flags &= ~(TTP_TH_FIN | TTP_TH_PSH);
	__skb_queue_after(&sk->sk_write_queue, skb, buff);
	return 0;
}

/*
 * Move the first @n bytes of @from's page frags to the end of @to, as
 * skb_shift() (not exported) does.  Both are unsent queue segments:
 * paged only, never cloned.  False, moving nothing, if @to has no frag
 * slot left.
 */
static bool ttp_stream_shift(struct sk_buff *to, struct sk_buff *from, u32 n)
{
	struct skb_shared_info *fs = skb_shinfo(from), *ts = skb_shinfo(to);
	u32 left = n, sz;
	skb_frag_t *f;
	int i = 0, j;

	if (skb_headlen(from) || skb_cloned(to) || skb_cloned(from))
		return false;
	/* Frag slots needed, at most: one per frag touched. */
	for (sz = 0; i < fs->nr_frags && sz < n; i++)
		sz += skb_frag_size(&fs->frags[i]);
	if (ts->nr_frags + i > MAX_SKB_FRAGS)
		return false;
	for (i = 0; left; ) {
		f = &fs->frags[i];
		sz = min_t(u32, left, skb_frag_size(f));
		j = ts->nr_frags;
		if (skb_can_coalesce(to, j, skb_frag_page(f), skb_frag_off(f))) {
			skb_frag_size_add(&ts->frags[j - 1], sz);
		} else {
			skb_fill_page_desc(to, j, skb_frag_page(f),
					   skb_frag_off(f), sz);
			get_page(skb_frag_page(f));
		}
		left -= sz;
		if (sz == skb_frag_size(f)) {
			put_page(skb_frag_page(f));
			i++;
		} else {
			skb_frag_off_add(f, sz);
			skb_frag_size_sub(f, sz);
		}
	}
	/* The frags left in @from move to its front. */
	for (j = 0; i < fs->nr_frags; )
		fs->frags[j++] = fs->frags[i++];
	fs->nr_frags = j;
	from->len -= n;
	from->data_len -= n;
	to->len += n;
	to->data_len += n;
	return true;
}

/*
 * Fill the unsent, short @skb up to an MSS with bytes of the segments
 * queued behind it.  A window that took only a part of a segment leaves
 * a short rest (ttp_stream_fragment()); the data behind it was copied
 * in meanwhile, and without this every such rest would go out as a
 * small segment of its own, where Linux, whose skbs hold whole writes,
 * sends full ones.  Page frags move, nothing is copied.
 */
static void ttp_stream_collapse(struct sock *sk, struct sk_buff *skb)
{
	struct ttp_stream_sock *ss = ttp_stream_sk(sk);
	struct ttp_stream_cb *cb = TTP_STREAM_CB(skb), *ncb;
	struct sk_buff *next;
	int n;

	while (skb->len < ss->mss && !(cb->flags & TTP_TH_FIN) &&
	       !skb_queue_is_last(&sk->sk_write_queue, skb)) {
		next = skb->next;
		ncb = TTP_STREAM_CB(next);
		n = min_t(u32, ss->mss - skb->len, next->len);
		if (!n || !ttp_stream_shift(skb, next, n))
			return;
		skb->truesize += n;
		next->truesize -= n;
		cb->end_seq += n;
		ncb->seq += n;
		if (next->len || (ncb->flags & TTP_TH_FIN))
			continue;
		/* Emptied: its PSH (the end of a write) is now ours. */
		cb->flags |= ncb->flags & TTP_TH_PSH;
		__skb_unlink(next, &sk->sk_write_queue);
		ttp_stream_free_skb(sk, next);
	}
}

/* Bytes of @skb from SND.NXT on: the payload still to send. */
static u32 ttp_stream_seg_len(const struct ttp_stream_sock *ss,
			      const struct sk_buff *skb)
{
	u32 seq = TTP_STREAM_CB(skb)->seq;

	if (ttp_seq_before(seq, ss->snd_nxt))
		return skb->len - min(ss->snd_nxt - seq, skb->len);
	return skb->len;
}

/*
 * Nagle (RFC 9293 3.7.4) in Minshall's variant, as Linux: a short
 * segment waits while a short segment sent before is unacknowledged
 * (so a write of 1.5 MSS does not wait for a delayed ACK), unless
 * TTP_NODELAY; TTP_CORK holds it even then.  @force: the user will
 * write no more for now (a FIN, uncork).
 */
static bool ttp_stream_nagle_holds(const struct ttp_stream_sock *ss,
				   const struct sk_buff *skb, u32 len,
				   bool force)
{
	if (len >= ss->mss || (TTP_STREAM_CB(skb)->flags & TTP_TH_FIN))
		return false;
	if (!skb_queue_is_last(&ss->sk.sk_write_queue, skb))
		return false;
	if (ss->cork)
		return !force;
	if (ss->nodelay)
		return false;
	return ttp_seq_after(ss->snd_sml, ss->snd_una);
}

/*
 * How much of @skb (at SND.NXT, @len bytes) the peer's window takes:
 * all, a part worth sending (silly-window avoidance, RFC 9293
 * 3.8.6.2.1: a full MSS, or half the largest window it ever offered;
 * any part once the persist timer ran out: the override timeout of RFC
 * 1122 4.2.3.4), or 0.
 */
static u32 ttp_stream_wnd_allows(const struct ttp_stream_sock *ss,
				 const struct sk_buff *skb, u32 len)
{
	u32 wnd_end = ss->snd_una + ss->snd_wnd;
	u32 room;

	if (!ttp_seq_after(ss->snd_nxt + len, wnd_end))
		return len;
	room = ttp_seq_after(wnd_end, ss->snd_nxt) ? wnd_end - ss->snd_nxt : 0;
	if (room >= ss->mss ||
	    (room && (room >= ss->max_window / 2 || ss->sws_override)))
		return room;
	return 0;
}

/* The congestion window's room, bytes. */
static u32 ttp_stream_cwnd_room(const struct ttp_stream_sock *ss)
{
	u32 inflight = ss->snd_nxt - ss->snd_una;

	return ss->cwnd > inflight ? ss->cwnd - inflight : 0;
}

static bool ttp_stream_can_send(const struct sock *sk)
{
	switch (sk->sk_state) {
	case TTP_ESTABLISHED:
	case TTP_CLOSE_WAIT:
	case TTP_FIN_WAIT_1:
	case TTP_CLOSING:
	case TTP_LAST_ACK:
	case TTP_SYN_RECEIVED:	/* only a FIN: close() before the ACK */
		return true;
	}
	return false;
}

/**
 * ttp_stream_push - send what the windows allow
 * @sk: socket, locked
 * @force: no more writes follow now: Nagle and cork release a short one
 *
 * Segments go from send_head on (after an RTO, from SND.UNA again: those
 * count as retransmissions).  Arms the retransmission timer for the
 * first one in flight, or the persist timer when the peer's window is
 * what stops us with nothing in flight.
 */
void ttp_stream_push(struct sock *sk, bool force)
{
	struct ttp_stream_sock *ss = ttp_stream_sk(sk);
	struct sk_buff *skb;
	struct ttp_stream_burst b;
	u32 len, ok, room;
	bool rtx;

	if (!ttp_stream_can_send(sk))
		return;
	ttp_stream_burst_begin(&b);
	while ((skb = ss->send_head)) {
		rtx = ttp_seq_before(ss->snd_nxt, ss->snd_max);
		if (!rtx && skb->len < ss->mss)
			ttp_stream_collapse(sk, skb);
		len = ttp_stream_seg_len(ss, skb);
		ok = ttp_stream_wnd_allows(ss, skb, len);
		/* A bare FIN needs no window; a retransmission had one. */
		if (!ok && len && !rtx)
			break;
		room = ttp_stream_cwnd_room(ss);
		if (len && room < min(len, ss->mss))
			break;
		if (!rtx && ttp_stream_nagle_holds(ss, skb, len, force))
			break;
		if (ok && ok < len && !rtx) {
			if (ttp_stream_fragment(sk, skb, ok))
				break;
			len = ok;
		}
		if (ttp_stream_xmit_skb(sk, skb, rtx, &b))
			break;
		/* Time one segment per round trip (Karn: never a resend). */
		if (!rtx && !ss->rtt_start_us) {
			ss->rtt_seq = TTP_STREAM_CB(skb)->end_seq;
			ss->rtt_start_us = TTP_STREAM_CB(skb)->tx_us;
		}
		if (len < ss->mss)
			ss->snd_sml = TTP_STREAM_CB(skb)->end_seq;
		WRITE_ONCE(ss->snd_nxt, TTP_STREAM_CB(skb)->end_seq);
		if (ttp_seq_after(ss->snd_nxt, ss->snd_max))
			WRITE_ONCE(ss->snd_max, ss->snd_nxt);
		ss->send_head = skb_queue_is_last(&sk->sk_write_queue, skb) ?
				NULL : skb->next;
		if (!timer_pending(&ss->rtx_timer))
			ttp_stream_rtx_reset(sk);
	}
	ttp_stream_burst_end(&b);
	/*
	 * Data waits and nothing in flight will bring an ACK: the window is
	 * closed (probe it), or a transmission failed for memory (try
	 * again then).  A corked short segment just waits for the user.
	 */
	if (ss->send_head && ss->snd_una == ss->snd_max &&
	    (!ss->cork || !ttp_stream_wnd_allows(ss, ss->send_head,
				ttp_stream_seg_len(ss, ss->send_head)))) {
		/*
		 * A timer set while the window was shut may be far off (the
		 * backoff doubles per probe).  A window update resets the
		 * backoff (ttp_stream_wnd_update()): bring the timer forward
		 * then, else a window opened too little to be worth a
		 * segment would wait out the old interval, up to
		 * stream_rto_max_ms, with the peer waiting for our data.
		 */
		if (!timer_pending(&ss->probe_timer) ||
		    time_after(READ_ONCE(ss->probe_timer.expires),
			       jiffies + ttp_stream_probe_when(sk)))
			ttp_stream_probe_arm(sk);
	} else if (timer_pending(&ss->probe_timer)) {
		sk_stop_timer(sk, &ss->probe_timer);
	}
}

/**
 * ttp_stream_retransmit_head - send the oldest unacknowledged segment
 * @sk: socket, locked
 *
 * Fast retransmit and NewReno's partial ACKs (stream_ack.c).
 */
void ttp_stream_retransmit_head(struct sock *sk)
{
	struct sk_buff *skb = skb_peek(&sk->sk_write_queue);
	struct ttp_stream_burst b;

	if (!skb || skb == ttp_stream_sk(sk)->send_head)
		return;
	ttp_stream_burst_begin(&b);
	ttp_stream_xmit_skb(sk, skb, true, &b);
	ttp_stream_burst_end(&b);
}

/**
 * ttp_stream_probe - the persist timer fired: probe a zero window
 * @sk: socket, locked
 *
 * As Linux does, the probe is an ACK one byte below SND.UNA: outside
 * the receiver's window, so it must answer with an ACK that carries
 * its current window.  If the window opened meanwhile, send instead.
 */
void ttp_stream_probe(struct sock *sk)
{
	struct ttp_stream_sock *ss = ttp_stream_sk(sk);
	const struct ttp_net_cfg *cfg = &ttp_stream_tn(sk)->cfg;

	if (!ss->send_head || ss->snd_una != ss->snd_max ||
	    !ttp_stream_can_send(sk))
		return;
	if (ttp_stream_wnd_allows(ss, ss->send_head,
				  ttp_stream_seg_len(ss, ss->send_head))) {
		ttp_stream_push(sk, false);
		return;
	}
	/* A window too small to be worth it, for a whole RTO: use it. */
	if (ss->snd_wnd) {
		ss->sws_override = true;
		ttp_stream_push(sk, false);
		ss->sws_override = false;
		if (ss->snd_una != ss->snd_max)
			return;
	}
	if (ss->probes >= READ_ONCE(cfg->stream_retries2)) {
		/* Nobody answers the probes: the peer is gone. */
		WRITE_ONCE(sk->sk_err, ETIMEDOUT);
		ttp_stream_event(sk, TTP_EV_TIMEOUT);
		sk_error_report(sk);
		return;
	}
	WRITE_ONCE(ss->probes, ss->probes + 1);
	WRITE_ONCE(ss->win_probes, ss->win_probes + 1);
	if (ss->probe_backoff < 16)
		ss->probe_backoff++;
	TTP_INC_STATS(ttp_stream_tn(sk), TTP_MIB_STREAM_WIN_PROBE);
	ttp_stream_send_ctl(sk, TTP_TH_ACK, ss->snd_una - 1);
	ttp_stream_probe_arm(sk);
}

/**
 * ttp_stream_free_acked - drop what @ack acknowledges from the queue
 * @sk: socket, locked
 * @ack: the new SND.UNA
 *
 * A segment goes when all of it (and its FIN) is acknowledged; a
 * partly acknowledged one stays, and is sent from SND.UNA if needed.
 */
void ttp_stream_free_acked(struct sock *sk, u32 ack)
{
	struct ttp_stream_sock *ss = ttp_stream_sk(sk);
	struct sk_buff *skb;

	while ((skb = skb_peek(&sk->sk_write_queue)) &&
	       skb != ss->send_head &&
	       !ttp_seq_after(TTP_STREAM_CB(skb)->end_seq, ack)) {
		__skb_unlink(skb, &sk->sk_write_queue);
		ttp_stream_free_skb(sk, skb);
	}
	/* After an RTO went back, the ACK may cover unsent-again ones. */
	while ((skb = ss->send_head) &&
	       !ttp_seq_after(TTP_STREAM_CB(skb)->end_seq, ack) &&
	       ttp_seq_before(TTP_STREAM_CB(skb)->seq, ss->snd_max)) {
		ss->send_head = skb_queue_is_last(&sk->sk_write_queue, skb) ?
				NULL : skb->next;
		__skb_unlink(skb, &sk->sk_write_queue);
		ttp_stream_free_skb(sk, skb);
	}
}

/* The connection is over: nothing more will be sent. */
void ttp_stream_send_purge(struct sock *sk)
{
	struct ttp_stream_sock *ss = ttp_stream_sk(sk);
	struct sk_buff *skb;

	while ((skb = __skb_dequeue(&sk->sk_write_queue)))
		ttp_stream_free_skb(sk, skb);
	ss->send_head = NULL;
	if (sk->sk_frag.page) {
		put_page(sk->sk_frag.page);
		sk->sk_frag.page = NULL;
	}
}

/**
 * ttp_stream_goback - after an RTO: everything unacknowledged is lost
 * @sk: socket, locked
 *
 * Sending starts again at SND.UNA (go-back-N, as BSD did); ACKs for
 * what arrives meanwhile move SND.NXT forward again (stream_ack.c).
 */
void ttp_stream_goback(struct sock *sk)
{
	struct ttp_stream_sock *ss = ttp_stream_sk(sk);
	struct sk_buff *skb;
	u32 lost = 0;

	skb_queue_walk(&sk->sk_write_queue, skb) {
		if (skb == ss->send_head)
			break;
		lost++;
	}
	WRITE_ONCE(ss->lost, ss->lost + lost);
	ss->send_head = skb_peek(&sk->sk_write_queue);
	WRITE_ONCE(ss->snd_nxt, ss->snd_una);
}

/* The RTO was spurious: go on after what was sent before it. */
void ttp_stream_undo_goback(struct sock *sk)
{
	struct ttp_stream_sock *ss = ttp_stream_sk(sk);
	struct sk_buff *skb;

	ss->send_head = NULL;
	skb_queue_walk(&sk->sk_write_queue, skb) {
		if (ttp_stream_unsent(ss, skb)) {
			ss->send_head = skb;
			break;
		}
	}
	WRITE_ONCE(ss->snd_nxt, ss->snd_max);
}
