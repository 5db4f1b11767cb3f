// SPDX-License-Identifier: GPL-2.0
/*
 * What an ACK tells the sender (RFC 9293 3.10.7.4, "fifth"), and what
 * the sender does about it:
 *
 * - RTT and RTO (RFC 6298): SRTT and RTTVAR in fixed point (microseconds
 *   << 3 and << 2, as the RFC's alpha = 1/8 and beta = 1/4 make exact),
 *   one timed segment per round trip, never a retransmitted one (Karn),
 *   the RTO within net.ttp.stream_rto_min_ms .. stream_rto_max_ms,
 *   doubled on each timeout, and after net.ttp.stream_retries2 timeouts
 *   without progress the connection fails with ETIMEDOUT.
 * - Congestion control in bytes (RFC 5681): an initial window of ten
 *   segments (RFC 6928), slow start (cwnd grows by what is acked, at
 *   most 2 MSS per ACK, RFC 3465), congestion avoidance (one MSS per
 *   cwnd of acked bytes), fast retransmit on the third duplicate ACK
 *   and NewReno fast recovery (RFC 6582), and after an RTO the loss
 *   window of one segment with a go-back-N from SND.UNA.
 * - An RTO whose retransmission is acknowledged sooner than the path's
 *   minimum RTT, by an ACK of part of what was out, was spurious (the
 *   original arrived; the RACK rule): the window comes back and sending
 *   resumes where it was.
 */
#include <linux/jiffies.h>

#include "stats.h"
#include "stream.h"
#include "trace.h"

#define TTP_STREAM_INIT_CWND	10	/* segments, RFC 6928 */
#define TTP_STREAM_DUPTHRESH	3	/* RFC 5681 3.2 */
#define TTP_STREAM_CWND_MAX	BIT(30)

/* --- RTT and RTO (RFC 6298) ------------------------------------------- */

static unsigned long ttp_stream_rto_from_srtt(const struct sock *sk)
{
	const struct ttp_net_cfg *cfg = &ttp_stream_tn(sk)->cfg;
	const struct ttp_stream_sock *ss = ttp_stream_sk(sk);
	u64 rto_us = (ss->srtt_us >> 3) +
		     max_t(u32, jiffies_to_usecs(1), ss->rttvar_us);

	rto_us = clamp_t(u64, rto_us,
			 (u64)READ_ONCE(cfg->stream_rto_min_ms) * USEC_PER_MSEC,
			 (u64)READ_ONCE(cfg->stream_rto_max_ms) * USEC_PER_MSEC);
	return max_t(unsigned long, usecs_to_jiffies(rto_us), 1);
}

/* Before the first sample: RFC 6298 2.1's initial RTO. */
void ttp_stream_rtt_init(struct sock *sk)
{
	struct ttp_stream_sock *ss = ttp_stream_sk(sk);
	int ms = READ_ONCE(ttp_stream_tn(sk)->cfg.stream_rto_init_ms);

	ss->srtt_us = 0;
	ss->rttvar_us = 0;
	ss->min_rtt_us = U32_MAX;
	ss->rtt_start_us = 0;
	WRITE_ONCE(ss->rto, msecs_to_jiffies(ms));
}

/**
 * ttp_stream_rtt_sample - one measured round trip
 * @sk: socket, locked
 * @m: the sample, microseconds
 *
 * RFC 6298 2.2 (first sample) and 2.3 (the next ones).
 */
void ttp_stream_rtt_sample(struct sock *sk, u32 m)
{
	struct ttp_stream_sock *ss = ttp_stream_sk(sk);
	long err;

	m = max(m, 1U);
	if (!ss->srtt_us) {
		ss->srtt_us = m << 3;		/* SRTT = R */
		ss->rttvar_us = m << 1;		/* RTTVAR = R / 2 */
	} else {
		err = (long)m - (ss->srtt_us >> 3);
		/* RTTVAR = 3/4 RTTVAR + 1/4 |SRTT - R'|, before SRTT moves */
		ss->rttvar_us += abs(err) - (ss->rttvar_us >> 2);
		/* SRTT = 7/8 SRTT + 1/8 R' */
		ss->srtt_us += err;
	}
	ss->min_rtt_us = min(ss->min_rtt_us, m);
	WRITE_ONCE(ss->rto, ttp_stream_rto_from_srtt(sk));
}

/* --- congestion control ----------------------------------------------- */

/* Both sides synchronized: the data transfer's variables start. */
void ttp_stream_cc_init(struct sock *sk)
{
	struct ttp_stream_sock *ss = ttp_stream_sk(sk);

	/* RFC 5681 3.1: one segment if the SYN or SYN-ACK was lost. */
	ss->cwnd = ss->retries ? ss->mss : TTP_STREAM_INIT_CWND * ss->mss;
	ss->ssthresh = TTP_STREAM_CWND_MAX;
	ss->cwnd_acked = 0;
	ss->ca_state = TTP_CA_OPEN;
	ss->dupacks = 0;
	ss->recover = ss->snd_una;
	ss->retries = 0;
	ss->max_window = ss->snd_wnd;
}

/* ssthresh after a loss: half the flight, at least two segments. */
static u32 ttp_stream_half_flight(const struct ttp_stream_sock *ss)
{
	return max((ss->snd_max - ss->snd_una) / 2, 2U * ss->mss);
}

/* New data acknowledged in the open state: the window grows. */
static void ttp_stream_cwnd_grow(struct ttp_stream_sock *ss, u32 acked,
				 u32 prior_inflight)
{
	/*
	 * Only while the window is what limits us (RFC 7661): an
	 * application that writes little must not inflate it unused.
	 */
	if (ss->cwnd < ss->ssthresh) {
		if (2 * prior_inflight >= ss->cwnd)
			ss->cwnd += min(acked, 2U * ss->mss);
	} else if (prior_inflight + ss->mss >= ss->cwnd) {
		ss->cwnd_acked += acked;
		if (ss->cwnd_acked >= ss->cwnd) {
			ss->cwnd_acked -= ss->cwnd;
			ss->cwnd += ss->mss;
		}
	}
	ss->cwnd = min(ss->cwnd, TTP_STREAM_CWND_MAX);
}

/* RFC 6582 3.2 steps 2-3: the third duplicate ACK. */
static void ttp_stream_fast_retransmit(struct sock *sk)
{
	struct ttp_stream_sock *ss = ttp_stream_sk(sk);

	/* Not twice for one window of data (step 1's "recover" check). */
	if (ttp_seq_before(ss->snd_una, ss->recover))
		return;
	TTP_INC_STATS(ttp_stream_tn(sk), TTP_MIB_STREAM_FAST_RETRANS);
	ss->ssthresh = ttp_stream_half_flight(ss);
	ss->recover = ss->snd_max;
	ss->ca_state = TTP_CA_RECOVERY;
	ttp_stream_retransmit_head(sk);
	ss->cwnd = ss->ssthresh + 3 * ss->mss;
}

static void ttp_stream_dupack(struct sock *sk)
{
	struct ttp_stream_sock *ss = ttp_stream_sk(sk);

	if (ss->dupacks < U8_MAX)
		ss->dupacks++;
	switch (ss->ca_state) {
	case TTP_CA_RECOVERY:
		/* Each one says a segment left the network (step 4). */
		ss->cwnd = min(ss->cwnd + ss->mss, TTP_STREAM_CWND_MAX);
		break;
	case TTP_CA_OPEN:
		if (ss->dupacks == TTP_STREAM_DUPTHRESH)
			ttp_stream_fast_retransmit(sk);
		break;
	}
}

/* RFC 6582 3.2 steps 5-6 for an ACK of new data during recovery. */
static void ttp_stream_recovery_ack(struct sock *sk, u32 acked)
{
	struct ttp_stream_sock *ss = ttp_stream_sk(sk);

	if (!ttp_seq_before(ss->snd_una, ss->recover)) {
		/* Full ACK: deflate to ssthresh, recovery is over. */
		ss->cwnd = min(ss->ssthresh,
			       max(ss->snd_max - ss->snd_una, (u32)ss->mss) +
			       ss->mss);
		ss->ca_state = TTP_CA_OPEN;
		ss->dupacks = 0;
		return;
	}
	/* Partial ACK: the next hole is lost too; send it at once. */
	ttp_stream_retransmit_head(sk);
	ss->cwnd = ss->cwnd > acked ? ss->cwnd - acked : 0;
	if (acked >= ss->mss)
		ss->cwnd += ss->mss;
	ss->cwnd = max_t(u32, ss->cwnd, ss->mss);
}

/* The first ACK after an RTO came too soon to be for the resend. */
static void ttp_stream_check_spurious(struct sock *sk, u32 ack, u32 now)
{
	struct ttp_stream_sock *ss = ttp_stream_sk(sk);
	u32 stamp = ss->rto_stamp_us;

	ss->rto_stamp_us = 0;
	if (!stamp || ss->min_rtt_us == U32_MAX ||
	    now - stamp >= ss->min_rtt_us)
		return;
	/*
	 * An ACK of all that was out at the timeout proves nothing: the
	 * retransmission may have filled the one hole before data the peer
	 * held (RFC 5682 2a), and min_rtt may be larger than this path's
	 * RTT (a delayed ACK, ARP in the handshake's sample).
	 */
	if (!ttp_seq_before(ack, ss->recover))
		return;
	TTP_INC_STATS(ttp_stream_tn(sk), TTP_MIB_STREAM_SPURIOUS_RTOS);
	ss->cwnd = max(ss->cwnd, ss->prior_cwnd);
	ss->ssthresh = max(ss->ssthresh, ss->prior_ssthresh);
	ss->ca_state = TTP_CA_OPEN;
	ss->retries = 0;
	WRITE_ONCE(ss->rto, ttp_stream_rto_from_srtt(sk));
	ttp_stream_undo_goback(sk);
}

/* --- ACK processing --------------------------------------------------- */

/* RFC 9293's SND.WL1/SND.WL2 rule: only a newer segment's window. */
static void ttp_stream_wnd_update(struct sock *sk,
				  const struct ttp_stream_cb *cb)
{
	struct ttp_stream_sock *ss = ttp_stream_sk(sk);
	u32 wnd = (u32)cb->win << ss->snd_wscale;

	if (!ttp_seq_before(ss->snd_wl1, cb->seq) &&
	    (ss->snd_wl1 != cb->seq || ttp_seq_before(cb->ack, ss->snd_wl2)))
		return;
	if (wnd != ss->snd_wnd)
		trace_ttp_window(ss->saddr, ss->sport, ss->daddr, ss->dport,
				 TTP_WIN_PEER, ss->snd_wnd, wnd);
	WRITE_ONCE(ss->snd_wnd, wnd);
	ss->snd_wl1 = cb->seq;
	ss->snd_wl2 = cb->ack;
	ss->max_window = max(ss->max_window, wnd);
	if (wnd)
		ss->probe_backoff = 0;
}

/*
 * The ACK of our SYN (@syn: on a SYN-ACK) or SYN-ACK: SND.UNA passes
 * the SYN, the window is the peer's, and the handshake's round trip is the first RTT sample
 * unless the SYN had to be sent again.
 */
void ttp_stream_ack_handshake(struct sock *sk, const struct ttp_stream_cb *cb,
			      bool syn)
{
	struct ttp_stream_sock *ss = ttp_stream_sk(sk);

	WRITE_ONCE(ss->snd_una, cb->ack);
	if (syn) {
		/* A SYN-ACK's window is not scaled: taken with its options */
		ss->snd_wl2 = cb->ack;
	} else {
		ss->snd_wl1 = cb->seq - 1;	/* take this segment's window */
		ttp_stream_wnd_update(sk, cb);
	}
	if (ss->rtt_start_us && !ss->retries)
		ttp_stream_rtt_sample(sk, ttp_stream_now_us() -
				      ss->rtt_start_us);
	ss->rtt_start_us = 0;
}

static void ttp_stream_new_ack(struct sock *sk, u32 ack)
{
	struct ttp_stream_sock *ss = ttp_stream_sk(sk);
	u32 prior_inflight = ss->snd_nxt - ss->snd_una;
	u32 acked = ack - ss->snd_una;

	WRITE_ONCE(ss->snd_una, ack);
	/* Acked beyond where an RTO made us go back: skip ahead. */
	if (ttp_seq_after(ack, ss->snd_nxt))
		WRITE_ONCE(ss->snd_nxt, ack);
	ttp_stream_free_acked(sk, ack);
	if (ss->rtt_start_us && !ttp_seq_before(ack, ss->rtt_seq)) {
		ttp_stream_rtt_sample(sk, ttp_stream_now_us() -
				      ss->rtt_start_us);
		ss->rtt_start_us = 0;
	}
	WRITE_ONCE(ss->retries, 0);
	switch (ss->ca_state) {
	case TTP_CA_RECOVERY:
		ttp_stream_recovery_ack(sk, acked);
		break;
	case TTP_CA_LOSS:
		ttp_stream_check_spurious(sk, ack, ttp_stream_now_us());
		if (ss->ca_state == TTP_CA_LOSS &&
		    !ttp_seq_before(ack, ss->recover))
			ss->ca_state = TTP_CA_OPEN;
		fallthrough;
	default:
		ss->dupacks = 0;
		ttp_stream_cwnd_grow(ss, acked, prior_inflight);
	}
	/* RFC 6298 5.2 and 5.3 */
	if (ss->snd_una == ss->snd_max)
		ttp_stream_rtx_stop(sk);
	else
		ttp_stream_rtx_reset(sk);
	sk->sk_write_space(sk);
}

/**
 * ttp_stream_ack - the ACK field of a segment in a synchronized state
 * @sk: socket, locked
 * @cb: the segment
 *
 * Returns false for an ACK of something never sent (the caller answers
 * with an ACK and drops the segment).
 */
bool ttp_stream_ack(struct sock *sk, const struct ttp_stream_cb *cb)
{
	struct ttp_stream_sock *ss = ttp_stream_sk(sk);
	bool sending = ss->snd_una != ss->snd_max;
	u32 prior_wnd = ss->snd_wnd;

	if (ttp_seq_after(cb->ack, ss->snd_max))
		return false;
	/* An old duplicate (SEG.ACK < SND.UNA) says nothing new. */
	if (ttp_seq_before(cb->ack, ss->snd_una))
		return true;
	ttp_stream_wnd_update(sk, cb);
	WRITE_ONCE(ss->probes, 0);	/* the peer is alive */
	if (cb->ack != ss->snd_una)
		ttp_stream_new_ack(sk, cb->ack);
	else if (!cb->len && !(cb->flags & (TTP_TH_SYN | TTP_TH_FIN)) &&
		 ss->snd_wnd == prior_wnd && ss->snd_una != ss->snd_max)
		ttp_stream_dupack(sk);
	/* The sender's view, for the ACKs of a sender only. */
	if (sending)
		trace_ttp_probe(ss->saddr, ss->sport, ss->daddr, ss->dport,
				ss->snd_una, ss->snd_nxt, ss->cwnd,
				ss->ssthresh, ss->snd_wnd, ss->rcv_wnd,
				ss->srtt_us >> 3, ss->ca_state);
	ttp_stream_push(sk, false);
	return true;
}

/**
 * ttp_stream_rto_fire - the retransmission timer, in a synchronized state
 * @sk: socket, locked
 *
 * RFC 6298 5.4-5.6 and RFC 5681 3.1: resend from SND.UNA with a loss
 * window of one segment, the RTO doubled.
 */
void ttp_stream_rto_fire(struct sock *sk)
{
	const struct ttp_net_cfg *cfg = &ttp_stream_tn(sk)->cfg;
	struct ttp_stream_sock *ss = ttp_stream_sk(sk);
	unsigned long max = msecs_to_jiffies(READ_ONCE(cfg->stream_rto_max_ms));

	if (ss->snd_una == ss->snd_max)
		return;
	if (ss->retries >= READ_ONCE(cfg->stream_retries2)) {
		WRITE_ONCE(sk->sk_err, READ_ONCE(sk->sk_err_soft) ? : ETIMEDOUT);
		ttp_stream_event(sk, TTP_EV_TIMEOUT);
		sk_error_report(sk);
		return;
	}
	TTP_INC_STATS(ttp_stream_tn(sk), TTP_MIB_STREAM_TIMEOUTS);
	if (!ss->retries) {
		/* The first timeout of this loss: halve, remember for undo. */
		ss->prior_cwnd = ss->cwnd;
		ss->prior_ssthresh = ss->ssthresh;
		ss->ssthresh = ttp_stream_half_flight(ss);
		ss->rto_stamp_us = ttp_stream_now_us() ? : 1;
	} else {
		ss->rto_stamp_us = 0;
	}
	ss->cwnd = ss->mss;
	ss->cwnd_acked = 0;
	ss->ca_state = TTP_CA_LOSS;
	ss->recover = ss->snd_max;
	ss->dupacks = 0;
	WRITE_ONCE(ss->retries, ss->retries + 1);
	WRITE_ONCE(ss->rto, min(ss->rto * 2, max));
	ttp_stream_goback(sk);
	ttp_stream_push(sk, true);
	ttp_stream_rtx_reset(sk);
}
