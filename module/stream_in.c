// SPDX-License-Identifier: GPL-2.0
/*
 * Segment arrival: RFC 9293 3.10.7 ("SEGMENT ARRIVES").
 *
 * ttp_stream_rcv() runs in softirq: it validates the header, counts,
 * finds the socket and either processes the segment at once or, when a
 * system call owns the socket, leaves it on the socket's backlog for
 * release_sock() (ttp_stream_backlog_rcv()).
 *
 * This code decides which event a segment is; the next state comes from
 * the table in stream_fsm.c.
 */
#include <linux/tcp.h>
#include <net/checksum.h>
#include <uapi/linux/ttp.h>

#include "ip.h"
#include "stats.h"
#include "stream.h"

/* --- validation ------------------------------------------------------- */

/* Options must stay inside the header (RFC 9293 3.1). */
static bool ttp_stream_parse_opts(const struct tcphdr *th,
				  struct ttp_stream_cb *cb)
{
	const u8 *p = (const u8 *)(th + 1);
	int left = th->doff * 4 - sizeof(*th);
	u8 kind, len;

	cb->mss = 0;
	cb->wscale = -1;
	while (left > 0) {
		kind = *p;
		if (kind == TTP_OPT_EOL)
			break;
		if (kind == TTP_OPT_NOP) {
			p++;
			left--;
			continue;
		}
		if (left < 2)
			return false;
		len = p[1];
		if (len < 2 || len > left)
			return false;
		if (kind == TTP_OPT_MSS && len == TTP_OPTLEN_MSS)
			cb->mss = p[2] << 8 | p[3];
		else if (kind == TTP_OPT_WSCALE && len == TTP_OPTLEN_WSCALE)
			cb->wscale = min_t(u8, p[2], TTP_MAX_WSCALE);
		p += len;
		left -= len;
	}
	return true;
}

/*
 * Header checks; a bad segment is counted (InErrs, InCsumErrors) and
 * dropped without an answer.  Returns false for a bad one.
 */
static bool ttp_stream_check(struct net *net, struct sk_buff *skb)
{
	const struct iphdr *iph = ip_hdr(skb);
	struct ttp_stream_cb *cb = TTP_STREAM_CB(skb);
	const struct tcphdr *th;
	unsigned int hlen;
	u8 f;

	if (!pskb_may_pull(skb, sizeof(*th)))
		return false;
	skb_reset_transport_header(skb);
	hlen = tcp_hdr(skb)->doff * 4;
	if (hlen < sizeof(*th) || hlen > skb->len || !pskb_may_pull(skb, hlen))
		return false;
	/* Always in software: students mangle segments on the wire. */
	if (csum_tcpudp_magic(iph->saddr, iph->daddr, skb->len,
			      TTPPROTO_STREAM,
			      skb_checksum(skb, 0, skb->len, 0))) {
		TTP_NET_INC_STATS(net, TTP_MIB_STREAM_IN_CSUM_ERRORS);
		return false;
	}
	th = tcp_hdr(skb);
	f = *ttp_th_flags((struct tcphdr *)th);
	/*
	 * SYN+FIN and SYN+RST mean nothing; a segment without any of SYN,
	 * ACK, RST and FIN carries no control at all.  (A bare FIN is
	 * legal: a socket drops it without ACK, no socket answers an RST.)
	 */
	if ((f & TTP_TH_SYN) && (f & (TTP_TH_FIN | TTP_TH_RST)))
		return false;
	if (!(f & (TTP_TH_SYN | TTP_TH_ACK | TTP_TH_RST | TTP_TH_FIN)))
		return false;
	if (!ttp_stream_parse_opts(th, cb))
		return false;
	cb->flags = f;
	cb->seq = ntohl(th->seq);
	cb->ack = ntohl(th->ack_seq);
	cb->len = skb->len - hlen;
	cb->end_seq = cb->seq + cb->len + !!(f & TTP_TH_SYN) +
		      !!(f & TTP_TH_FIN);
	cb->win = ntohs(th->window);
	return true;
}

/* --- helpers ---------------------------------------------------------- */

static void ttp_stream_ack_now(struct sock *sk)
{
	ttp_stream_send_ctl(sk, TTP_TH_ACK, ttp_stream_sk(sk)->snd_nxt);
}

/**
 * ttp_stream_oow_limited - may we not answer this invalid segment?
 * @tn: the namespace's TTP state
 * @cb: a segment we cannot take (out of the window, an ACK of what we
 *	never sent, one for a TIME_WAIT entry), about to be answered by an ACK
 * @stamp: the connection's (or entry's) jiffies of the last such ACK
 *
 * Two ends that disagree about the sequence space (a lost state, a
 * middlebox, a forged segment) would answer each other's ACKs with ACKs
 * forever: an ACK storm.  As Linux's tcp_invalid_ratelimit: at most one
 * such answer per stream_invalid_ratelimit_ms.  A segment with data or a
 * FIN is always answered: it cannot be part of a loop (nobody answers an
 * ACK with data), and its sender may be waiting for our ACK to go on.
 *
 * Return: true if the ACK must not go (counted in StreamACKsSkipped).
 */
bool ttp_stream_oow_limited(struct ttp_net *tn, const struct ttp_stream_cb *cb,
			    unsigned long *stamp)
{
	int ms = READ_ONCE(tn->cfg.stream_invalid_ratelimit_ms);
	unsigned long now = jiffies, last = READ_ONCE(*stamp);

	if ((cb->len || (cb->flags & TTP_TH_FIN)) && !(cb->flags & TTP_TH_SYN))
		return false;
	if (ms && last && time_before(now, last + msecs_to_jiffies(ms))) {
		TTP_INC_STATS(tn, TTP_MIB_STREAM_ACKS_SKIPPED);
		return true;
	}
	/* 0 means "never answered": a stamp of exactly 0 just starts anew. */
	WRITE_ONCE(*stamp, now);
	return false;
}

/* The answer to a segment we cannot take, rate-limited (see above). */
static void ttp_stream_ack_invalid(struct sock *sk,
				   const struct ttp_stream_cb *cb)
{
	if (!ttp_stream_oow_limited(ttp_stream_tn(sk), cb,
				    &ttp_stream_sk(sk)->oow_ack_stamp))
		ttp_stream_ack_now(sk);
}

/* RFC 5961: the answer to a suspicious RST or SYN. */
static void ttp_stream_challenge_ack(struct sock *sk)
{
	TTP_INC_STATS(ttp_stream_tn(sk), TTP_MIB_STREAM_CHALLENGE_ACKS);
	ttp_stream_ack_now(sk);
}

/* A reset from the peer: tell the user why, then let the table act. */
static void ttp_stream_reset(struct sock *sk)
{
	int err;

	switch (sk->sk_state) {
	case TTP_SYN_SENT:
	case TTP_SYN_RECEIVED:
		err = ECONNREFUSED;
		break;
	case TTP_CLOSE_WAIT:
		err = EPIPE;
		break;
	default:
		err = ECONNRESET;
	}
	WRITE_ONCE(sk->sk_err, err);
	if (ttp_stream_event(sk, TTP_EV_RCV_RST) == 0)
		sk_error_report(sk);
}

/* The options of the peer's SYN: MSS and window scale (RFC 7323). */
static void ttp_stream_syn_opts(struct sock *sk,
				const struct ttp_stream_cb *cb)
{
	struct ttp_stream_sock *ss = ttp_stream_sk(sk);

	/* No MSS option: RFC 9293 3.7.1's default, 536. */
	ss->mss = clamp_t(u16, cb->mss ? cb->mss : 536, 64, ss->advmss);
	if (cb->wscale >= 0) {
		ss->wscale_ok = true;
		ss->snd_wscale = cb->wscale;
	} else {
		ss->wscale_ok = false;
		ss->snd_wscale = 0;
		ss->rcv_wscale = 0;
	}
	ss->irs = cb->seq;
	ss->rcv_nxt = cb->seq + 1;
	ss->rcv_adv = ss->rcv_nxt;
	ss->rcv_wup = ss->rcv_nxt;
	ss->copied_seq = ss->rcv_nxt;
	ss->rcv_mss = 0;
	ss->quickack = 16;
	/* The window of a SYN is not scaled. */
	WRITE_ONCE(ss->snd_wnd, cb->win);
	ss->snd_wl1 = cb->seq;
}

/* --- LISTEN ----------------------------------------------------------- */

/*
 * The SYN queue is full: its oldest half-open child goes, silently (an
 * RST to a spoofed source would only add to the flood).  Under a flood
 * of spoofed SYNs the queue turns over, yet a real client's child
 * usually lives long enough for its ACK to come (else the client gets
 * an RST and retries): the documented policy instead of SYN cookies.
 * False if the victim completed meanwhile.
 */
static bool ttp_stream_synq_evict(struct sock *sk)
{
	struct ttp_stream_sock *ls = ttp_stream_sk(sk);
	struct ttp_stream_sock *cs;
	struct sock *victim = NULL;
	bool done = false;

	spin_lock(&ls->qlock);
	cs = list_first_entry_or_null(&ls->synq, struct ttp_stream_sock,
				      qnode);
	if (cs) {
		victim = &cs->sk;
		sock_hold(victim);
	}
	spin_unlock(&ls->qlock);
	if (!victim)
		return false;
	bh_lock_sock(victim);
	if (victim->sk_state == TTP_SYN_RECEIVED) {
		ttp_stream_done(victim);
		TTP_INC_STATS(ttp_stream_tn(sk), TTP_MIB_STREAM_SYNQ_EVICTIONS);
		done = true;
	}
	bh_unlock_sock(victim);
	sock_put(victim);
	return done;
}

/*
 * A SYN for a listener: a child socket in SYN_RECEIVED, on the SYN
 * queue.  Both queues are bounded by the backlog.  A full accept queue
 * drops the SYN (ListenOverflows, ListenDrops: the client's
 * retransmission tries again later), as Linux does; a full SYN queue
 * makes room by evicting its oldest child.
 */
static void ttp_stream_listen_syn(struct sock *sk, struct sk_buff *skb)
{
	struct ttp_stream_sock *ls = ttp_stream_sk(sk);
	struct net *net = sock_net(sk);
	struct ttp_stream_sock *cs;
	struct sock *child;
	bool overflow, synq_full;

	spin_lock(&ls->qlock);
	overflow = ls->acceptq_len > ls->backlog;
	synq_full = ls->synq_len > ls->backlog;
	spin_unlock(&ls->qlock);
	if (overflow)
		TTP_NET_INC_STATS(net, TTP_MIB_STREAM_LISTEN_OVERFLOWS);
	if (overflow || (synq_full && !ttp_stream_synq_evict(sk))) {
		TTP_NET_INC_STATS(net, TTP_MIB_STREAM_LISTEN_DROPS);
		return;
	}
	child = ttp_stream_child_alloc(sk);
	if (!child) {
		TTP_NET_INC_STATS(net, TTP_MIB_STREAM_LISTEN_DROPS);
		return;
	}
	cs = ttp_stream_sk(child);
	cs->saddr = ip_hdr(skb)->daddr;
	cs->daddr = ip_hdr(skb)->saddr;
	cs->dport = tcp_hdr(skb)->source;
	ttp_stream_syn_opts(child, TTP_STREAM_CB(skb));
	cs->iss = ttp_stream_isn(cs->saddr, cs->daddr, cs->sport, cs->dport);
	cs->snd_una = cs->iss;
	cs->snd_nxt = cs->iss;
	ttp_stream_child_add(child);
}

static void ttp_stream_rcv_listen(struct sock *sk, struct sk_buff *skb)
{
	const struct ttp_stream_cb *cb = TTP_STREAM_CB(skb);

	if (cb->flags & TTP_TH_RST)
		return;
	if (cb->flags & TTP_TH_ACK) {
		/* No connection has this ACK: RFC 9293 says reset it. */
		ttp_stream_send_reset(sock_net(sk), skb);
		return;
	}
	if (cb->flags & TTP_TH_SYN)
		ttp_stream_listen_syn(sk, skb);
}

/* --- SYN_SENT --------------------------------------------------------- */

static void ttp_stream_rcv_syn_sent(struct sock *sk, struct sk_buff *skb)
{
	const struct ttp_stream_cb *cb = TTP_STREAM_CB(skb);
	struct ttp_stream_sock *ss = ttp_stream_sk(sk);
	bool ack = cb->flags & TTP_TH_ACK;

	/* An ACK must acknowledge our SYN and nothing else. */
	if (ack && (!ttp_seq_after(cb->ack, ss->iss) ||
		    ttp_seq_after(cb->ack, ss->snd_nxt))) {
		ttp_stream_send_reset(sock_net(sk), skb);
		return;
	}
	if (cb->flags & TTP_TH_RST) {
		/* RFC 5961 3.2: only with an acceptable ACK. */
		if (ack)
			ttp_stream_reset(sk);
		return;
	}
	if (!(cb->flags & TTP_TH_SYN))
		return;
	ttp_stream_syn_opts(sk, cb);
	if (!ack) {
		/* Simultaneous open: SYN_RECEIVED, our SYN again with ACK. */
		ttp_stream_event(sk, TTP_EV_RCV_SYN);
		return;
	}
	ttp_stream_ack_handshake(sk, cb, true);
	ttp_stream_rtx_stop(sk);
	ttp_stream_event(sk, TTP_EV_RCV_SYNACK);
	sk->sk_state_change(sk);
	sk->sk_write_space(sk);
}

/* --- synchronized states ---------------------------------------------- */

/* RFC 9293 3.10.7.4, first: is any of the segment in our window? */
static bool ttp_stream_seq_ok(const struct ttp_stream_sock *ss,
			      const struct ttp_stream_cb *cb)
{
	u32 wnd = ss->rcv_adv - ss->rcv_nxt;
	u32 seg_len = cb->end_seq - cb->seq;

	if (!seg_len) {
		if (!wnd)
			return cb->seq == ss->rcv_nxt;
		return ttp_seq_between(ss->rcv_nxt, cb->seq,
				       ss->rcv_nxt + wnd - 1);
	}
	if (!wnd)
		return false;
	return ttp_seq_between(ss->rcv_nxt, cb->seq, ss->rcv_nxt + wnd - 1) ||
	       ttp_seq_between(ss->rcv_nxt, cb->end_seq - 1,
			       ss->rcv_nxt + wnd - 1);
}

static void ttp_stream_fin(struct sock *sk, bool fin_acked)
{
	struct ttp_stream_sock *ss = ttp_stream_sk(sk);

	ss->rcv_nxt++;
	ss->fin_rcvd = true;
	WRITE_ONCE(sk->sk_shutdown, sk->sk_shutdown | RCV_SHUTDOWN);
	if (sk->sk_state == TTP_FIN_WAIT_1 && fin_acked)
		ttp_stream_event(sk, TTP_EV_RCV_FINACK);
	else
		ttp_stream_event(sk, TTP_EV_RCV_FIN);
	sk->sk_state_change(sk);
	sk_wake_async(sk, SOCK_WAKE_WAITD, POLL_HUP);
}

/* Our FIN, if we sent one, is acknowledged by @ack. */
static bool ttp_stream_fin_acked(const struct ttp_stream_sock *ss, u32 ack)
{
	return ss->fin_queued && ack == ss->write_seq;
}

static bool ttp_stream_rcv_synced(struct sock *sk, struct sk_buff *skb)
{
	struct ttp_stream_cb *cb = TTP_STREAM_CB(skb);
	struct ttp_stream_sock *ss = ttp_stream_sk(sk);
	bool fin_acked, fin_in_order, queued = false;

	/* The peer did not hear our SYN-ACK: send it again. */
	if (sk->sk_state == TTP_SYN_RECEIVED &&
	    (cb->flags & (TTP_TH_SYN | TTP_TH_ACK)) == TTP_TH_SYN &&
	    cb->seq == ss->irs) {
		ttp_stream_send_ctl(sk, TTP_TH_SYN | TTP_TH_ACK, ss->iss);
		ttp_stream_syn_rtx_count(sk);
		return false;
	}
	/*
	 * A SYN in a synchronized state, in the window or not (RFC 5961
	 * 4.2): a challenge ACK, before the sequence check.
	 */
	if (cb->flags & TTP_TH_SYN) {
		ttp_stream_challenge_ack(sk);
		return false;
	}
	/* first: sequence number */
	if (!ttp_stream_seq_ok(ss, cb)) {
		if (!(cb->flags & TTP_TH_RST))
			ttp_stream_ack_invalid(sk, cb);
		return false;
	}
	/* second: RST, with RFC 5961 3.2's exact-match rule */
	if (cb->flags & TTP_TH_RST) {
		if (cb->seq == ss->rcv_nxt)
			ttp_stream_reset(sk);
		else
			ttp_stream_challenge_ack(sk);
		return false;
	}
	/* fifth: ACK */
	if (!(cb->flags & TTP_TH_ACK))
		return false;
	if (sk->sk_state == TTP_SYN_RECEIVED) {
		if (!ttp_seq_after(cb->ack, ss->snd_una) ||
		    ttp_seq_after(cb->ack, ss->snd_nxt)) {
			ttp_stream_send_reset(sock_net(sk), skb);
			return false;
		}
		ttp_stream_rtx_stop(sk);
		ttp_stream_ack_handshake(sk, cb, false);
		ttp_stream_event(sk, TTP_EV_RCV_ACK);
		if (ss->parent)
			ttp_stream_child_ready(sk);
		sk->sk_state_change(sk);
	} else if (!ttp_stream_ack(sk, cb)) {
		/* RFC 9293: an ACK of what we never sent. */
		ttp_stream_ack_invalid(sk, cb);
		return false;
	}
	fin_acked = ttp_stream_fin_acked(ss, cb->ack);
	switch (sk->sk_state) {
	case TTP_FIN_WAIT_1:
		/* FIN+ACK of our FIN together: straight to TIME_WAIT. */
		if (fin_acked && !((cb->flags & TTP_TH_FIN) &&
				   cb->seq == ss->rcv_nxt))
			ttp_stream_event(sk, TTP_EV_RCV_ACK);
		break;
	case TTP_CLOSING:
		if (fin_acked)
			ttp_stream_event(sk, TTP_EV_RCV_ACK);
		return false;
	case TTP_LAST_ACK:
		if (fin_acked)
			ttp_stream_event(sk, TTP_EV_RCV_ACK);
		return false;
	}
	/* seventh: payload, in ESTABLISHED, FIN_WAIT_1 and FIN_WAIT_2 */
	if (cb->len) {
		if (!ttp_stream_receives(sk->sk_state))
			return false;
		if (sock_flag(sk, SOCK_DEAD)) {
			/* Data for a closed socket: abort, as Linux does. */
			ttp_stream_event(sk, TTP_EV_ABORT);
			return false;
		}
		queued = ttp_stream_data(sk, skb, &fin_in_order);
		/* A retransmitted FIN behind data we have already. */
		if (!queued)
			fin_in_order = (cb->flags & TTP_TH_FIN) &&
				       cb->seq + cb->len == ss->rcv_nxt;
	} else {
		fin_in_order = (cb->flags & TTP_TH_FIN) &&
			       cb->seq == ss->rcv_nxt;
	}
	/* eighth: FIN, when it is the next thing we expect */
	if (fin_in_order && !ss->fin_rcvd) {
		ttp_stream_fin(sk, fin_acked);
		return queued;
	}
	/* What we could not take: tell the peer where we are. */
	if (cb->len && !queued)
		ttp_stream_ack_now(sk);
	return queued;
}

/* Process a segment for @sk, locked; BHs off.  Consumes @skb. */
static void ttp_stream_do_rcv(struct sock *sk, struct sk_buff *skb)
{
	struct ttp_stream_sock *ss = ttp_stream_sk(sk);
	bool queued = false;

	/* Any segment shows the peer is alive (keepalive), and counts. */
	WRITE_ONCE(ss->segs_in, ss->segs_in + 1);
	WRITE_ONCE(ss->rcv_tstamp, jiffies);
	WRITE_ONCE(ss->ka_probes, 0);

	switch (sk->sk_state) {
	case TTP_CLOSED:
		/*
		 * Found in the table just before it closed; maybe its
		 * connection went on to TIME_WAIT meanwhile.
		 */
		if (ttp_stream_tw_rcv(sock_net(sk), skb) == TTP_TW_NONE)
			ttp_stream_send_reset(sock_net(sk), skb);
		break;
	case TTP_LISTEN:
		ttp_stream_rcv_listen(sk, skb);
		break;
	case TTP_SYN_SENT:
		ttp_stream_rcv_syn_sent(sk, skb);
		break;
	default:
		queued = ttp_stream_rcv_synced(sk, skb);
	}
	/*
	 * Unless its payload was queued, the segment ends here: consumed,
	 * as Linux frees a pure ACK, so that a drop monitor (dropwatch,
	 * the skb:kfree_skb tracepoint) does not list every ACK as a drop.
	 */
	if (!queued)
		consume_skb(skb);
}

/**
 * ttp_stream_backlog_rcv - a segment left on the backlog of @sk
 * @sk: the socket, owned by the system call that is releasing it
 * @skb: the segment, cb filled by ttp_stream_check(); consumed
 *
 * release_sock() calls this with BHs on; the receive path, the timers
 * and the queue locks all assume them off, as in softirq.
 */
int ttp_stream_backlog_rcv(struct sock *sk, struct sk_buff *skb)
{
	local_bh_disable();
	ttp_stream_do_rcv(sk, skb);
	local_bh_enable();
	return 0;
}

/**
 * ttp_stream_rcv - a stream segment for one of our addresses
 * @tn: the namespace it arrived in
 * @skb: data at the stream header, network header set; consumed
 *
 * Softirq context.
 */
void ttp_stream_rcv(struct ttp_net *tn, struct sk_buff *skb)
{
	struct net *net = tn->net;
	const struct iphdr *iph;
	struct sock *sk;

	TTP_INC_STATS(tn, TTP_MIB_STREAM_IN_SEGS);
	if (!ttp_stream_check(net, skb)) {
		TTP_INC_STATS(tn, TTP_MIB_STREAM_IN_ERRS);
		kfree_skb(skb);
		return;
	}
	iph = ip_hdr(skb);
	rcu_read_lock();
	sk = ttp_stream_lookup_conn(tn, iph->saddr, tcp_hdr(skb)->source,
				    iph->daddr, tcp_hdr(skb)->dest);
	if (!sk) {
		switch (ttp_stream_tw_rcv(net, skb)) {
		case TTP_TW_NONE:
		case TTP_TW_SYN:
			sk = ttp_stream_lookup_listener(net, iph->daddr,
							tcp_hdr(skb)->dest,
							skb->dev->ifindex);
			break;
		default:
			rcu_read_unlock();
			kfree_skb(skb);
			return;
		}
	}
	rcu_read_unlock();
	if (!sk) {
		ttp_stream_send_reset(net, skb);
		kfree_skb(skb);
		return;
	}
	bh_lock_sock_nested(sk);
	if (!sock_owned_by_user(sk)) {
		ttp_stream_do_rcv(sk, skb);
	} else if (sk_add_backlog(sk, skb, READ_ONCE(sk->sk_rcvbuf) +
				  READ_ONCE(sk->sk_sndbuf))) {
		atomic_inc(&sk->sk_drops);
		kfree_skb(skb);
	}
	bh_unlock_sock(sk);
	sock_put(sk);
}
