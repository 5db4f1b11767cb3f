// SPDX-License-Identifier: GPL-2.0
/*
 * The connection state machine of RFC 9293 (3.3.2, figure 5), as ONE
 * table: state x event -> next state + actions.
 *
 * Every state change of a stream socket goes through this table
 * (ttp_stream_event() in stream.c); the rest of the code decides which
 * event a segment or a call is, never which state comes next.  The
 * documentation's diagram and the tests are checked against this table,
 * so change it here and nowhere else.
 *
 * Events of stream_in.c come from segments that already passed the
 * sequence, ACK and RFC 5961 RST checks.  A cell that is not .valid is a
 * transition RFC 9293 does not have: the caller treats the event as
 * ignored (or as an error of the call).
 */
#include "stream.h"

#define T(state, ev, nxt, act)					\
	[TTP_##state][TTP_EV_##ev] = {				\
		.valid = 1, .next = TTP_##nxt, .actions = (act) }

#define SYN	TTP_ACT_SEND_SYN
#define SYNACK	TTP_ACT_SEND_SYNACK
#define FIN	TTP_ACT_SEND_FIN
#define ACK	TTP_ACT_SEND_ACK
#define RST	TTP_ACT_SEND_RST
#define TW	TTP_ACT_TIMEWAIT
#define DEL	TTP_ACT_DELETE

const struct ttp_stream_trans
ttp_stream_fsm[TTP_NR_STATES][TTP_NR_EVENTS] = {
	/* opening */
	T(CLOSED,	CONNECT,	SYN_SENT,	SYN),
	T(CLOSED,	LISTEN,		LISTEN,		0),
	T(LISTEN,	CLOSE,		CLOSED,		DEL),
	T(LISTEN,	ABORT,		CLOSED,		DEL),
	/* a listener's SYN makes a child: the child takes this one */
	T(LISTEN,	RCV_SYN,	SYN_RECEIVED,	SYNACK),
	T(SYN_SENT,	RCV_SYNACK,	ESTABLISHED,	ACK),
	/* simultaneous open */
	T(SYN_SENT,	RCV_SYN,	SYN_RECEIVED,	SYNACK),
	T(SYN_SENT,	CLOSE,		CLOSED,		DEL),
	T(SYN_SENT,	ABORT,		CLOSED,		DEL),
	T(SYN_SENT,	RCV_RST,	CLOSED,		DEL),
	T(SYN_SENT,	TIMEOUT,	CLOSED,		DEL),
	T(SYN_RECEIVED,	RCV_ACK,	ESTABLISHED,	0),
	T(SYN_RECEIVED,	RCV_FIN,	CLOSE_WAIT,	ACK),
	T(SYN_RECEIVED,	CLOSE,		FIN_WAIT_1,	FIN),
	T(SYN_RECEIVED,	ABORT,		CLOSED,		RST | DEL),
	T(SYN_RECEIVED,	RCV_RST,	CLOSED,		DEL),
	T(SYN_RECEIVED,	TIMEOUT,	CLOSED,		DEL),
	/* data transfer */
	T(ESTABLISHED,	CLOSE,		FIN_WAIT_1,	FIN),
	T(ESTABLISHED,	ABORT,		CLOSED,		RST | DEL),
	T(ESTABLISHED,	RCV_FIN,	CLOSE_WAIT,	ACK),
	T(ESTABLISHED,	RCV_RST,	CLOSED,		DEL),
	/* retransmissions (or window probes) unanswered: ETIMEDOUT */
	T(ESTABLISHED,	TIMEOUT,	CLOSED,		DEL),
	/* active close */
	T(FIN_WAIT_1,	RCV_ACK,	FIN_WAIT_2,	0),
	/* simultaneous close */
	T(FIN_WAIT_1,	RCV_FIN,	CLOSING,	ACK),
	T(FIN_WAIT_1,	RCV_FINACK,	TIME_WAIT,	ACK | TW),
	T(FIN_WAIT_1,	ABORT,		CLOSED,		RST | DEL),
	T(FIN_WAIT_1,	RCV_RST,	CLOSED,		DEL),
	T(FIN_WAIT_2,	RCV_FIN,	TIME_WAIT,	ACK | TW),
	T(FIN_WAIT_2,	ABORT,		CLOSED,		RST | DEL),
	T(FIN_WAIT_2,	RCV_RST,	CLOSED,		DEL),
	T(FIN_WAIT_2,	TIMEOUT,	CLOSED,		DEL),
	T(CLOSING,	RCV_ACK,	TIME_WAIT,	TW),
	T(CLOSING,	ABORT,		CLOSED,		RST | DEL),
	T(CLOSING,	RCV_RST,	CLOSED,		DEL),
	/*
	 * TIME_WAIT is an entry of the TIME_WAIT table, not a socket
	 * (stream_tw.c): a retransmitted FIN is ACKed again and restarts
	 * 2MSL (the cell stream_tw.c reads), and 2MSL ends it.
	 */
	T(TIME_WAIT,	RCV_FIN,	TIME_WAIT,	ACK | TW),
	T(TIME_WAIT,	TIMEOUT,	CLOSED,		DEL),
	/* RFC 1337: an RST does not end TIME_WAIT early (no RCV_RST row) */
	/*
	 * The user timeout of RFC 9293 3.10.8: a closed socket whose peer
	 * went silent is deleted after fin_timeout, and any connection
	 * after stream_retries2 unanswered retransmissions.
	 */
	T(FIN_WAIT_1,	TIMEOUT,	CLOSED,		DEL),
	T(CLOSING,	TIMEOUT,	CLOSED,		DEL),
	T(LAST_ACK,	TIMEOUT,	CLOSED,		DEL),
	/* passive close */
	T(CLOSE_WAIT,	CLOSE,		LAST_ACK,	FIN),
	T(CLOSE_WAIT,	ABORT,		CLOSED,		RST | DEL),
	T(CLOSE_WAIT,	RCV_RST,	CLOSED,		DEL),
	T(CLOSE_WAIT,	TIMEOUT,	CLOSED,		DEL),
	T(LAST_ACK,	RCV_ACK,	CLOSED,		DEL),
	T(LAST_ACK,	ABORT,		CLOSED,		RST | DEL),
	T(LAST_ACK,	RCV_RST,	CLOSED,		DEL),
};

static const char *const ttp_stream_state_names[TTP_NR_STATES] = {
	[TTP_CLOSED]		= "CLOSED",
	[TTP_LISTEN]		= "LISTEN",
	[TTP_SYN_SENT]		= "SYN_SENT",
	[TTP_SYN_RECEIVED]	= "SYN_RECEIVED",
	[TTP_ESTABLISHED]	= "ESTABLISHED",
	[TTP_FIN_WAIT_1]	= "FIN_WAIT_1",
	[TTP_FIN_WAIT_2]	= "FIN_WAIT_2",
	[TTP_CLOSE_WAIT]	= "CLOSE_WAIT",
	[TTP_CLOSING]		= "CLOSING",
	[TTP_LAST_ACK]		= "LAST_ACK",
	[TTP_TIME_WAIT]		= "TIME_WAIT",
};

static const char *const ttp_stream_event_names[TTP_NR_EVENTS] = {
	[TTP_EV_CONNECT]	= "CONNECT",
	[TTP_EV_LISTEN]		= "LISTEN",
	[TTP_EV_CLOSE]		= "CLOSE",
	[TTP_EV_ABORT]		= "ABORT",
	[TTP_EV_RCV_SYN]	= "RCV_SYN",
	[TTP_EV_RCV_SYNACK]	= "RCV_SYNACK",
	[TTP_EV_RCV_ACK]	= "RCV_ACK",
	[TTP_EV_RCV_FIN]	= "RCV_FIN",
	[TTP_EV_RCV_FINACK]	= "RCV_FINACK",
	[TTP_EV_RCV_RST]	= "RCV_RST",
	[TTP_EV_TIMEOUT]	= "TIMEOUT",
};

const char *ttp_stream_state_name(int state)
{
	if (state < 0 || state >= TTP_NR_STATES ||
	    !ttp_stream_state_names[state])
		return "?";
	return ttp_stream_state_names[state];
}

const char *ttp_stream_event_name(int event)
{
	if (event < 0 || event >= TTP_NR_EVENTS)
		return "?";
	return ttp_stream_event_names[event];
}
