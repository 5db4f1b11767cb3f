// SPDX-License-Identifier: GPL-2.0
/*
 * Stream timers.
 *
 * rtx_timer: SYN and SYN-ACK retransmission.  The first comes after
 *   stream_rto_init_ms; each next one after twice the last (exponential
 *   backoff, RFC 6298 5.5); after stream_syn_retries (SYN) or
 *   stream_synack_retries (SYN-ACK) the attempt fails, ETIMEDOUT.
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
 * A pending timer holds a socket reference (sk_reset_timer()).  When the
 * socket is owned by a system call the handler tries again shortly, as
 * TCP's do: the state is only changed under the socket lock.
 */
#include "stats.h"
#include "stream.h"

#define TTP_STREAM_RTO_MAX	(120 * HZ)
#define TTP_STREAM_BUSY_RETRY	(HZ / 20)

static unsigned int ttp_stream_syn_retries(const struct sock *sk)
{
	const struct ttp_net_cfg *cfg = &ttp_net(sock_net(sk))->cfg;

	return sk->sk_state == TTP_SYN_SENT ?
		READ_ONCE(cfg->stream_syn_retries) :
		READ_ONCE(cfg->stream_synack_retries);
}

static void ttp_stream_rtx_fire(struct sock *sk)
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
	ttp_stream_send_ctl(sk, flags, ss->iss);
	sk_reset_timer(sk, &ss->rtx_timer, jiffies + ss->rto);
}

static void ttp_stream_rtx_timer(struct timer_list *t)
{
	struct ttp_stream_sock *ss = from_timer(ss, t, rtx_timer);
	struct sock *sk = &ss->sk;

	bh_lock_sock(sk);
	if (sock_owned_by_user(sk))
		sk_reset_timer(sk, &ss->rtx_timer,
			       jiffies + TTP_STREAM_BUSY_RETRY);
	else
		ttp_stream_rtx_fire(sk);
	bh_unlock_sock(sk);
	sock_put(sk);
}

static void ttp_stream_wait_timer(struct timer_list *t)
{
	struct ttp_stream_sock *ss = from_timer(ss, t, wait_timer);
	struct sock *sk = &ss->sk;

	bh_lock_sock(sk);
	if (sock_owned_by_user(sk))
		sk_reset_timer(sk, &ss->wait_timer,
			       jiffies + TTP_STREAM_BUSY_RETRY);
	else	/* FIN_WAIT_2, or an orphan's user timeout */
		ttp_stream_event(sk, TTP_EV_TIMEOUT);
	bh_unlock_sock(sk);
	sock_put(sk);
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
	const struct ttp_net_cfg *cfg = &ttp_net(sock_net(sk))->cfg;
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
	TTP_NET_INC_STATS(sock_net(sk), TTP_MIB_STREAM_KEEPALIVE_PROBES);
	ttp_stream_send_ctl(sk, TTP_TH_ACK, ss->snd_una - 1);
	sk_reset_timer(sk, &ss->ka_timer, jiffies +
		       msecs_to_jiffies(READ_ONCE(cfg->stream_keepalive_intvl_ms)));
}

static void ttp_stream_ka_timer(struct timer_list *t)
{
	struct ttp_stream_sock *ss = from_timer(ss, t, ka_timer);
	struct sock *sk = &ss->sk;

	bh_lock_sock(sk);
	if (sock_owned_by_user(sk))
		sk_reset_timer(sk, &ss->ka_timer,
			       jiffies + TTP_STREAM_BUSY_RETRY);
	else
		ttp_stream_ka_fire(sk);
	bh_unlock_sock(sk);
	sock_put(sk);
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
	int ms = READ_ONCE(ttp_net(sock_net(sk))->cfg.stream_keepalive_time_ms);

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
	int ms = READ_ONCE(ttp_net(sock_net(sk))->cfg.stream_rto_init_ms);

	WRITE_ONCE(ss->retries, 0);
	WRITE_ONCE(ss->rto, msecs_to_jiffies(ms));
	sk_reset_timer(sk, &ss->rtx_timer, jiffies + ss->rto);
}

void ttp_stream_rtx_stop(struct sock *sk)
{
	sk_stop_timer(sk, &ttp_stream_sk(sk)->rtx_timer);
}

void ttp_stream_wait_arm(struct sock *sk, unsigned int ms)
{
	sk_reset_timer(sk, &ttp_stream_sk(sk)->wait_timer,
		       jiffies + msecs_to_jiffies(ms));
}

void ttp_stream_timers_init(struct sock *sk)
{
	struct ttp_stream_sock *ss = ttp_stream_sk(sk);

	timer_setup(&ss->rtx_timer, ttp_stream_rtx_timer, 0);
	timer_setup(&ss->wait_timer, ttp_stream_wait_timer, 0);
	timer_setup(&ss->ka_timer, ttp_stream_ka_timer, 0);
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
