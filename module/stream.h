/* SPDX-License-Identifier: GPL-2.0 */
/*
 * TTP stream sockets: socket(AF_TTP, SOCK_STREAM, 0), the TCP service
 * (RFC 9293) on the TTP network layer.
 *
 * Files: stream.c (socket calls), stream_fsm.c (THE transition table),
 * stream_tbl.c (port and connection tables), stream_in.c (segment
 * arrival), stream_out.c (segment building), stream_send.c (the send
 * queue: segmentation, Nagle, windows, retransmission), stream_ack.c
 * (ACKs: RTT and RTO, congestion control, fast recovery), stream_rcv.c
 * (the receive side: reassembly, receive window, delayed ACKs),
 * stream_timer.c (timers).
 */
#ifndef _TTP_STREAM_H
#define _TTP_STREAM_H

#include <linux/ip.h>
#include <linux/list.h>
#include <linux/seq_file.h>
#include <linux/skbuff.h>
#include <linux/spinlock.h>
#include <linux/tcp.h>
#include <linux/timer.h>
#include <net/sock.h>
#include <net/tcp_states.h>

#include "netns.h"

/*
 * The connection states of RFC 9293 3.3.2.  They take the values of the
 * kernel's TCP_* states so that the socket core's own checks of sk_state
 * (TCP_LISTEN, TCP_CLOSE, ...) mean the same on a TTP socket.
 */
enum ttp_stream_state {
	TTP_ESTABLISHED		= TCP_ESTABLISHED,
	TTP_SYN_SENT		= TCP_SYN_SENT,
	TTP_SYN_RECEIVED	= TCP_SYN_RECV,
	TTP_FIN_WAIT_1		= TCP_FIN_WAIT1,
	TTP_FIN_WAIT_2		= TCP_FIN_WAIT2,
	TTP_TIME_WAIT		= TCP_TIME_WAIT,
	TTP_CLOSED		= TCP_CLOSE,
	TTP_CLOSE_WAIT		= TCP_CLOSE_WAIT,
	TTP_LAST_ACK		= TCP_LAST_ACK,
	TTP_LISTEN		= TCP_LISTEN,
	TTP_CLOSING		= TCP_CLOSING,
	TTP_NR_STATES		= TCP_MAX_STATES,
};

/*
 * What drives the state machine: the user's calls and the arrival of
 * segments (already found acceptable by stream_in.c), and timers.
 */
enum ttp_stream_event {
	TTP_EV_CONNECT,		/* connect(): active OPEN */
	TTP_EV_LISTEN,		/* listen(): passive OPEN */
	TTP_EV_CLOSE,		/* close() or shutdown(SHUT_WR): CLOSE */
	TTP_EV_ABORT,		/* SO_LINGER {1,0}, unread data: ABORT */
	TTP_EV_RCV_SYN,		/* SYN without ACK */
	TTP_EV_RCV_SYNACK,	/* SYN with an acceptable ACK */
	TTP_EV_RCV_ACK,		/* ACK of our SYN or of our FIN */
	TTP_EV_RCV_FIN,		/* FIN, our FIN (if any) not acked */
	TTP_EV_RCV_FINACK,	/* FIN that also acks our FIN */
	TTP_EV_RCV_RST,		/* an RST that passed RFC 5961 checks */
	TTP_EV_TIMEOUT,		/* 2MSL, FIN_WAIT_2 timeout, retries out */
	TTP_NR_EVENTS,
};

/* Actions of a transition, done in this order. */
enum {
	TTP_ACT_SEND_SYN	= BIT(0),
	TTP_ACT_SEND_SYNACK	= BIT(1),
	TTP_ACT_SEND_FIN	= BIT(2),	/* FIN|ACK */
	TTP_ACT_SEND_ACK	= BIT(3),
	TTP_ACT_SEND_RST	= BIT(4),
	TTP_ACT_TIMEWAIT	= BIT(5),	/* (re)start the 2MSL timer */
	TTP_ACT_DELETE		= BIT(6),	/* delete the TCB */
};

/* One cell of the table: a valid transition has .valid set. */
struct ttp_stream_trans {
	u8 valid;
	u8 next;			/* enum ttp_stream_state */
	u8 actions;			/* TTP_ACT_* */
};

extern const struct ttp_stream_trans
ttp_stream_fsm[TTP_NR_STATES][TTP_NR_EVENTS];

const char *ttp_stream_state_name(int state);
const char *ttp_stream_event_name(int event);

/* The states in which payload is accepted (RFC 9293 3.10.7.4, seventh) */
static inline bool ttp_stream_receives(int state)
{
	return state == TTP_ESTABLISHED || state == TTP_FIN_WAIT_1 ||
	       state == TTP_FIN_WAIT_2;
}

/* Sequence-number arithmetic modulo 2^32 (RFC 9293 3.4). */
static inline bool ttp_seq_before(u32 a, u32 b)
{
	return (s32)(a - b) < 0;
}

#define ttp_seq_after(a, b)	ttp_seq_before(b, a)

/* a <= b <= c, modulo 2^32 */
static inline bool ttp_seq_between(u32 a, u32 b, u32 c)
{
	return c - a >= b - a;
}

/* Per-namespace tables: see stream_tbl.c. */
#define TTP_STREAM_BHASH_SIZE	256	/* bound sockets, by local port */
#define TTP_STREAM_EHASH_SIZE	1024	/* connections, by 4-tuple */

#define TTP_STREAM_TW_HASH_SIZE	4096	/* TIME_WAIT entries, by 4-tuple */

struct ttp_stream_table {
	spinlock_t lock;		/* writers; readers use RCU */
	struct hlist_head bhash[TTP_STREAM_BHASH_SIZE];	/* sk_bind_node */
	struct hlist_head ehash[TTP_STREAM_EHASH_SIZE];	/* sk_node */
	/* The TIME_WAIT table (stream_tw.c), under the same lock. */
	struct hlist_head tw_ehash[TTP_STREAM_TW_HASH_SIZE];
	struct hlist_head tw_bhash[TTP_STREAM_BHASH_SIZE];
	u32 tw_count;
};

/* A connection's addresses and ports: s = local, d = remote. */
struct ttp_stream_tuple {
	__be32 saddr;
	__be32 daddr;
	__be16 sport;
	__be16 dport;
};

/* Congestion-control states (RFC 5681, RFC 6582); TTPI_CA_* in TTP_INFO. */
enum {
	TTP_CA_OPEN,		/* slow start or congestion avoidance */
	TTP_CA_RECOVERY,	/* NewReno fast recovery */
	TTP_CA_LOSS,		/* after an RTO, until snd_max at that time */
};

/* Whose window a ttp_window trace event shows. */
enum {
	TTP_WIN_OURS,		/* we advertised it */
	TTP_WIN_PEER,		/* the peer did */
};

/* Timer work that found the socket owned, done by release_sock(). */
enum {
	TTP_DEFER_RTX,
	TTP_DEFER_DELACK,
	TTP_DEFER_PROBE,
	TTP_DEFER_WAIT,
	TTP_DEFER_KA,
};

struct ttp_stream_sock {
	struct sock sk;		/* first: sk_alloc() allocates the whole */
	/*
	 * The namespace's TTP state, looked up once: net_generic() takes
	 * the RCU read lock per call, and the data path would otherwise
	 * call it a score of times per segment.  The socket pins its netns.
	 */
	struct ttp_net *tn;

	/* The 4-tuple; written under lock_sock() and the table lock. */
	__be32 saddr;
	__be32 daddr;
	u16 num;		/* local port, host order; 0: unbound */
	__be16 sport;
	__be16 dport;
	bool in_ehash;

	/* Send sequence variables (RFC 9293 3.3.1) */
	u32 snd_una;		/* oldest unacknowledged */
	u32 snd_nxt;		/* next to send (goes back after an RTO) */
	u32 snd_max;		/* highest sent + 1 */
	u32 write_seq;		/* after the last byte (or FIN) queued */
	u32 snd_sml;		/* end of the last short segment sent */
	u32 snd_wnd;		/* peer's window, bytes (unscaled) */
	u32 snd_wl1;		/* SEG.SEQ of the last window update */
	u32 snd_wl2;		/* SEG.ACK of the last window update */
	u32 max_window;		/* largest window the peer offered */
	u32 iss;		/* initial send sequence number */
	/* Receive sequence variables */
	u32 rcv_nxt;		/* next expected */
	u32 rcv_wnd;		/* window we advertised, bytes */
	u32 rcv_adv;		/* right edge advertised: never shrinks */
	u32 rcv_wup;		/* rcv_nxt when we last sent an ACK */
	u32 copied_seq;		/* next byte the reader gets */
	u32 irs;		/* initial receive sequence number */

	u16 mss;		/* largest segment we send */
	u16 advmss;		/* MSS we announced */
	u16 rcv_mss;		/* largest segment seen from the peer */
	u8 snd_wscale;		/* the peer's window shift */
	u8 rcv_wscale;		/* ours */
	bool wscale_ok;		/* both sides sent the option */
	bool fin_queued;	/* our FIN is at write_seq - 1 */
	bool fin_rcvd;		/* the peer's FIN was consumed */
	bool nodelay;		/* TTP_NODELAY: no Nagle */
	bool cork;		/* TTP_CORK: full segments only */
	bool sws_override;	/* the persist timer: any window will do */

	/*
	 * The send queue is sk_write_queue: sent-but-unacknowledged
	 * segments, then unsent ones from @send_head on, in sequence order.
	 */
	struct sk_buff *send_head;
	/* The out-of-order queue: received beyond a hole, by sequence. */
	struct sk_buff_head ooo_queue;

	/* RTT estimation (RFC 6298), microseconds, fixed point */
	u32 srtt_us;		/* SRTT << 3; 0: no sample yet */
	u32 rttvar_us;		/* RTTVAR << 2 */
	u32 min_rtt_us;
	u32 rtt_seq;		/* the timed segment: its ACK is a sample */
	u32 rtt_start_us;	/* when it went; 0: nothing timed (Karn) */
	u32 rto_stamp_us;	/* when the last RTO retransmission went */

	/* Congestion control (RFC 5681, 6582, 6928), bytes */
	u32 cwnd;
	u32 ssthresh;
	u32 cwnd_acked;		/* bytes acked toward the next +MSS in CA */
	u32 recover;		/* snd_max when recovery or loss began */
	u32 prior_cwnd;		/* before the last RTO, for an undo */
	u32 prior_ssthresh;
	u8 ca_state;		/* TTP_CA_* */
	u8 dupacks;
	u8 quickack;		/* segments still to ACK at once */
	bool ack_pending;	/* data received, ACK delayed */
	bool zero_wnd;		/* the last window we advertised was 0 */

	/* Timers (stream_timer.c); each pending one holds a reference. */
	struct timer_list rtx_timer;	/* SYN, SYN-ACK, data retransmission */
	struct timer_list wait_timer;	/* orphan FIN_WAIT_2, user timeout */
	struct timer_list ka_timer;	/* SO_KEEPALIVE */
	struct timer_list probe_timer;	/* zero-window probes (persist) */
	struct timer_list delack_timer;	/* delayed ACK */
	unsigned long deferred;		/* TTP_DEFER_* bits */
	unsigned long rto;		/* jiffies, backed off */
	unsigned long rcv_tstamp;	/* jiffies of the last segment in */
	unsigned long oow_ack_stamp;	/* jiffies: ttp_stream_oow_limited() */
	u8 retries;		/* RTO retransmissions without progress */
	u8 probes;		/* unanswered zero-window probes */
	u8 probe_backoff;	/* persist interval: rto << probe_backoff */
	u8 ka_probes;		/* unanswered keepalive probes */

	/* For TTP_INFO and /proc */
	u32 segs_in;
	u32 segs_out;
	u32 total_retrans;	/* segments retransmitted */
	u32 lost;		/* segments marked lost by RTOs */
	u32 win_probes;		/* zero-window probes sent */
	u64 bytes_sent;		/* payload transmitted, retransmissions too */
	u64 bytes_retrans;

	/* A listener: half-open and ready children, under qlock. */
	spinlock_t qlock;
	struct list_head synq;
	struct list_head acceptq;
	u32 synq_len;
	u32 acceptq_len;
	u32 backlog;

	/*
	 * A child of a listener: a reference on the parent, and its entry
	 * on the parent's synq or acceptq (@queued: on one, @ready: the
	 * acceptq; all under the parent's qlock).
	 */
	struct sock *parent;
	struct list_head qnode;
	bool queued;
	bool ready;
};

static inline struct ttp_stream_sock *ttp_stream_sk(const struct sock *sk)
{
	return container_of(sk, struct ttp_stream_sock, sk);
}

static inline struct ttp_net *ttp_stream_tn(const struct sock *sk)
{
	return ttp_stream_sk(sk)->tn;
}

static inline struct ttp_stream_table *ttp_stream_table(const struct sock *sk)
{
	return ttp_stream_tn(sk)->stream;
}

/*
 * What a segment's header said, parsed once by stream_in.c; skb->cb of
 * a received segment.  @off: bytes of a queued payload already read.
 * On the send queue: @seq, @end_seq (with FIN) and @flags of the
 * segment to build.
 */
struct ttp_stream_cb {
	u32 seq;
	u32 end_seq;		/* seq + payload + SYN + FIN */
	u32 ack;
	u32 len;		/* payload bytes */
	u32 off;
	u16 win;		/* the field, unscaled */
	u16 mss;		/* MSS option, 0: none */
	s8 wscale;		/* window scale option, -1: none */
	u8 flags;
	/* A segment on the send queue: its last transmission. */
	u32 tx_us;
	u8 rtx;			/* times retransmitted */
};

#define TTP_STREAM_CB(skb) ((struct ttp_stream_cb *)(skb)->cb)

/* Options (RFC 9293 3.2, RFC 7323) */
#define TTP_OPT_EOL		0
#define TTP_OPT_NOP		1
#define TTP_OPT_MSS		2
#define TTP_OPT_WSCALE		3
#define TTP_OPTLEN_MSS		4
#define TTP_OPTLEN_WSCALE	3
#define TTP_MAX_WSCALE		14	/* RFC 7323 2.3 */

/* The flags byte of a header: byte 13, CWR ECE URG ACK PSH RST SYN FIN. */
static inline u8 *ttp_th_flags(struct tcphdr *th)
{
	return (u8 *)th + 13;
}

/* TCP header flags, as in the th->flags byte (byte 13). */
#define TTP_TH_FIN	0x01
#define TTP_TH_SYN	0x02
#define TTP_TH_RST	0x04
#define TTP_TH_PSH	0x08
#define TTP_TH_ACK	0x10
#define TTP_TH_URG	0x20

/* stream.c */
int ttp_stream_inq(const struct sock *sk);
int ttp_stream_create(struct net *net, struct socket *sock, int protocol,
		      int kern);
void ttp_stream_set_state(struct sock *sk, int state);
int ttp_stream_event(struct sock *sk, enum ttp_stream_event ev);
void ttp_stream_done(struct sock *sk);
struct sock *ttp_stream_child_alloc(struct sock *parent);
void ttp_stream_child_add(struct sock *child);
void ttp_stream_child_ready(struct sock *child);
int ttp_stream_init(void);
void ttp_stream_exit(void);

/* stream_tbl.c */
int ttp_stream_bind_port(struct sock *sk, __be32 saddr, u16 port);
void ttp_stream_unbind(struct sock *sk);
int ttp_stream_listen_start(struct sock *sk);
void ttp_stream_bind_child(struct sock *sk);
int ttp_stream_hash_conn(struct sock *sk);
void ttp_stream_unhash_conn(struct sock *sk);
struct sock *ttp_stream_lookup_conn(struct ttp_net *tn, __be32 saddr,
				    __be16 sport, __be32 daddr, __be16 dport);
struct sock *ttp_stream_lookup_listener(struct net *net, __be32 daddr,
					__be16 dport, int ifindex);
void ttp_stream_seq_show(struct seq_file *seq, struct ttp_net *tn);
int ttp_stream_init_ns(struct ttp_net *tn);
void ttp_stream_exit_ns(struct ttp_net *tn);

/* stream_tw.c: what ttp_stream_tw_rcv() did with a segment */
enum {
	TTP_TW_NONE,		/* no entry: look for a listener, or RST */
	TTP_TW_DONE,		/* taken, nothing to send */
	TTP_TW_ACK,		/* taken, the entry's ACK went */
	TTP_TW_SYN,		/* a new SYN reused the 4-tuple: listener */
};

bool ttp_stream_tw_enter(struct sock *sk);
int ttp_stream_tw_rcv(struct net *net, struct sk_buff *skb);
bool ttp_stream_tw_port_taken(struct ttp_stream_table *t,
			      const struct sock *sk, __be32 saddr, u16 port,
			      bool strict);
bool ttp_stream_tw_has(struct ttp_stream_table *t,
		       const struct ttp_stream_tuple *k);
void ttp_stream_tw_purge(struct ttp_stream_table *t);
extern const struct seq_operations ttp_stream_tw_seq_ops;
int ttp_stream_tw_init(void);
void ttp_stream_tw_exit(void);

/* stream_in.c */
void ttp_stream_rcv(struct ttp_net *tn, struct sk_buff *skb);
int ttp_stream_backlog_rcv(struct sock *sk, struct sk_buff *skb);

/* stream_out.c */
#define TTP_STREAM_MAX_HDR	(sizeof(struct tcphdr) + 40)

/* Room in front of a segment's payload for every header below it. */
static inline unsigned int ttp_stream_headroom(void)
{
	return LL_MAX_HEADER + sizeof(struct iphdr) + TTP_STREAM_MAX_HDR;
}

u32 ttp_stream_isn(__be32 saddr, __be32 daddr, __be16 sport, __be16 dport);
int ttp_stream_send_ctl(struct sock *sk, u8 flags, u32 seq);
struct ttp_route;
int ttp_stream_route(struct sock *sk, struct ttp_route *r);
int ttp_stream_send_seg(struct sock *sk, const struct ttp_route *r,
			struct sk_buff *skb, u8 flags, u32 seq);
void ttp_stream_send_reset(struct net *net, struct sk_buff *in_skb);
int ttp_stream_send_bare(struct net *net, const struct ttp_stream_tuple *k,
			 u32 seq, u32 ack, u8 flags, u16 win, int oif);

/* stream_send.c */
int ttp_stream_sndbuf(const struct sock *sk);
bool ttp_stream_memory_free(const struct sock *sk);
int ttp_stream_queue_data(struct sock *sk, struct msghdr *msg, size_t len,
			  bool *full);
void ttp_stream_queue_fin(struct sock *sk);
void ttp_stream_mark_push(struct sock *sk);
void ttp_stream_push(struct sock *sk, bool force);
void ttp_stream_retransmit_head(struct sock *sk);
void ttp_stream_probe(struct sock *sk);
void ttp_stream_free_acked(struct sock *sk, u32 ack);
void ttp_stream_send_purge(struct sock *sk);
void ttp_stream_goback(struct sock *sk);
void ttp_stream_undo_goback(struct sock *sk);
u32 ttp_stream_now_us(void);

/* stream_ack.c */
void ttp_stream_cc_init(struct sock *sk);
void ttp_stream_rtt_init(struct sock *sk);
void ttp_stream_rtt_sample(struct sock *sk, u32 rtt_us);
void ttp_stream_ack_handshake(struct sock *sk, const struct ttp_stream_cb *cb,
			      bool syn);
bool ttp_stream_ack(struct sock *sk, const struct ttp_stream_cb *cb);
void ttp_stream_rto_fire(struct sock *sk);

/* stream_rcv.c */
int ttp_stream_rcvbuf(const struct sock *sk);
u16 ttp_stream_rcv_window(struct sock *sk);
bool ttp_stream_data(struct sock *sk, struct sk_buff *skb, bool *fin);
void ttp_stream_ack_sent(struct sock *sk);
void ttp_stream_ack_schedule(struct sock *sk, bool now);
void ttp_stream_window_update(struct sock *sk);
void ttp_stream_rcv_purge(struct sock *sk);
void ttp_stream_set_owner_r(struct sk_buff *skb, struct sock *sk);

/* stream_timer.c */
void ttp_stream_timers_init(struct sock *sk);
void ttp_stream_timers_stop(struct sock *sk);
void ttp_stream_syn_rtx_count(struct sock *sk);
void ttp_stream_rtx_arm(struct sock *sk);
void ttp_stream_rtx_reset(struct sock *sk);
void ttp_stream_rtx_stop(struct sock *sk);
unsigned long ttp_stream_probe_when(const struct sock *sk);
void ttp_stream_probe_arm(struct sock *sk);
void ttp_stream_delack_arm(struct sock *sk);
void ttp_stream_wait_arm(struct sock *sk, unsigned int ms);
void ttp_stream_keepalive(struct sock *sk, int on);
void ttp_stream_soft_error(struct sock *sk, int err);
void ttp_stream_release_cb(struct sock *sk);
int ttp_stream_timer_pending(const struct sock *sk, unsigned long *expires);
bool ttp_stream_oow_limited(struct ttp_net *tn, const struct ttp_stream_cb *cb,
			    unsigned long *stamp);

#endif /* _TTP_STREAM_H */
