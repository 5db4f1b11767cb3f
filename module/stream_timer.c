// SPDX-License-Identifier: GPL-2.0
/*
 * Stream timers.
 *
 * rtx_timer: in SYN_SENT and SYN_RECEIVED, SYN and SYN-ACK
 *   retransmission: the first after stream_rto_init_ms, each next one
 *   after twice the last; after stream_syn_retries (SYN) or
 *   stream_synack_retries (SYN-ACK) the attempt fails, ETIMEDOUT.  Once
 *   synchronized, the data retransmission timer of RFC 6298
 *   (stream_ack.c: ttp_stream_rto_fire()).
 * probe_timer: the persist timer.  The peer's window is zero and
 *   nothing is in flight: probe it after the RTO, then after twice as
 *   long each time (stream_send.c: ttp_stream_probe()).
 * delack_timer: an ACK held back for stream_delack_ms (stream_rcv.c).
 * wait_timer: for an orphan (a closed socket still closing) the
 *   FIN_WAIT_2 timeout, stream_fin_timeout_ms, which also bounds
 *   FIN_WAIT_1, CLOSING and LAST_ACK as RFC 9293's user timeout.  (2MSL
 *   is the TIME_WAIT table's own timer: stream_tw.c.)
 * ka_timer: SO_KEEPALIVE (RFC 1122 4.2.3.6).  After stream_keepalive_time_ms
 *   without a segment from the peer, a probe (an ACK with SEG.SEQ =
 *   SND.UNA - 1, which the peer must answer); every
 *   stream_keepalive_intvl_ms another, and after stream_keepalive_probes
 *   unanswered ones the connection is reset with ETIMEDOUT.
 *
 * A pending timer holds a socket reference (sk_reset_timer()).  The
 * state is only changed under the socket lock: when a system call owns
 * the socket, a handler leaves its work to release_sock()
 * (ttp_stream_release_cb(), as TCP's tcp_release_cb()).
 */
#include <uapi/linux/ttp.h>

#include "stats.h"
#include "stream.h"
#include "trace.h"

#define TTP_STREAM_RTO_MAX	(120 * HZ)

static unsigned int ttp_stream_syn_retries(const struct sock *sk)
{
	const struct ttp_net_cfg *cfg = &ttp_stream_tn(sk)->cfg;

	return sk->sk_state == TTP_SYN_SENT ?
		READ_ONCE(cfg->stream_syn_retries) :
		READ_ONCE(cfg->stream_synack_retries);
}

/*
 * A SYN or SYN-ACK sent again (by its timer, or at once for a duplicate
 * SYN): a retransmission like any other, as Linux counts it
 * (RetransSegs, tcp:tcp_retransmit_skb/tcp_retransmit_synack).
 */
void ttp_stream_syn_rtx_count(struct sock *sk)
{
	struct ttp_stream_sock *ss = ttp_stream_sk(sk);

	TTP_INC_STATS(ttp_stream_tn(sk), TTP_MIB_STREAM_RETRANS_SEGS);
	WRITE_ONCE(ss->total_retrans, ss->total_retrans + 1);
	trace_ttp_retransmit(ss->saddr, ss->sport, ss->daddr, ss->dport,
			     ss->iss, 0, min_t(u32, ss->total_retrans, U8_MAX),
			     ss->ca_state);
}

static void ttp_stream_syn_rtx_fire(struct sock *sk)
{
	struct ttp_stream_sock *ss = ttp_stream_sk(sk);
	u8 flags;

	switch (sk->sk_state) {
	case TTP_SYN_SENT:
		flags = TTP_TH_SYN;
		break;
	case TTP_SYN_RECEIVED:
		flags = TTP_TH_SYN | TTP_TH_ACK;
		break;
	default:
		return;
	}
	/*
	 * Give up at once on a hard error of the network layer (ARP failed:
	 * EHOSTUNREACH), as tcp_v4_err() does in SYN_SENT; else after the
	 * retries, with that error if one came meanwhile, or ETIMEDOUT.
	 */
	if ((sk->sk_state == TTP_SYN_SENT && READ_ONCE(sk->sk_err_soft)) ||
	    ss->retries >= ttp_stream_syn_retries(sk)) {
		WRITE_ONCE(sk->sk_err, READ_ONCE(sk->sk_err_soft) ? : ETIMEDOUT);
		ttp_stream_event(sk, TTP_EV_TIMEOUT);
		sk_error_report(sk);
		return;
	}
	WRITE_ONCE(ss->retries, ss->retries + 1);
	WRITE_ONCE(ss->rto, min(ss->rto * 2, (unsigned long)TTP_STREAM_RTO_MAX));
	ss->rtt_start_us = 0;		/* Karn: no sample from a resent SYN */
	ttp_stream_send_ctl(sk, flags, ss->iss);
	ttp_stream_syn_rtx_count(sk);
	sk_reset_timer(sk, &ss->rtx_timer, jiffies + ss->rto);
}

static void ttp_stream_rtx_fire(struct sock *sk)
{
	/*
	 * Deferred to release_sock(), which first processed the backlog:
	 * an ACK there may have restarted the timer.  Not due yet, then.
	 */
	if (timer_pending(&ttp_stream_sk(sk)->rtx_timer))
		return;
	switch (sk->sk_state) {
	case TTP_SYN_SENT:
	case TTP_SYN_RECEIVED:
		ttp_stream_syn_rtx_fire(sk);
		break;
	case TTP_CLOSED:
	case TTP_LISTEN:
	case TTP_TIME_WAIT:
		break;
	default:
		ttp_stream_rto_fire(sk);
	}
}

static void ttp_stream_delack_fire(struct sock *sk)
{
	struct ttp_stream_sock *ss = ttp_stream_sk(sk);

	if (!ss->ack_pending || sk->sk_state == TTP_CLOSED)
		return;
	TTP_INC_STATS(ttp_stream_tn(sk), TTP_MIB_STREAM_DELAYED_ACKS);
	ttp_stream_send_ctl(sk, TTP_TH_ACK, ss->snd_nxt);
}

/* FIN_WAIT_2, or an orphan's user timeout */
static void ttp_stream_wait_fire(struct sock *sk)
{
	ttp_stream_event(sk, TTP_EV_TIMEOUT);
}

static bool ttp_stream_ka_state(int state)
{
	switch (state) {
	case TTP_ESTABLISHED:
	case TTP_CLOSE_WAIT:
	case TTP_FIN_WAIT_1:
	case TTP_FIN_WAIT_2:
		return true;
	}
	return false;
}

static void ttp_stream_ka_fire(struct sock *sk)
{
	const struct ttp_net_cfg *cfg = &ttp_stream_tn(sk)->cfg;
	struct ttp_stream_sock *ss = ttp_stream_sk(sk);
	unsigned long idle = jiffies - READ_ONCE(ss->rcv_tstamp);
	unsigned long when = msecs_to_jiffies(READ_ONCE(cfg->stream_keepalive_time_ms));

	if (!sock_flag(sk, SOCK_KEEPOPEN) || !ttp_stream_ka_state(sk->sk_state))
		return;
	if (idle < when) {
		sk_reset_timer(sk, &ss->ka_timer, jiffies + when - idle);
		return;
	}
	if (ss->ka_probes >= READ_ONCE(cfg->stream_keepalive_probes)) {
		TTP_NET_INC_STATS(sock_net(sk),
				  TTP_MIB_STREAM_KEEPALIVE_TIMEOUTS);
		WRITE_ONCE(sk->sk_err, ETIMEDOUT);
		ttp_stream_event(sk, TTP_EV_ABORT);
		sk_error_report(sk);
		return;
	}
	WRITE_ONCE(ss->ka_probes, ss->ka_probes + 1);
	TTP_INC_STATS(ttp_stream_tn(sk), TTP_MIB_STREAM_KEEPALIVE_PROBES);
	ttp_stream_send_ctl(sk, TTP_TH_ACK, ss->snd_una - 1);
	sk_reset_timer(sk, &ss->ka_timer, jiffies +
		       msecs_to_jiffies(READ_ONCE(cfg->stream_keepalive_intvl_ms)));
}

/*
 * Every timer's handler: run now, or leave @bit for release_sock() when
 * a system call owns the socket.
 */
static void ttp_stream_timer_run(struct ttp_stream_sock *ss, int bit,
				 void (*fire)(struct sock *sk))
{
	struct sock *sk = &ss->sk;

	bh_lock_sock(sk);
	if (sock_owned_by_user(sk))
		set_bit(bit, &ss->deferred);
	else
		fire(sk);
	bh_unlock_sock(sk);
	sock_put(sk);
}

static void ttp_stream_rtx_timer(struct timer_list *t)
{
	struct ttp_stream_sock *ss = from_timer(ss, t, rtx_timer);

	ttp_stream_timer_run(ss, TTP_DEFER_RTX, ttp_stream_rtx_fire);
}

static void ttp_stream_probe_timer(struct timer_list *t)
{
	struct ttp_stream_sock *ss = from_timer(ss, t, probe_timer);

	ttp_stream_timer_run(ss, TTP_DEFER_PROBE, ttp_stream_probe);
}

static void ttp_stream_delack_timer(struct timer_list *t)
{
	struct ttp_stream_sock *ss = from_timer(ss, t, delack_timer);

	ttp_stream_timer_run(ss, TTP_DEFER_DELACK, ttp_stream_delack_fire);
}

static void ttp_stream_wait_timer(struct timer_list *t)
{
	struct ttp_stream_sock *ss = from_timer(ss, t, wait_timer);

	ttp_stream_timer_run(ss, TTP_DEFER_WAIT, ttp_stream_wait_fire);
}

static void ttp_stream_ka_timer(struct timer_list *t)
{
	struct ttp_stream_sock *ss = from_timer(ss, t, ka_timer);

	ttp_stream_timer_run(ss, TTP_DEFER_KA, ttp_stream_ka_fire);
}

/**
 * ttp_stream_release_cb - release_sock(): timer work deferred meanwhile
 * @sk: socket, still owned, its spinlock held, BHs off
 */
void ttp_stream_release_cb(struct sock *sk)
{
	struct ttp_stream_sock *ss = ttp_stream_sk(sk);

	if (!READ_ONCE(ss->deferred))
		return;
	if (test_and_clear_bit(TTP_DEFER_RTX, &ss->deferred))
		ttp_stream_rtx_fire(sk);
	if (test_and_clear_bit(TTP_DEFER_PROBE, &ss->deferred) &&
	    !timer_pending(&ss->probe_timer))
		ttp_stream_probe(sk);
	if (test_and_clear_bit(TTP_DEFER_DELACK, &ss->deferred))
		ttp_stream_delack_fire(sk);
	if (test_and_clear_bit(TTP_DEFER_WAIT, &ss->deferred) &&
	    !timer_pending(&ss->wait_timer))
		ttp_stream_wait_fire(sk);
	if (test_and_clear_bit(TTP_DEFER_KA, &ss->deferred))
		ttp_stream_ka_fire(sk);	/* re-checks the idle time itself */
}

/**
 * ttp_stream_keepalive - SO_KEEPALIVE changed, or the connection opened
 * @sk: socket, locked
 * @on: probe after stream_keepalive_time_ms of silence from now on
 *
 * Also &proto.keepalive, which sock_setsockopt() calls.
 */
void ttp_stream_keepalive(struct sock *sk, int on)
{
	struct ttp_stream_sock *ss = ttp_stream_sk(sk);
	int ms = READ_ONCE(ttp_stream_tn(sk)->cfg.stream_keepalive_time_ms);

	if (!on || !ttp_stream_ka_state(sk->sk_state)) {
		sk_stop_timer(sk, &ss->ka_timer);
		return;
	}
	WRITE_ONCE(ss->ka_probes, 0);
	WRITE_ONCE(ss->rcv_tstamp, jiffies);
	sk_reset_timer(sk, &ss->ka_timer, jiffies + msecs_to_jiffies(ms));
}

/* Arm the SYN/SYN-ACK timer afresh: first RTO, no retries yet. */
void ttp_stream_rtx_arm(struct sock *sk)
{
	struct ttp_stream_sock *ss = ttp_stream_sk(sk);
	int ms = READ_ONCE(ttp_stream_tn(sk)->cfg.stream_rto_init_ms);

	WRITE_ONCE(ss->retries, 0);
	WRITE_ONCE(ss->rto, msecs_to_jiffies(ms));
	sk_reset_timer(sk, &ss->rtx_timer, jiffies + ss->rto);
}

/* (Re)start the retransmission timer with the current RTO. */
void ttp_stream_rtx_reset(struct sock *sk)
{
	struct ttp_stream_sock *ss = ttp_stream_sk(sk);

	sk_reset_timer(sk, &ss->rtx_timer, jiffies + READ_ONCE(ss->rto));
}

void ttp_stream_rtx_stop(struct sock *sk)
{
	sk_stop_timer(sk, &ttp_stream_sk(sk)->rtx_timer);
}

/* The persist interval: the RTO, doubled for each probe already sent. */
unsigned long ttp_stream_probe_when(const struct sock *sk)
{
	const struct ttp_net_cfg *cfg = &ttp_stream_tn(sk)->cfg;
	const struct ttp_stream_sock *ss = ttp_stream_sk(sk);
	unsigned long max = msecs_to_jiffies(READ_ONCE(cfg->stream_rto_max_ms));
	unsigned long when = ss->rto << min_t(u8, ss->probe_backoff, 16);

	if (when > max || when < ss->rto)
		when = max;
	return when;
}

void ttp_stream_probe_arm(struct sock *sk)
{
	sk_reset_timer(sk, &ttp_stream_sk(sk)->probe_timer,
		       jiffies + ttp_stream_probe_when(sk));
}

void ttp_stream_delack_arm(struct sock *sk)
{
	int ms = READ_ONCE(ttp_stream_tn(sk)->cfg.stream_delack_ms);

	sk_reset_timer(sk, &ttp_stream_sk(sk)->delack_timer,
		       jiffies + max_t(unsigned long, msecs_to_jiffies(ms), 1));
}

void ttp_stream_wait_arm(struct sock *sk, unsigned int ms)
{
	sk_reset_timer(sk, &ttp_stream_sk(sk)->wait_timer,
		       jiffies + msecs_to_jiffies(ms));
}

/**
 * ttp_stream_timer_pending - the timer TTP_INFO and /proc show
 * @sk: socket
 * @expires: set to when it fires (jiffies)
 *
 * Return: TTPI_TIMER_*, the first pending in the order below.
 */
int ttp_stream_timer_pending(const struct sock *sk, unsigned long *expires)
{
	const struct ttp_stream_sock *ss = ttp_stream_sk(sk);
	const struct {
		const struct timer_list *t;
		int which;
	} timers[] = {
		{ &ss->rtx_timer,	TTPI_TIMER_RTX },
		{ &ss->probe_timer,	TTPI_TIMER_PERSIST },
		{ &ss->delack_timer,	TTPI_TIMER_DELACK },
		{ &ss->wait_timer,	TTPI_TIMER_FIN_WAIT_2 },
		{ &ss->ka_timer,	TTPI_TIMER_KEEPALIVE },
	};
	int i;

	for (i = 0; i < ARRAY_SIZE(timers); i++) {
		if (timer_pending(timers[i].t)) {
			*expires = READ_ONCE(timers[i].t->expires);
			return timers[i].which;
		}
	}
	return TTPI_TIMER_NONE;
}

void ttp_stream_timers_init(struct sock *sk)
{
	struct ttp_stream_sock *ss = ttp_stream_sk(sk);

	timer_setup(&ss->rtx_timer, ttp_stream_rtx_timer, 0);
	timer_setup(&ss->wait_timer, ttp_stream_wait_timer, 0);
	timer_setup(&ss->ka_timer, ttp_stream_ka_timer, 0);
	timer_setup(&ss->probe_timer, ttp_stream_probe_timer, 0);
	timer_setup(&ss->delack_timer, ttp_stream_delack_timer, 0);
}

/*
 * Not the _sync variants: we may be in a timer's own handler.  A handler
 * that already runs finds the state changed and does nothing.
 */
void ttp_stream_timers_stop(struct sock *sk)
{
	struct ttp_stream_sock *ss = ttp_stream_sk(sk);

	sk_stop_timer(sk, &ss->rtx_timer);
	sk_stop_timer(sk, &ss->wait_timer);
	sk_stop_timer(sk, &ss->ka_timer);
	sk_stop_timer(sk, &ss->probe_timer);
	sk_stop_timer(sk, &ss->delack_timer);
	/* A deferred bit left over finds the state changed: harmless. */
}

/**
 * ttp_stream_soft_error - the network layer could not deliver a segment
 * @sk: its socket, pinned by the segment; any context, maybe locked
 * @err: EHOSTUNREACH when ARP failed
 *
 * Only noted here, without the socket lock (the caller may hold it):
 * a connect in progress fails at once through its SYN timer, which is
 * made to fire now; a synchronized connection goes on (its peer may
 * come back), as Linux treats ICMP errors on established connections.
 */
void ttp_stream_soft_error(struct sock *sk, int err)
{
	struct ttp_stream_sock *ss = ttp_stream_sk(sk);

	WRITE_ONCE(sk->sk_err_soft, err);
	if (READ_ONCE(sk->sk_state) == TTP_SYN_SENT &&
	    timer_pending(&ss->rtx_timer))
		sk_reset_timer(sk, &ss->rtx_timer, jiffies);
}
