// SPDX-License-Identifier: GPL-2.0
/*
 * The receive side of a connection: the bytes the peer sends, in order,
 * exactly once.
 *
 * - In-order payload joins sk_receive_queue (recvmsg() reads it from
 *   cb->off on); a segment beyond a hole waits on ss->ooo_queue, sorted
 *   by sequence number, until the hole fills (RFC 9293 3.10.7.4,
 *   "seventh").  Duplicates and overlaps are trimmed: what was received
 *   already is skipped (cb->off), a segment another one covers is
 *   dropped.  Both queues count in sk_rmem_alloc, bounded by SO_RCVBUF
 *   (within net.ttp.stream_rmem), and in the namespace's stream_mem.
 * - The window we advertise is half the free receive buffer (the other
 *   half pays for skb overhead), never shrinking its right edge, moved
 *   only by a full segment or a quarter of the buffer at a time
 *   (receiver-side silly-window avoidance, RFC 9293 3.8.6.2.2).
 * - ACKs (RFC 9293 3.8.6.3, RFC 5681 4.2): delayed by up to
 *   net.ttp.stream_delack_ms, but at once for every second full
 *   segment, for the first segments of a connection (quick ACKs), for a
 *   segment out of order (a duplicate ACK tells the sender of the hole)
 *   and for one that fills a hole.
 */
#include <linux/skbuff.h>
#include <linux/tcp.h>
#include <net/sock.h>

#include "stats.h"
#include "stream.h"
#include "trace.h"

#define TTP_STREAM_QUICKACKS	16	/* as Linux's TCP_MAX_QUICKACKS */

/* SO_RCVBUF, within net.ttp.stream_rmem's min and max. */
int ttp_stream_rcvbuf(const struct sock *sk)
{
	const int *r = ttp_stream_tn(sk)->cfg.stream_rmem;

	return clamp(READ_ONCE(sk->sk_rcvbuf), READ_ONCE(r[0]),
		     READ_ONCE(r[2]));
}

/*
 * Room for @more bytes of skb.  The window offers half the free buffer
 * as payload, assuming an skb costs at most twice its payload; small
 * segments cost more (an skb of a 1460-byte frame from Linux TCP
 * measured about three times), and data we offered must not be dropped,
 * so what arrives inside the window may fill up to twice SO_RCVBUF.
 * Beyond that (a peer of tiny segments) it is dropped and counted.
 */
static bool ttp_stream_rmem_ok(const struct sock *sk, unsigned int more)
{
	struct ttp_net *tn = ttp_stream_tn(sk);

	return atomic_read(&sk->sk_rmem_alloc) + more <=
	       2 * (unsigned int)ttp_stream_rcvbuf(sk) &&
	       atomic_long_read(&tn->stream_mem) <
	       (long)READ_ONCE(tn->cfg.stream_mem_max_kb) << 10;
}

static void ttp_stream_rfree(struct sk_buff *skb)
{
	struct sock *sk = skb->sk;

	atomic_sub(skb->truesize, &sk->sk_rmem_alloc);
	atomic_long_sub(skb->truesize, &ttp_stream_tn(sk)->stream_mem);
}

/* skb_set_owner_r(), also charging the namespace. */
void ttp_stream_set_owner_r(struct sk_buff *skb, struct sock *sk)
{
	skb_orphan(skb);
	skb_dst_drop(skb);
	skb->sk = sk;
	skb->destructor = ttp_stream_rfree;
	atomic_add(skb->truesize, &sk->sk_rmem_alloc);
	atomic_long_add(skb->truesize, &ttp_stream_tn(sk)->stream_mem);
}

static u32 ttp_stream_rmss(const struct ttp_stream_sock *ss)
{
	return ss->rcv_mss ? : ss->advmss;
}

/* --- the window we advertise ------------------------------------------ */

static void ttp_stream_count_zero(struct sock *sk, u32 old, u32 win)
{
	struct ttp_stream_sock *ss = ttp_stream_sk(sk);

	if (ss->zero_wnd == !win)
		return;
	ss->zero_wnd = !win;
	TTP_INC_STATS(ttp_stream_tn(sk), win ?
			  TTP_MIB_STREAM_FROM_ZERO_WINDOW_ADV :
			  TTP_MIB_STREAM_TO_ZERO_WINDOW_ADV);
	trace_ttp_window(ss->saddr, ss->sport, ss->daddr, ss->dport,
			 TTP_WIN_OURS, old, win);
}

/* What the window could be now, before silly-window avoidance. */
static u32 ttp_stream_free_space(const struct sock *sk)
{
	int space = ttp_stream_rcvbuf(sk) - sk_rmem_alloc_get(sk);

	return space > 0 ? space / 2 : 0;
}

/**
 * ttp_stream_rcv_window - the window field of a segment we send
 * @sk: socket, locked
 *
 * Also records it (rcv_wnd, rcv_adv): call only for a segment that goes.
 * Returns the field, in units of our window scale.
 */
u16 ttp_stream_rcv_window(struct sock *sk)
{
	struct ttp_stream_sock *ss = ttp_stream_sk(sk);
	u32 max = 65535U << ss->rcv_wscale;
	u32 cur = 0, win = ttp_stream_free_space(sk);
	u32 step = min_t(u32, ttp_stream_rmss(ss), ttp_stream_rcvbuf(sk) / 4);
	u32 old = ss->rcv_wnd;

	if (ttp_seq_after(ss->rcv_adv, ss->rcv_nxt))
		cur = ss->rcv_adv - ss->rcv_nxt;
	/* Never shrink; grow by a worthwhile step only. */
	if (win < cur + step)
		win = cur;
	win = min(win, max);
	/* A window we cannot express exactly is rounded up: no shrinking */
	win = min(ALIGN(win, 1U << ss->rcv_wscale), max);
	ttp_stream_count_zero(sk, old, win);
	WRITE_ONCE(ss->rcv_wnd, win);
	ss->rcv_adv = ss->rcv_nxt + win;
	return win >> ss->rcv_wscale;
}

/**
 * ttp_stream_window_update - the reader freed space: tell the peer?
 * @sk: socket, locked
 *
 * As Linux's tcp_cleanup_rbuf(): when the window we offer is at most
 * half what it could be and would at least double (a zero window
 * reopening by a worthwhile step, in particular), send an ACK now; the
 * peer would otherwise wait for its persist timer.
 */
void ttp_stream_window_update(struct sock *sk)
{
	struct ttp_stream_sock *ss = ttp_stream_sk(sk);
	u32 step = min_t(u32, ttp_stream_rmss(ss), ttp_stream_rcvbuf(sk) / 4);
	u32 cur = 0, could = ttp_stream_free_space(sk);

	if (!ttp_stream_receives(sk->sk_state))
		return;
	if (ttp_seq_after(ss->rcv_adv, ss->rcv_nxt))
		cur = ss->rcv_adv - ss->rcv_nxt;
	if (could < cur + step || could < 2 * cur)
		return;
	/* (From zero, the ACK's own window is traced as it goes.) */
	if (cur)
		trace_ttp_window(ss->saddr, ss->sport, ss->daddr, ss->dport,
				 TTP_WIN_OURS, cur, could);
	ttp_stream_send_ctl(sk, TTP_TH_ACK, ss->snd_nxt);
}

/* --- ACK policy ------------------------------------------------------- */

/* An ACK went out (alone or on data): nothing is pending any more. */
void ttp_stream_ack_sent(struct sock *sk)
{
	struct ttp_stream_sock *ss = ttp_stream_sk(sk);

	ss->rcv_wup = ss->rcv_nxt;
	ss->ack_pending = false;
}

/**
 * ttp_stream_ack_schedule - data arrived: ACK now or a little later
 * @sk: socket, locked
 * @now: a hole was involved: ACK at once
 */
void ttp_stream_ack_schedule(struct sock *sk, bool now)
{
	struct ttp_stream_sock *ss = ttp_stream_sk(sk);
	int delack = READ_ONCE(ttp_stream_tn(sk)->cfg.stream_delack_ms);

	if (now || ss->quickack || !delack ||
	    ss->rcv_nxt - ss->rcv_wup > ttp_stream_rmss(ss)) {
		if (ss->quickack)
			ss->quickack--;
		ttp_stream_send_ctl(sk, TTP_TH_ACK, ss->snd_nxt);
		return;
	}
	ss->ack_pending = true;
	if (!timer_pending(&ss->delack_timer))
		ttp_stream_delack_arm(sk);
}

/* --- reassembly ------------------------------------------------------- */

/*
 * A segment beyond a hole.  Sorted in by sequence number; one that adds
 * nothing is dropped, ones it covers go.  True if it was queued.
 */
static bool ttp_stream_ofo_queue(struct sock *sk, struct sk_buff *skb)
{
	struct ttp_stream_sock *ss = ttp_stream_sk(sk);
	struct ttp_stream_cb *cb = TTP_STREAM_CB(skb);
	struct sk_buff_head *q = &ss->ooo_queue;
	struct sk_buff *p, *next;
	u32 len = cb->len, end;

	/* Nothing beyond the window we offered (RFC 9293 3.10.7.4). */
	if (ttp_seq_after(cb->seq + len, ss->rcv_adv)) {
		len = ss->rcv_adv - cb->seq;
		cb->flags &= ~TTP_TH_FIN;
	}
	if (!ttp_stream_rmem_ok(sk, skb->truesize)) {
		TTP_INC_STATS(ttp_stream_tn(sk), TTP_MIB_STREAM_OFO_DROP);
		return false;
	}
	if (!len || !pskb_pull(skb, tcp_hdr(skb)->doff * 4) ||
	    pskb_trim(skb, len))
		return false;
	end = cb->seq + len;
	skb_queue_reverse_walk(q, p) {
		if (!ttp_seq_after(TTP_STREAM_CB(p)->seq, cb->seq))
			break;
	}
	if (p != (struct sk_buff *)q &&
	    !ttp_seq_before(TTP_STREAM_CB(p)->seq + p->len, end)) {
		/*
		 * All of it is here already, but maybe not its FIN (a
		 * resend of the last segment with the FIN added): keep
		 * that, else the FIN waits for the peer's next resend.
		 */
		if ((cb->flags & TTP_TH_FIN) &&
		    TTP_STREAM_CB(p)->seq + p->len == end)
			TTP_STREAM_CB(p)->flags |= TTP_TH_FIN;
		return false;
	}
	next = p->next;
	while (next != (struct sk_buff *)q &&
	       !ttp_seq_after(TTP_STREAM_CB(next)->seq + next->len, end)) {
		struct sk_buff *gone = next;

		next = next->next;
		__skb_unlink(gone, q);
		kfree_skb(gone);
	}
	cb->len = len;
	cb->off = 0;
	ttp_stream_set_owner_r(skb, sk);
	if (p == (struct sk_buff *)q)
		__skb_queue_head(q, skb);
	else
		__skb_queue_after(q, p, skb);
	TTP_INC_STATS(ttp_stream_tn(sk), TTP_MIB_STREAM_OFO_QUEUE);
	return true;
}

/* The hole filled: what now follows in order moves to the reader. */
static bool ttp_stream_ofo_drain(struct sock *sk)
{
	struct ttp_stream_sock *ss = ttp_stream_sk(sk);
	struct ttp_stream_cb *cb;
	struct sk_buff *skb;

	while ((skb = skb_peek(&ss->ooo_queue))) {
		cb = TTP_STREAM_CB(skb);
		if (ttp_seq_after(cb->seq, ss->rcv_nxt))
			break;
		__skb_unlink(skb, &ss->ooo_queue);
		if (!ttp_seq_after(cb->seq + skb->len, ss->rcv_nxt)) {
			/* Covered by what came in order; its FIN is not. */
			bool fin = (cb->flags & TTP_TH_FIN) &&
				   cb->seq + skb->len == ss->rcv_nxt;

			kfree_skb(skb);
			if (fin)
				return true;
			continue;
		}
		cb->off = ss->rcv_nxt - cb->seq;
		__skb_queue_tail(&sk->sk_receive_queue, skb);
		WRITE_ONCE(ss->rcv_nxt, cb->seq + skb->len);
		if (cb->flags & TTP_TH_FIN)
			return true;
	}
	return false;
}

/**
 * ttp_stream_data - the payload of an acceptable segment
 * @sk: socket, locked, in a state that receives
 * @skb: the segment (data at its stream header)
 * @fin: set when the peer's FIN is now the next thing in sequence
 *
 * Returns true when @skb was queued (the caller must not free it).  A
 * segment that was not gets an immediate ACK from the caller: the peer
 * learns where we are (a duplicate ACK).
 */
bool ttp_stream_data(struct sock *sk, struct sk_buff *skb, bool *fin)
{
	struct ttp_stream_cb *cb = TTP_STREAM_CB(skb);
	struct ttp_stream_sock *ss = ttp_stream_sk(sk);
	u32 off, len;
	bool hole;

	*fin = false;
	if (cb->len > ss->rcv_mss)
		ss->rcv_mss = min_t(u32, cb->len, ss->advmss);
	if (ttp_seq_after(cb->seq, ss->rcv_nxt)) {
		/* Quick ACKs until the stream is whole again. */
		ss->quickack = TTP_STREAM_QUICKACKS;
		if (!ttp_stream_ofo_queue(sk, skb))
			return false;
		/* The duplicate ACK that tells the sender of the hole. */
		ttp_stream_send_ctl(sk, TTP_TH_ACK, ss->snd_nxt);
		return true;
	}
	off = ss->rcv_nxt - cb->seq;	/* received already */
	if (off >= cb->len)
		return false;
	/* Never more than we offered. */
	len = min(cb->len - off, ss->rcv_adv - ss->rcv_nxt);
	if (!len)
		return false;
	/* Past the buffer's end (a peer ignoring our window): drop. */
	if (!ttp_stream_rmem_ok(sk, 0)) {
		TTP_INC_STATS(ttp_stream_tn(sk), TTP_MIB_STREAM_RCVQ_DROP);
		return false;
	}
	if (!pskb_pull(skb, tcp_hdr(skb)->doff * 4) || pskb_trim(skb, off + len))
		return false;
	/* A FIN after a trimmed payload is not in order any more. */
	if (len != cb->len - off)
		cb->flags &= ~TTP_TH_FIN;
	cb->off = off;
	ttp_stream_set_owner_r(skb, sk);
	__skb_queue_tail(&sk->sk_receive_queue, skb);
	WRITE_ONCE(ss->rcv_nxt, ss->rcv_nxt + len);
	*fin = cb->flags & TTP_TH_FIN;
	hole = !skb_queue_empty(&ss->ooo_queue);
	if (hole && ttp_stream_ofo_drain(sk))
		*fin = true;
	/* The FIN's own transition sends the ACK. */
	if (!*fin)
		ttp_stream_ack_schedule(sk, hole);
	sk->sk_data_ready(sk);
	return true;
}

/* The connection is over: what nobody will read goes. */
void ttp_stream_rcv_purge(struct sock *sk)
{
	skb_queue_purge(&ttp_stream_sk(sk)->ooo_queue);
}
