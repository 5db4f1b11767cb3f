// SPDX-License-Identifier: GPL-2.0
/*
 * TTP stream sockets: socket(AF_TTP, SOCK_STREAM, 0), the socket calls.
 *
 * A connection is a full socket from SYN until it closes or enters
 * TIME_WAIT, where a compact entry takes over (stream_tw.c) and the
 * socket becomes CLOSED, as in Linux.  A listener's children are
 * full sockets too, on the listener's SYN queue until the handshake
 * completes and on its accept queue until accept() takes them.
 *
 * References: the file (or, for a child, its listener's queue), the
 * connection table (ehash), the port table (bhash) and each pending
 * timer hold one each; the socket is freed when the last goes.
 *
 * Locking: system calls lock_sock(); the receive path and the timers
 * bh_lock_sock() and leave segments on the backlog while a call owns the
 * socket.  The listener's queues have their own spinlock, qlock, so a
 * child never needs its listener's socket lock.
 */
#include <linux/capability.h>
#include <linux/module.h>
#include <linux/net.h>
#include <linux/poll.h>
#include <linux/sched/signal.h>
#include <linux/sockios.h>
#include <linux/uaccess.h>
#include <asm/ioctls.h>
#include <net/sock.h>
#include <uapi/linux/ttp.h>

#include "af.h"
#include "compat.h"
#include "ip.h"
#include "stats.h"
#include "stream.h"
#include "trace.h"

/* --- the state machine ------------------------------------------------ */

static void __ttp_stream_done(struct sock *sk, bool quiet);

static bool ttp_stream_counts_estab(int state)
{
	return state == TTP_ESTABLISHED || state == TTP_CLOSE_WAIT;
}

/*
 * Every state change: the counters of RFC 1213's tcp group are defined
 * by transitions, so they are counted here, and the tracepoint sees them
 * all.
 */
void ttp_stream_set_state(struct sock *sk, int state)
{
	struct ttp_stream_sock *ss = ttp_stream_sk(sk);
	struct ttp_net *tn = ttp_stream_tn(sk);
	int old = sk->sk_state;

	if (old == state)
		return;
	trace_ttp_set_state(ss->saddr, ss->sport, ss->daddr, ss->dport,
			    old, state);
	if (old == TTP_CLOSED && state == TTP_SYN_SENT)
		TTP_INC_STATS(tn, TTP_MIB_STREAM_ACTIVE_OPENS);
	if (old == TTP_LISTEN && state == TTP_SYN_RECEIVED)
		TTP_INC_STATS(tn, TTP_MIB_STREAM_PASSIVE_OPENS);
	if ((old == TTP_SYN_SENT || old == TTP_SYN_RECEIVED) &&
	    state == TTP_CLOSED)
		TTP_INC_STATS(tn, TTP_MIB_STREAM_ATTEMPT_FAILS);
	if (ttp_stream_counts_estab(old) && state == TTP_CLOSED)
		TTP_INC_STATS(tn, TTP_MIB_STREAM_ESTAB_RESETS);
	if (state == TTP_TIME_WAIT)
		TTP_INC_STATS(tn, TTP_MIB_TIMEWAIT_ENTERED);
	if (ttp_stream_counts_estab(old) && !ttp_stream_counts_estab(state))
		TTP_DEC_STATS(tn, TTP_MIB_STREAM_CURR_ESTAB);
	if (!ttp_stream_counts_estab(old) && ttp_stream_counts_estab(state))
		TTP_INC_STATS(tn, TTP_MIB_STREAM_CURR_ESTAB);
	/* Lockless readers: poll(), /proc. */
	WRITE_ONCE(sk->sk_state, state);
	/* Synchronized at last: the data transfer's variables start. */
	if ((old == TTP_SYN_SENT || old == TTP_SYN_RECEIVED) &&
	    state != TTP_CLOSED && state != TTP_SYN_RECEIVED)
		ttp_stream_cc_init(sk);
	if (state == TTP_ESTABLISHED && sock_flag(sk, SOCK_KEEPOPEN))
		ttp_stream_keepalive(sk, 1);
}

/**
 * ttp_stream_event - drive @sk's state machine with @ev
 * @sk: socket, locked
 * @ev: what happened
 *
 * Looks the transition up in ttp_stream_fsm[], changes the state and
 * carries out the actions.  Return: 0, or -EINVAL when the table has no
 * such transition (the state is unchanged).
 */
int ttp_stream_event(struct sock *sk, enum ttp_stream_event ev)
{
	struct ttp_stream_sock *ss = ttp_stream_sk(sk);
	const struct ttp_stream_trans *tr;
	struct ttp_net *tn = ttp_stream_tn(sk);
	int old = sk->sk_state;

	if (old >= TTP_NR_STATES)
		return -EINVAL;
	tr = &ttp_stream_fsm[old][ev];
	if (!tr->valid)
		return -EINVAL;
	ttp_stream_set_state(sk, tr->next);

	if (tr->actions & (TTP_ACT_SEND_SYN | TTP_ACT_SEND_SYNACK)) {
		u8 flags = TTP_TH_SYN;

		if (tr->actions & TTP_ACT_SEND_SYNACK)
			flags |= TTP_TH_ACK;
		ss->snd_nxt = ss->iss + 1;
		ss->snd_max = ss->snd_nxt;
		ss->write_seq = ss->snd_nxt;
		ss->snd_sml = ss->snd_nxt;
		ttp_stream_rtt_init(sk);
		ttp_stream_rtx_arm(sk);
		ss->rtt_start_us = ttp_stream_now_us() ? : 1;
		ttp_stream_send_ctl(sk, flags, ss->iss);
	}
	/* The FIN goes after the data queued before it. */
	if (tr->actions & TTP_ACT_SEND_FIN)
		ttp_stream_queue_fin(sk);
	if (tr->actions & TTP_ACT_SEND_ACK)
		ttp_stream_send_ctl(sk, TTP_TH_ACK, ss->snd_nxt);
	if (tr->actions & TTP_ACT_SEND_RST)
		ttp_stream_send_ctl(sk, TTP_TH_RST | TTP_TH_ACK, ss->snd_nxt);
	if (tr->actions & TTP_ACT_TIMEWAIT) {
		/*
		 * The connection moves to the TIME_WAIT table and the socket
		 * is CLOSED (quietly: the entry will say TIME_WAIT ->
		 * CLOSED).  A full table: the connection just ends.
		 */
		__ttp_stream_done(sk, ttp_stream_tw_enter(sk));
		return 0;
	}
	if (tr->actions & TTP_ACT_DELETE)
		ttp_stream_done(sk);
	/* An orphan that reaches FIN_WAIT_2 waits fin_timeout at most. */
	if (tr->next == TTP_FIN_WAIT_2 && sock_flag(sk, SOCK_DEAD))
		ttp_stream_wait_arm(sk,
				    READ_ONCE(tn->cfg.stream_fin_timeout_ms));
	return 0;
}

/*
 * A deleted child leaves its listener's queue: the accept queue once its
 * handshake completed, else the SYN queue.  Not from the state: by now
 * the transition that deletes it has made it CLOSED.  Called with the
 * child locked.
 */
static void ttp_stream_child_unqueue(struct sock *sk)
{
	struct ttp_stream_sock *ss = ttp_stream_sk(sk);
	struct sock *parent = ss->parent;
	struct ttp_stream_sock *ls;
	bool queued = false;

	if (!parent)
		return;
	ls = ttp_stream_sk(parent);
	spin_lock_bh(&ls->qlock);
	if (ss->queued) {
		list_del_init(&ss->qnode);
		ss->queued = false;
		if (ss->ready)
			ls->acceptq_len--;
		else
			ls->synq_len--;
		queued = true;
	}
	spin_unlock_bh(&ls->qlock);
	if (!queued)
		return;		/* accept() has it and drops the parent */
	ss->parent = NULL;
	sock_put(parent);
	/* Nobody will accept it: the queue's reference was its last user. */
	sock_set_flag(sk, SOCK_DEAD);
	sock_put(sk);		/* the caller holds another */
}

/*
 * The TCB is deleted: state CLOSED, out of the tables.  @quiet: its
 * connection lives on in the TIME_WAIT table, so no transition is seen.
 */
static void __ttp_stream_done(struct sock *sk, bool quiet)
{
	int old = sk->sk_state;

	if (quiet)
		WRITE_ONCE(sk->sk_state, TTP_CLOSED);
	else
		ttp_stream_set_state(sk, TTP_CLOSED);
	/* A connection was here: reads say EOF, not ENOTCONN. */
	sock_set_flag(sk, SOCK_DONE);
	ttp_stream_timers_stop(sk);
	ttp_stream_send_purge(sk);
	ttp_stream_rcv_purge(sk);
	sk_dst_reset(sk);
	ttp_stream_unhash_conn(sk);
	WRITE_ONCE(sk->sk_shutdown, SHUTDOWN_MASK);
	if (old == TTP_SYN_RECEIVED || ttp_stream_sk(sk)->parent) {
		/* Child queue removal; may mark it dead. */
		ttp_stream_child_unqueue(sk);
	}
	if (sock_flag(sk, SOCK_DEAD) ||
	    !(sk->sk_userlocks & SOCK_BINDPORT_LOCK))
		ttp_stream_unbind(sk);
	if (!sock_flag(sk, SOCK_DEAD))
		sk->sk_state_change(sk);
}

/**
 * ttp_stream_done - the TCB is deleted: state CLOSED, out of the tables
 * @sk: socket, locked; the caller holds a reference
 */
void ttp_stream_done(struct sock *sk)
{
	__ttp_stream_done(sk, false);
}

/* --- listener's children ---------------------------------------------- */

/*
 * The window scale we offer: the smallest that lets the window cover
 * half the receive buffer (what ttp_stream_rcv_window() offers).
 */
static void ttp_stream_choose_wscale(struct sock *sk)
{
	u32 space = ttp_stream_rcvbuf(sk) / 2;
	u8 ws = 0;

	while ((space >> ws) > 65535 && ws < TTP_MAX_WSCALE)
		ws++;
	ttp_stream_sk(sk)->rcv_wscale = ws;
}

static void ttp_stream_write_space(struct sock *sk);
static void ttp_stream_destruct(struct sock *sk);
static struct proto ttp_stream_prot;

static void ttp_stream_init_sock(struct sock *sk)
{
	struct ttp_stream_sock *ss = ttp_stream_sk(sk);

	ss->tn = ttp_net(sock_net(sk));
	sk->sk_protocol = TTPPROTO_STREAM;
	/* As inet_create(): sock_init_data() leaves it NULL. */
	sk->sk_backlog_rcv = ttp_stream_backlog_rcv;
	sk->sk_destruct = ttp_stream_destruct;
	sk->sk_write_space = ttp_stream_write_space;
	sock_set_flag(sk, SOCK_RCU_FREE);
	ttp_stream_timers_init(sk);
	skb_queue_head_init(&ss->ooo_queue);
	spin_lock_init(&ss->qlock);
	INIT_LIST_HEAD(&ss->synq);
	INIT_LIST_HEAD(&ss->acceptq);
	INIT_LIST_HEAD(&ss->qnode);
}

/**
 * ttp_stream_child_alloc - a new socket for a SYN to listener @parent
 * @parent: the listener, locked
 *
 * In state LISTEN (the TCB the SYN found), bound to the listener's port,
 * holding a reference on @parent.  Softirq context.
 */
struct sock *ttp_stream_child_alloc(struct sock *parent)
{
	struct ttp_stream_sock *ls = ttp_stream_sk(parent);
	struct ttp_stream_sock *cs;
	struct sock *sk;

	sk = sk_alloc(sock_net(parent), parent->sk_family, GFP_ATOMIC,
		      &ttp_stream_prot, parent->sk_kern_sock);
	if (!sk)
		return NULL;
	sock_init_data(NULL, sk);
	ttp_stream_init_sock(sk);
	sk->sk_type = SOCK_STREAM;
	sk->sk_uid = parent->sk_uid;
	sk->sk_rcvbuf = READ_ONCE(parent->sk_rcvbuf);
	sk->sk_sndbuf = READ_ONCE(parent->sk_sndbuf);
	sk->sk_bound_dev_if = READ_ONCE(parent->sk_bound_dev_if);
	sk->sk_reuse = parent->sk_reuse;
	sk->sk_userlocks = parent->sk_userlocks &
			   (SOCK_SNDBUF_LOCK | SOCK_RCVBUF_LOCK);
	/* What accept() returns inherits these, as in Linux. */
	if (sock_flag(parent, SOCK_KEEPOPEN))
		sock_set_flag(sk, SOCK_KEEPOPEN);
	if (sock_flag(parent, SOCK_LINGER))
		sock_set_flag(sk, SOCK_LINGER);
	sk->sk_lingertime = READ_ONCE(parent->sk_lingertime);
	sk->sk_state = TTP_LISTEN;
	cs = ttp_stream_sk(sk);
	cs->num = ls->num;
	cs->sport = ls->sport;
	cs->advmss = ls->advmss;
	cs->nodelay = ls->nodelay;
	cs->cork = ls->cork;
	ttp_stream_choose_wscale(sk);
	sock_hold(parent);
	cs->parent = parent;
	return sk;
}

/*
 * A child from ttp_stream_child_alloc(), its addresses and ISN set: into
 * the tables and the SYN queue, and the SYN-ACK goes out.  Called with
 * the listener locked; consumes the child if it cannot be hashed.
 */
void ttp_stream_child_add(struct sock *sk)
{
	struct ttp_stream_sock *cs = ttp_stream_sk(sk);
	struct ttp_stream_sock *ls = ttp_stream_sk(cs->parent);

	bh_lock_sock(sk);
	if (ttp_stream_hash_conn(sk)) {
		bh_unlock_sock(sk);
		sock_put(cs->parent);
		cs->parent = NULL;
		sk_free(sk);
		return;
	}
	spin_lock(&ls->qlock);
	list_add_tail(&cs->qnode, &ls->synq);
	ls->synq_len++;
	cs->queued = true;
	spin_unlock(&ls->qlock);
	ttp_stream_event(sk, TTP_EV_RCV_SYN);
	/* Only now: in bhash as LISTEN it would look like a listener. */
	ttp_stream_bind_child(sk);
	bh_unlock_sock(sk);
}

/* The handshake of a child completed: on to the accept queue. */
void ttp_stream_child_ready(struct sock *sk)
{
	struct ttp_stream_sock *cs = ttp_stream_sk(sk);
	struct sock *parent = cs->parent;
	struct ttp_stream_sock *ls = ttp_stream_sk(parent);

	spin_lock_bh(&ls->qlock);
	if (cs->queued) {
		list_move_tail(&cs->qnode, &ls->acceptq);
		cs->ready = true;
		ls->synq_len--;
		ls->acceptq_len++;
	}
	spin_unlock_bh(&ls->qlock);
	parent->sk_data_ready(parent);
}

/* A closing listener resets every child nobody accepted. */
static void ttp_stream_listen_drain(struct sock *sk)
{
	struct ttp_stream_sock *ls = ttp_stream_sk(sk);
	struct ttp_stream_sock *cs, *tmp;
	LIST_HEAD(children);

	spin_lock_bh(&ls->qlock);
	list_for_each_entry(cs, &ls->synq, qnode)
		cs->queued = false;
	list_for_each_entry(cs, &ls->acceptq, qnode)
		cs->queued = false;
	list_splice_init(&ls->synq, &children);
	list_splice_tail_init(&ls->acceptq, &children);
	ls->synq_len = 0;
	ls->acceptq_len = 0;
	spin_unlock_bh(&ls->qlock);

	list_for_each_entry_safe(cs, tmp, &children, qnode) {
		struct sock *child = &cs->sk;

		list_del_init(&cs->qnode);
		/* Another socket's lock under the listener's: tell lockdep */
		lock_sock_nested(child, SINGLE_DEPTH_NESTING);
		sock_set_flag(child, SOCK_DEAD);
		ttp_stream_event(child, TTP_EV_ABORT);
		cs->parent = NULL;
		release_sock(child);
		sock_put(sk);		/* the child's reference */
		sock_put(child);	/* the queue's reference */
	}
}

/* --- socket calls ----------------------------------------------------- */

static int ttp_stream_bind(struct socket *sock, struct sockaddr *uaddr,
			   int addr_len)
{
	struct sock *sk = sock->sk;
	__be32 addr;
	u16 port;
	int err;

	err = ttp_af_bind_addr(sk, uaddr, addr_len, &addr, &port);
	if (err)
		return err;

	lock_sock(sk);
	if (sk->sk_state != TTP_CLOSED || ttp_stream_sk(sk)->num)
		err = -EINVAL;
	else
		err = ttp_stream_bind_port(sk, addr, port);
	if (!err) {
		if (addr)
			sk->sk_userlocks |= SOCK_BINDADDR_LOCK;
		if (port)
			sk->sk_userlocks |= SOCK_BINDPORT_LOCK;
	}
	release_sock(sk);
	return err;
}

/* Active OPEN: route, source address, port, ISN, SYN.  Locked. */
static int ttp_stream_do_connect(struct sock *sk, __be32 daddr,
				 __be16 dport)
{
	struct ttp_stream_sock *ss = ttp_stream_sk(sk);
	struct ttp_route r;
	int err;

	if (!dport)
		return -ECONNREFUSED;
	err = ttp_route_output(sock_net(sk), &r, daddr, ss->saddr,
			       READ_ONCE(sk->sk_bound_dev_if));
	if (err)
		return err;
	if (!ss->num) {
		err = ttp_stream_bind_port(sk, ss->saddr, 0);
		if (err) {
			/* No free port: what inet_hash_connect() says. */
			err = -EADDRNOTAVAIL;
			goto out;
		}
	}
	if (!ss->saddr)
		WRITE_ONCE(ss->saddr, r.saddr);
	WRITE_ONCE(ss->daddr, daddr);
	WRITE_ONCE(ss->dport, dport);
	err = ttp_stream_hash_conn(sk);
	if (err)
		goto out;
	ss->iss = ttp_stream_isn(ss->saddr, ss->daddr, ss->sport, ss->dport);
	ss->snd_una = ss->iss;
	ss->snd_nxt = ss->iss;
	ss->fin_queued = false;
	ss->fin_rcvd = false;
	ttp_stream_choose_wscale(sk);
	WRITE_ONCE(sk->sk_err, 0);
	WRITE_ONCE(sk->sk_err_soft, 0);
	WRITE_ONCE(sk->sk_shutdown, 0);
	err = ttp_stream_event(sk, TTP_EV_CONNECT);
out:
	ttp_route_put(&r);
	return err;
}

static bool ttp_stream_connecting(const struct sock *sk)
{
	int state = READ_ONCE(sk->sk_state);

	return state == TTP_SYN_SENT || state == TTP_SYN_RECEIVED;
}

/* Sleep until the handshake ends; false when @timeo ran out. */
static bool ttp_stream_wait_connect(struct sock *sk, long *timeo)
{
	DEFINE_WAIT_FUNC(wait, woken_wake_function);

	add_wait_queue(sk_sleep(sk), &wait);
	while (ttp_stream_connecting(sk)) {
		if (!*timeo || signal_pending(current))
			break;
		sk_wait_event(sk, timeo, !ttp_stream_connecting(sk), &wait);
	}
	remove_wait_queue(sk_sleep(sk), &wait);
	return !ttp_stream_connecting(sk);
}

/*
 * connect(AF_UNSPEC): drop the connection (an RST if synchronized, as
 * Linux's tcp_disconnect()) and make the socket usable again.
 */
static void ttp_stream_disconnect(struct sock *sk)
{
	struct ttp_stream_sock *ss = ttp_stream_sk(sk);
	int state = sk->sk_state;

	if (state == TTP_LISTEN)
		ttp_stream_listen_drain(sk);
	if (state != TTP_CLOSED) {
		if (state != TTP_LISTEN && state != TTP_SYN_SENT)
			WRITE_ONCE(sk->sk_err, ECONNRESET);
		if (ttp_stream_event(sk, state == TTP_LISTEN ? TTP_EV_CLOSE :
						 TTP_EV_ABORT))
			ttp_stream_done(sk);
		sk_error_report(sk);
	}
	skb_queue_purge(&sk->sk_receive_queue);
	ttp_stream_send_purge(sk);
	ttp_stream_rcv_purge(sk);
	sk_dst_reset(sk);
	if (!(sk->sk_userlocks & SOCK_BINDADDR_LOCK))
		WRITE_ONCE(ss->saddr, 0);
	WRITE_ONCE(ss->daddr, 0);
	WRITE_ONCE(ss->dport, 0);
	WRITE_ONCE(ss->snd_wnd, 0);
	WRITE_ONCE(ss->rcv_wnd, 0);
	WRITE_ONCE(sk->sk_shutdown, 0);
}

static int ttp_stream_connect(struct socket *sock, struct sockaddr *uaddr,
			      int addr_len, int flags)
{
	struct sockaddr_ttp *sttp = (struct sockaddr_ttp *)uaddr;
	struct sock *sk = sock->sk;
	long timeo;
	int err;

	if (addr_len < (int)sizeof(uaddr->sa_family))
		return -EINVAL;
	/* Only the family matters for AF_UNSPEC, as inet_stream_connect(). */
	if (uaddr->sa_family == AF_UNSPEC) {
		lock_sock(sk);
		ttp_stream_disconnect(sk);
		sock->state = SS_UNCONNECTED;
		release_sock(sk);
		return 0;
	}
	err = ttp_af_check_addr(sk, sttp, addr_len);
	if (err)
		return err;
	lock_sock(sk);
	switch (sock->state) {
	case SS_CONNECTED:
		err = -EISCONN;
		goto out;
	case SS_CONNECTING:
		err = -EALREADY;
		break;
	case SS_UNCONNECTED:
		err = -EISCONN;
		if (sk->sk_state != TTP_CLOSED)
			goto out;
		err = ttp_stream_do_connect(sk, sttp->sttp_addr,
					    sttp->sttp_port);
		if (err)
			goto out;
		sock->state = SS_CONNECTING;
		err = -EINPROGRESS;
		break;
	default:
		err = -EINVAL;
		goto out;
	}
	timeo = sock_sndtimeo(sk, flags & O_NONBLOCK);
	if (ttp_stream_connecting(sk)) {
		if (!timeo)
			goto out;	/* EINPROGRESS or EALREADY */
		if (!ttp_stream_wait_connect(sk, &timeo)) {
			err = signal_pending(current) ?
				sock_intr_errno(timeo) : -EINPROGRESS;
			goto out;
		}
	}
	if (sk->sk_state == TTP_CLOSED) {
		err = sock_error(sk) ? : -ECONNABORTED;
		sock->state = SS_UNCONNECTED;
		goto out;
	}
	sock->state = SS_CONNECTED;
	err = 0;
out:
	release_sock(sk);
	return err;
}

static int ttp_stream_listen(struct socket *sock, int backlog)
{
	struct sock *sk = sock->sk;
	struct ttp_stream_sock *ss = ttp_stream_sk(sk);
	int err = -EINVAL;

	lock_sock(sk);
	if (sock->state != SS_UNCONNECTED)
		goto out;
	if (sk->sk_state == TTP_LISTEN) {
		WRITE_ONCE(ss->backlog, max(backlog, 0));
		err = 0;
		goto out;
	}
	if (sk->sk_state != TTP_CLOSED)
		goto out;
	if (!ss->num) {
		err = ttp_stream_bind_port(sk, ss->saddr, 0);
		if (err)
			goto out;
	}
	WRITE_ONCE(ss->backlog, max(backlog, 0));
	/*
	 * Not a limit yet: each child's SYN-ACK sets the MSS from its own
	 * route (stream_out.c).
	 */
	ss->advmss = 65535;
	err = ttp_stream_listen_start(sk);
out:
	release_sock(sk);
	return err;
}

static struct sock *ttp_stream_accept_one(struct sock *sk)
{
	struct ttp_stream_sock *ls = ttp_stream_sk(sk);
	struct ttp_stream_sock *cs;

	spin_lock_bh(&ls->qlock);
	cs = list_first_entry_or_null(&ls->acceptq, struct ttp_stream_sock,
				      qnode);
	if (cs) {
		list_del_init(&cs->qnode);
		cs->queued = false;
		ls->acceptq_len--;
	}
	spin_unlock_bh(&ls->qlock);
	return cs ? &cs->sk : NULL;
}

static bool ttp_stream_acceptq_empty(struct sock *sk)
{
	return list_empty_careful(&ttp_stream_sk(sk)->acceptq);
}

/* accept() and accept4(); the kernel calls it via compat.h's wrapper. */
int ttp_stream_accept(struct socket *sock, struct socket *newsock, int flags,
		      bool kern)
{
	DEFINE_WAIT_FUNC(wait, woken_wake_function);
	struct sock *sk = sock->sk;
	struct sock *child = NULL;
	long timeo;
	int err = 0;

	lock_sock(sk);
	if (sk->sk_state != TTP_LISTEN) {
		err = -EINVAL;
		goto out;
	}
	timeo = sock_rcvtimeo(sk, flags & O_NONBLOCK);
	add_wait_queue(sk_sleep(sk), &wait);
	while (!(child = ttp_stream_accept_one(sk))) {
		if (sk->sk_state != TTP_LISTEN) {
			err = -EINVAL;
			break;
		}
		if (!timeo) {
			err = -EAGAIN;
			break;
		}
		if (signal_pending(current)) {
			err = sock_intr_errno(timeo);
			break;
		}
		sk_wait_event(sk, &timeo, !ttp_stream_acceptq_empty(sk) ||
			      sk->sk_state != TTP_LISTEN, &wait);
	}
	remove_wait_queue(sk_sleep(sk), &wait);
out:
	release_sock(sk);
	if (!child)
		return err;

	lock_sock(child);
	ttp_stream_sk(child)->parent = NULL;
	sock_graft(child, newsock);
	newsock->state = SS_CONNECTED;
	release_sock(child);
	sock_put(sk);		/* the child's reference on its listener */
	return 0;
}

static int ttp_stream_getname(struct socket *sock, struct sockaddr *uaddr,
			      int peer)
{
	DECLARE_SOCKADDR(struct sockaddr_ttp *, sttp, uaddr);
	struct sock *sk = sock->sk;
	struct ttp_stream_sock *ss = ttp_stream_sk(sk);
	int err;

	lock_sock(sk);
	if (!peer)
		err = ttp_af_fill_name(sttp, sk, ss->saddr, ss->sport);
	else if (sk->sk_state != TTP_CLOSED && sk->sk_state != TTP_LISTEN &&
		 sk->sk_state != TTP_SYN_SENT)
		err = ttp_af_fill_name(sttp, sk, ss->daddr, ss->dport);
	else
		err = -ENOTCONN;
	release_sock(sk);
	return err;
}

/* --- data ------------------------------------------------------------- */

/*
 * ACKs freed send-buffer space: wake a writer once a third of what is
 * queued is free again (as sk_stream_write_space()), not on every ACK.
 */
static void ttp_stream_write_space(struct sock *sk)
{
	int free = ttp_stream_sndbuf(sk) - READ_ONCE(sk->sk_wmem_queued);
	struct socket_wq *wq;

	if (free < READ_ONCE(sk->sk_wmem_queued) / 2 ||
	    !ttp_stream_memory_free(sk))
		return;
	rcu_read_lock();
	wq = rcu_dereference(sk->sk_wq);
	if (skwq_has_sleeper(wq))
		wake_up_interruptible_poll(&wq->wait, EPOLLOUT |
					   EPOLLWRNORM | EPOLLWRBAND);
	if (wq && wq->fasync_list)
		sk_wake_async(sk, SOCK_WAKE_SPACE, POLL_OUT);
	rcu_read_unlock();
}

/* Why a send cannot go on, or 0. */
static int ttp_stream_send_error(struct sock *sk)
{
	int err = sock_error(sk);

	if (err)
		return err;
	if (sk->sk_shutdown & SEND_SHUTDOWN)
		return -EPIPE;
	if (sk->sk_state == TTP_ESTABLISHED || sk->sk_state == TTP_CLOSE_WAIT)
		return 0;
	if (ttp_stream_connecting(sk))
		return 0;
	/* Never connected, listening or closed: EPIPE, as tcp_sendmsg(). */
	return -EPIPE;
}

static bool ttp_stream_send_ready(struct sock *sk)
{
	return (!ttp_stream_connecting(sk) && ttp_stream_memory_free(sk)) ||
	       READ_ONCE(sk->sk_err) ||
	       (READ_ONCE(sk->sk_shutdown) & SEND_SHUTDOWN) ||
	       (READ_ONCE(sk->sk_state) != TTP_ESTABLISHED &&
		READ_ONCE(sk->sk_state) != TTP_CLOSE_WAIT &&
		!ttp_stream_connecting(sk));
}

/* Wait for the handshake or for buffer space; 0 or why not. */
static int ttp_stream_send_wait(struct sock *sk, long *timeo,
				struct wait_queue_entry *wait)
{
	set_bit(SOCK_NOSPACE, &sk->sk_socket->flags);
	if (!*timeo)
		return -EAGAIN;
	if (signal_pending(current))
		return sock_intr_errno(*timeo);
	/* What is queued goes before we sleep (Nagle may hold a part). */
	ttp_stream_push(sk, false);
	/* On the wait queue only to sleep: every wakeup costs the waker. */
	add_wait_queue(sk_sleep(sk), wait);
	sk_wait_event(sk, timeo, ttp_stream_send_ready(sk), wait);
	remove_wait_queue(sk_sleep(sk), wait);
	return 0;
}

/*
 * write(): the bytes are copied once, onto the send queue
 * (stream_send.c), and sent as the windows allow; the call returns when
 * all are queued, waiting for buffer space as needed.
 */
static int ttp_stream_sendmsg(struct socket *sock, struct msghdr *msg,
			      size_t len)
{
	DEFINE_WAIT_FUNC(wait, woken_wake_function);
	struct sock *sk = sock->sk;
	size_t copied = 0;
	bool full = false;
	int err = 0, n, segs = 0;
	long timeo;

	if (msg->msg_flags & MSG_OOB)
		return -EOPNOTSUPP;
	lock_sock(sk);
	timeo = sock_sndtimeo(sk, msg->msg_flags & MSG_DONTWAIT);
	while (copied < len) {
		err = ttp_stream_send_error(sk);
		if (err)
			break;
		if (ttp_stream_connecting(sk) || !ttp_stream_memory_free(sk)) {
			err = ttp_stream_send_wait(sk, &timeo, &wait);
			if (err)
				break;
			continue;
		}
		n = ttp_stream_queue_data(sk, msg, len - copied, &full);
		if (n < 0) {
			err = n;
			break;
		}
		if (!n) {
			/* No memory for a page just now: wait a little. */
			err = ttp_stream_send_wait(sk, &timeo, &wait);
			if (err)
				break;
			continue;
		}
		copied += n;
		/* The last segment of the write goes below, with its PSH. */
		if (!full || copied == len)
			continue;
		/*
		 * Full segments go while we copy more, and every few the
		 * ACKs waiting on the backlog are taken in (as tcp_sendmsg()
		 * does): they open the windows and clock out what follows.
		 */
		if (++segs % 16)
			continue;
		sk_flush_backlog(sk);
		ttp_stream_push(sk, false);
	}
	if (copied) {
		ttp_stream_mark_push(sk);
		ttp_stream_push(sk, false);
	}
	release_sock(sk);
	if (copied)
		return copied;
	if (err == -EPIPE && !(msg->msg_flags & MSG_NOSIGNAL))
		send_sig(SIGPIPE, current, 0);
	return err;
}

static bool ttp_stream_recv_ready(struct sock *sk)
{
	return !skb_queue_empty(&sk->sk_receive_queue) ||
	       READ_ONCE(sk->sk_err) ||
	       (READ_ONCE(sk->sk_shutdown) & RCV_SHUTDOWN) ||
	       READ_ONCE(sk->sk_state) == TTP_CLOSED;
}

/* Copy what the queue holds; returns bytes copied or a negative errno. */
static int ttp_stream_copy(struct sock *sk, struct msghdr *msg, size_t len,
			   int flags, size_t done)
{
	struct ttp_stream_sock *ss = ttp_stream_sk(sk);
	size_t skip = flags & MSG_PEEK ? done : 0;
	struct sk_buff *skb, *tmp;
	size_t copied = 0;
	u32 avail, n;

	skb_queue_walk_safe(&sk->sk_receive_queue, skb, tmp) {
		struct ttp_stream_cb *cb = TTP_STREAM_CB(skb);

		if (copied >= len)
			break;
		avail = skb->len - cb->off;
		if (skip >= avail) {
			skip -= avail;
			continue;
		}
		n = min_t(size_t, avail - skip, len - copied);
		if (skb_copy_datagram_msg(skb, cb->off + skip, msg, n))
			return copied ? copied : -EFAULT;
		skip = 0;
		copied += n;
		if (flags & MSG_PEEK)
			continue;
		cb->off += n;
		WRITE_ONCE(ss->copied_seq, ss->copied_seq + n);
		if (cb->off == skb->len) {
			__skb_unlink(skb, &sk->sk_receive_queue);
			consume_skb(skb);
		}
	}
	return copied;
}

static int ttp_stream_recvmsg(struct socket *sock, struct msghdr *msg,
			      size_t len, int flags)
{
	DEFINE_WAIT_FUNC(wait, woken_wake_function);
	struct sock *sk = sock->sk;
	size_t copied = 0;
	long timeo;
	int target, err = 0, n;

	if (flags & (MSG_OOB | MSG_ERRQUEUE))
		return -EOPNOTSUPP;
	lock_sock(sk);
	/* Listening or never connected; a closed connection reads EOF. */
	if (sk->sk_state == TTP_LISTEN ||
	    (sk->sk_state == TTP_CLOSED && !sock_flag(sk, SOCK_DONE) &&
	     skb_queue_empty(&sk->sk_receive_queue))) {
		err = -ENOTCONN;
		goto out;
	}
	timeo = sock_rcvtimeo(sk, flags & MSG_DONTWAIT);
	target = sock_rcvlowat(sk, flags & MSG_WAITALL, len);
	while (copied < len) {
		n = ttp_stream_copy(sk, msg, len - copied, flags, copied);
		if (n < 0) {
			err = n;
			break;
		}
		copied += n;
		if (copied >= target)
			break;
		if (n) {
			/* Room again: the sender may be waiting for it. */
			if (!(flags & MSG_PEEK))
				ttp_stream_window_update(sk);
			continue;
		}
		if (sk->sk_err) {
			err = sock_error(sk);
			break;
		}
		if ((sk->sk_shutdown & RCV_SHUTDOWN) ||
		    sk->sk_state == TTP_CLOSED)
			break;
		if (!timeo) {
			err = -EAGAIN;
			break;
		}
		if (signal_pending(current)) {
			err = sock_intr_errno(timeo);
			break;
		}
		add_wait_queue(sk_sleep(sk), &wait);
		sk_wait_event(sk, &timeo, ttp_stream_recv_ready(sk), &wait);
		remove_wait_queue(sk_sleep(sk), &wait);
	}
	if (!(flags & MSG_PEEK) && copied)
		ttp_stream_window_update(sk);
out:
	release_sock(sk);
	return copied ? copied : err;
}

static __poll_t ttp_stream_poll(struct file *file, struct socket *sock,
				poll_table *wait)
{
	struct sock *sk = sock->sk;
	int state = READ_ONCE(sk->sk_state);
	u8 shutdown = READ_ONCE(sk->sk_shutdown);
	__poll_t mask = 0;

	sock_poll_wait(file, sock, wait);
	if (state == TTP_LISTEN)
		return ttp_stream_acceptq_empty(sk) ? 0 :
						      EPOLLIN | EPOLLRDNORM;
	if (READ_ONCE(sk->sk_err))
		mask |= EPOLLERR;
	if (shutdown == SHUTDOWN_MASK || state == TTP_CLOSED)
		mask |= EPOLLHUP;
	if (shutdown & RCV_SHUTDOWN)
		mask |= EPOLLIN | EPOLLRDNORM | EPOLLRDHUP;
	if (state == TTP_SYN_SENT || state == TTP_SYN_RECEIVED)
		return mask;
	if (!skb_queue_empty_lockless(&sk->sk_receive_queue))
		mask |= EPOLLIN | EPOLLRDNORM;
	/* As tcp_poll(): a closed socket never blocks a writer. */
	if (shutdown & SEND_SHUTDOWN || state == TTP_CLOSED ||
	    ttp_stream_memory_free(sk))
		mask |= EPOLLOUT | EPOLLWRNORM;
	else
		set_bit(SOCK_NOSPACE, &sk->sk_socket->flags);
	return mask;
}

/* Unread bytes: what arrived in order, minus what was read, no FIN. */
int ttp_stream_inq(const struct sock *sk)
{
	const struct ttp_stream_sock *ss = ttp_stream_sk(sk);
	int state = READ_ONCE(sk->sk_state);

	if (state == TTP_LISTEN || state == TTP_SYN_SENT)
		return 0;
	return READ_ONCE(ss->rcv_nxt) - READ_ONCE(ss->copied_seq) -
	       READ_ONCE(ss->fin_rcvd);
}

static int ttp_stream_ioctl(struct socket *sock, unsigned int cmd,
			    unsigned long arg)
{
	struct sock *sk = sock->sk;
	struct ttp_stream_sock *ss = ttp_stream_sk(sk);
	int amount;

	switch (cmd) {
	case SIOCINQ:
		if (sk->sk_state == TTP_LISTEN)
			return -EINVAL;
		amount = ttp_stream_inq(sk);
		break;
	case SIOCOUTQ:		/* not yet acknowledged, as TCP's */
		if (sk->sk_state == TTP_LISTEN)
			return -EINVAL;
		amount = READ_ONCE(ss->write_seq) - READ_ONCE(ss->snd_una);
		break;
	case SIOCOUTQNSD:	/* not yet sent */
		if (sk->sk_state == TTP_LISTEN)
			return -EINVAL;
		amount = READ_ONCE(ss->write_seq) - READ_ONCE(ss->snd_max);
		break;
	default:
		return -ENOIOCTLCMD;
	}
	return put_user(amount, (int __user *)arg);
}

/* shutdown(SHUT_WR) is RFC 9293's CLOSE: a FIN, reading goes on. */
static int ttp_stream_shutdown(struct socket *sock, int how)
{
	struct sock *sk = sock->sk;
	int err = 0;

	how++;
	if ((how & ~SHUTDOWN_MASK) || !how)
		return -EINVAL;
	lock_sock(sk);
	/* As inet_shutdown(): a listener or a connect in progress ends. */
	switch (sk->sk_state) {
	case TTP_CLOSED:
		err = -ENOTCONN;
		WRITE_ONCE(sk->sk_shutdown, sk->sk_shutdown | how);
		break;
	case TTP_LISTEN:
		if (!(how & RCV_SHUTDOWN))
			break;
		fallthrough;
	case TTP_SYN_SENT:
		ttp_stream_disconnect(sk);
		sock->state = SS_UNCONNECTED;
		break;
	default:
		if ((how & SEND_SHUTDOWN) &&
		    !(sk->sk_shutdown & SEND_SHUTDOWN))
			ttp_stream_event(sk, TTP_EV_CLOSE);
		WRITE_ONCE(sk->sk_shutdown, sk->sk_shutdown | how);
	}
	sk->sk_state_change(sk);
	release_sock(sk);
	return err;
}

/* TTP_NODELAY, TTP_CORK: as TCP_NODELAY and TCP_CORK. */
static int ttp_stream_setsockopt(struct socket *sock, int level, int optname,
				 sockptr_t optval, unsigned int optlen)
{
	struct sock *sk = sock->sk;
	struct ttp_stream_sock *ss = ttp_stream_sk(sk);
	int val;

	if (level != SOL_TTP)
		return -ENOPROTOOPT;
	if (optname != TTP_NODELAY && optname != TTP_CORK)
		return -ENOPROTOOPT;
	if (optlen < sizeof(int))
		return -EINVAL;
	if (copy_from_sockptr(&val, optval, sizeof(val)))
		return -EFAULT;
	lock_sock(sk);
	if (optname == TTP_NODELAY)
		WRITE_ONCE(ss->nodelay, !!val);
	else
		WRITE_ONCE(ss->cork, !!val);
	/* Setting NODELAY or clearing CORK sends what was held, now. */
	if (optname == TTP_NODELAY ? val : !val)
		ttp_stream_push(sk, true);
	release_sock(sk);
	return 0;
}

/* TTP_INFO's data-path part. */
static void ttp_stream_xfer_info(struct sock *sk, struct ttp_info *info)
{
	struct ttp_stream_sock *ss = ttp_stream_sk(sk);
	struct sk_buff *skb;
	u32 n = 0;

	info->ttpi_rtt_us = ss->srtt_us >> 3;
	info->ttpi_rttvar_us = ss->rttvar_us >> 2;
	info->ttpi_min_rtt_us = ss->min_rtt_us == U32_MAX ? 0 : ss->min_rtt_us;
	info->ttpi_snd_cwnd = ss->cwnd;
	info->ttpi_snd_ssthresh = ss->ssthresh;
	info->ttpi_ca_state = ss->ca_state;
	info->ttpi_dupacks = ss->dupacks;
	info->ttpi_backoff = ss->retries;
	info->ttpi_probes = ss->probes;
	skb_queue_walk(&sk->sk_write_queue, skb) {
		if (skb == ss->send_head)
			break;
		n++;
	}
	info->ttpi_unacked = n;
	info->ttpi_lost = ss->lost;
	info->ttpi_total_retrans = ss->total_retrans;
	info->ttpi_win_probes = ss->win_probes;
	info->ttpi_notsent_bytes = ss->write_seq - ss->snd_max;
	n = 0;
	skb_queue_walk(&ss->ooo_queue, skb)
		n += skb->len;
	info->ttpi_ooo_bytes = n;
	info->ttpi_bytes_sent = ss->bytes_sent;
	info->ttpi_bytes_retrans = ss->bytes_retrans;
}

/* TTP_INFO, under lock_sock(). */
static void ttp_stream_get_info(struct sock *sk, struct ttp_info *info)
{
	const struct ttp_net_cfg *cfg = &ttp_stream_tn(sk)->cfg;
	struct ttp_stream_sock *ss = ttp_stream_sk(sk);
	bool synced = sk->sk_state != TTP_CLOSED &&
		      sk->sk_state != TTP_LISTEN &&
		      sk->sk_state != TTP_SYN_SENT;
	unsigned long expires;

	memset(info, 0, sizeof(*info));
	info->ttpi_state = sk->sk_state;
	if (ss->wscale_ok)
		info->ttpi_options |= TTPI_OPT_WSCALE;
	if (sock_flag(sk, SOCK_KEEPOPEN))
		info->ttpi_options |= TTPI_OPT_KEEPALIVE;
	if (sock_flag(sk, SOCK_LINGER))
		info->ttpi_options |= TTPI_OPT_LINGER;
	info->ttpi_snd_wscale = ss->snd_wscale;
	info->ttpi_rcv_wscale = ss->rcv_wscale;
	info->ttpi_retransmits = ss->retries;
	info->ttpi_keepalive_probes = ss->ka_probes;
	info->ttpi_rto_ms = jiffies_to_msecs(ss->rto);
	info->ttpi_timer = ttp_stream_timer_pending(sk, &expires);
	if (info->ttpi_timer && time_after(expires, jiffies))
		info->ttpi_timer_ms = jiffies_to_msecs(expires - jiffies);
	info->ttpi_snd_mss = ss->mss;
	info->ttpi_rcv_mss = ss->advmss;
	info->ttpi_iss = ss->iss;
	info->ttpi_snd_una = ss->snd_una;
	info->ttpi_snd_nxt = ss->snd_nxt;
	info->ttpi_snd_wnd = ss->snd_wnd;
	info->ttpi_irs = ss->irs;
	info->ttpi_rcv_nxt = ss->rcv_nxt;
	info->ttpi_rcv_wnd = ss->rcv_wnd;
	info->ttpi_sndbuf = ttp_stream_sndbuf(sk);
	info->ttpi_rcvbuf = ttp_stream_rcvbuf(sk);
	info->ttpi_send_queue = ss->write_seq - ss->snd_una;
	info->ttpi_recv_queue = ttp_stream_inq(sk);
	info->ttpi_keepalive_time_ms = READ_ONCE(cfg->stream_keepalive_time_ms);
	info->ttpi_keepalive_intvl_ms =
		READ_ONCE(cfg->stream_keepalive_intvl_ms);
	info->ttpi_keepalive_cnt = READ_ONCE(cfg->stream_keepalive_probes);
	info->ttpi_fin_timeout_ms = READ_ONCE(cfg->stream_fin_timeout_ms);
	info->ttpi_time_wait_ms = READ_ONCE(cfg->stream_time_wait_ms);
	info->ttpi_segs_in = ss->segs_in;
	info->ttpi_segs_out = ss->segs_out;
	ttp_stream_xfer_info(sk, info);
	if (!synced)
		return;
	/* Sequence space minus the SYNs and FINs: the payload bytes. */
	info->ttpi_bytes_received = ss->rcv_nxt - ss->irs - 1 - ss->fin_rcvd;
	info->ttpi_bytes_acked = ss->snd_una - ss->iss - 1 -
		(ss->fin_queued && ss->snd_una == ss->write_seq);
}

static int ttp_stream_getsockopt(struct socket *sock, int level, int optname,
				 char __user *optval, int __user *optlen)
{
	struct sock *sk = sock->sk;
	struct ttp_stream_sock *ss = ttp_stream_sk(sk);
	struct ttp_info info;
	int len;

	if (level != SOL_TTP)
		return -ENOPROTOOPT;
	if (get_user(len, optlen))
		return -EFAULT;
	if (len < 0)
		return -EINVAL;
	if (optname == TTP_NODELAY || optname == TTP_CORK) {
		int val = optname == TTP_NODELAY ? READ_ONCE(ss->nodelay) :
						   READ_ONCE(ss->cork);

		len = min_t(unsigned int, len, sizeof(val));
		if (put_user(len, optlen) || copy_to_user(optval, &val, len))
			return -EFAULT;
		return 0;
	}
	if (optname != TTP_INFO)
		return -ENOPROTOOPT;
	len = min_t(unsigned int, len, sizeof(info));
	lock_sock(sk);
	ttp_stream_get_info(sk, &info);
	release_sock(sk);
	if (put_user(len, optlen) || copy_to_user(optval, &info, len))
		return -EFAULT;
	return 0;
}

/*
 * close(): RFC 9293's CLOSE, or ABORT (an RST) when data is left unread
 * or SO_LINGER is {1, 0}, as Linux does.  The socket lives on as an
 * orphan until its connection is over.
 */
static int ttp_stream_release(struct socket *sock)
{
	struct sock *sk = sock->sk;
	struct ttp_net *tn;
	bool abort;

	if (!sk)
		return 0;
	tn = ttp_stream_tn(sk);
	lock_sock(sk);
	abort = !skb_queue_empty(&sk->sk_receive_queue) ||
		(sock_flag(sk, SOCK_LINGER) && !sk->sk_lingertime);
	skb_queue_purge(&sk->sk_receive_queue);
	sock_orphan(sk);
	sock->sk = NULL;
	switch (sk->sk_state) {
	case TTP_CLOSED:
		ttp_stream_done(sk);
		break;
	case TTP_LISTEN:
		ttp_stream_listen_drain(sk);
		ttp_stream_event(sk, TTP_EV_CLOSE);
		break;
	default:
		/*
		 * After shutdown(SHUT_WR) there is no CLOSE transition: the
		 * FIN went already, and the state machine goes on alone.
		 */
		if (abort)
			ttp_stream_event(sk, TTP_EV_ABORT);
		else
			ttp_stream_event(sk, TTP_EV_CLOSE);
	}
	WRITE_ONCE(sk->sk_shutdown, SHUTDOWN_MASK);
	/* Bound the life of an orphan whose peer went silent. */
	switch (sk->sk_state) {
	case TTP_FIN_WAIT_1:
	case TTP_FIN_WAIT_2:
	case TTP_CLOSING:
	case TTP_LAST_ACK:
		ttp_stream_wait_arm(sk, READ_ONCE(tn->cfg.stream_fin_timeout_ms));
		break;
	}
	release_sock(sk);
	sock_put(sk);
	return 0;
}

/* Segments left on queues when the last reference goes. */
static void ttp_stream_destruct(struct sock *sk)
{
	skb_queue_purge(&sk->sk_receive_queue);
	ttp_stream_send_purge(sk);
	ttp_stream_rcv_purge(sk);
	sk_dst_reset(sk);
}

static const struct proto_ops ttp_stream_ops = {
	.family		= PF_TTP,
	.owner		= THIS_MODULE,
	.release	= ttp_stream_release,
	.bind		= ttp_stream_bind,
	.connect	= ttp_stream_connect,
	.socketpair	= sock_no_socketpair,
	.accept		= ttp_compat_stream_accept,
	.getname	= ttp_stream_getname,
	.poll		= ttp_stream_poll,
	.ioctl		= ttp_stream_ioctl,
	.gettstamp	= sock_gettstamp,
	.listen		= ttp_stream_listen,
	.shutdown	= ttp_stream_shutdown,
	.setsockopt	= ttp_stream_setsockopt,
	.getsockopt	= ttp_stream_getsockopt,
	.sendmsg	= ttp_stream_sendmsg,
	.recvmsg	= ttp_stream_recvmsg,
	.mmap		= sock_no_mmap,
};

/*
 * No .owner: a socket's file holds the module through ttp_stream_ops,
 * but an orphan (closed, still closing) must not keep rmmod waiting for
 * its timers; the namespace exit of module unload resets orphans
 * instead (ttp_stream_exit_ns()), and segments never point back at a
 * socket once they leave the module (ttp_stream_xmit()).
 */
static struct proto ttp_stream_prot = {
	.name		= "TTP_STREAM",
	.obj_size	= sizeof(struct ttp_stream_sock),
	.backlog_rcv	= ttp_stream_backlog_rcv,
	.release_cb	= ttp_stream_release_cb,
	.keepalive	= ttp_stream_keepalive,
};

int ttp_stream_create(struct net *net, struct socket *sock, int protocol,
		      int kern)
{
	struct sock *sk;

	sk = sk_alloc(net, ttp_af_family(), GFP_KERNEL, &ttp_stream_prot, kern);
	if (!sk)
		return -ENOBUFS;
	sock->ops = &ttp_stream_ops;
	sock->state = SS_UNCONNECTED;
	sock_init_data(sock, sk);
	ttp_stream_init_sock(sk);
	ttp_stream_sk(sk)->mss = 536;
	/* net.ttp.stream_wmem/rmem's defaults, as tcp_wmem/tcp_rmem's. */
	sk->sk_sndbuf = READ_ONCE(ttp_net(net)->cfg.stream_wmem[1]);
	sk->sk_rcvbuf = READ_ONCE(ttp_net(net)->cfg.stream_rmem[1]);
	return 0;
}

int ttp_stream_init(void)
{
	int err;

	err = ttp_stream_tw_init();
	if (err)
		return err;
	err = proto_register(&ttp_stream_prot, 1);
	if (err)
		ttp_stream_tw_exit();
	return err;
}

/* After the namespaces' exit and an rcu_barrier(): no socket is left. */
void ttp_stream_exit(void)
{
	proto_unregister(&ttp_stream_prot);
	ttp_stream_tw_exit();
}
