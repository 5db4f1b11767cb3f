/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * TTP, the Teaching TCP/IP Protocol family: the user-space API.
 *
 * User programs include this header to open AF_TTP sockets.  It carries the
 * address family, the socket address, socket options and the on-wire
 * constants that tools (tcpdump filters, tc and nft rules) need.
 */
#ifndef _UAPI_LINUX_TTP_H
#define _UAPI_LINUX_TTP_H

#include <linux/types.h>
#include <linux/socket.h>

/*
 * The address family.  25 is the slot of the never-merged AF_WANPIPE: no
 * in-tree protocol uses it.  The module parameter "family" can move TTP to
 * another free slot; the number in use is in
 * /sys/module/ttp/parameters/family.
 */
#define AF_TTP		25
#define PF_TTP		AF_TTP

/* EtherType of TTP network-layer frames (IEEE 802 local experimental 1). */
#define ETH_P_TTP	0x88B5

/* Protocol numbers in the network header: the IPv4 ones. */
#define TTPPROTO_CONTROL	1	/* ICMP-like control messages */
#define TTPPROTO_STREAM		6	/* TCP layout */
#define TTPPROTO_DGRAM		17	/* UDP layout */

/*
 * struct sockaddr_ttp has the layout of struct sockaddr_in: family, port and
 * a 32-bit address, all in network byte order but the family, then zero
 * padding to 16 bytes.
 */
struct sockaddr_ttp {
	__kernel_sa_family_t	sttp_family;	/* AF_TTP */
	__be16			sttp_port;
	__be32			sttp_addr;
	unsigned char		sttp_zero[8];
};

/*
 * Socket options of stream sockets, level SOL_TTP.  Like SOL_TCP's, the
 * level is only read by the family that owns the socket, so the number
 * cannot clash with another family's.  The option numbers are TCP's.
 */
#define SOL_TTP		299
#define TTP_NODELAY	1	/* int: 1 turns Nagle's algorithm off */
#define TTP_CORK	3	/* int: 1 sends full segments only */
#define TTP_INFO	11	/* struct ttp_info, like TCP_INFO (get only) */

/*
 * Socket options of datagram and control sockets, level SOL_TTP: the
 * network layer's, as IP_TTL and IP_RECVTTL are IPv4's.  Numbered from 64,
 * above every TCP option number, so that no stream option ever clashes.
 *
 * TTP_TTL: int, the TTL of the packets the socket sends, 1..255; -1 sets
 * it back to the namespace's net.ttp.default_ttl (getsockopt then reports
 * that value).  0 and anything above 255 are EINVAL.
 * TTP_RECVTTL: int, 1: recvmsg() adds a control message (cmsg_level
 * SOL_TTP, cmsg_type TTP_TTL, an int) with the received packet's TTL.
 */
#define TTP_TTL		64
#define TTP_RECVTTL	65

/*
 * Control sockets: socket(AF_TTP, SOCK_DGRAM, TTPPROTO_CONTROL), TTP's
 * ping sockets (Documentation/ping.md).  They send echo requests (an
 * 8-byte header of the ICMP layout: type TTP_CTL_ECHO, code 0, then any
 * data; the kernel fills in the identifier, the socket's port, and the
 * checksum) and receive, as whole control messages, the echo replies to
 * their identifier and the errors ("time exceeded", "destination
 * unreachable") that quote one of their echo requests.  Creating one
 * needs CAP_NET_RAW in the network namespace's user namespace.
 */
#define TTP_CTL_ECHOREPLY	0
#define TTP_CTL_DEST_UNREACH	3
#define TTP_CTL_ECHO		8
#define TTP_CTL_TIME_EXCEEDED	11

/* ttpi_ca_state: the congestion-control state */
enum {
	TTPI_CA_OPEN,		/* slow start or congestion avoidance */
	TTPI_CA_RECOVERY,	/* fast recovery (NewReno) */
	TTPI_CA_LOSS,		/* after a retransmission timeout */
};

/* ttpi_state: the RFC 9293 states, numbered as the kernel's TCP_* ones. */
enum {
	TTP_ST_ESTABLISHED = 1,
	TTP_ST_SYN_SENT,
	TTP_ST_SYN_RECEIVED,
	TTP_ST_FIN_WAIT_1,
	TTP_ST_FIN_WAIT_2,
	TTP_ST_TIME_WAIT,
	TTP_ST_CLOSED,
	TTP_ST_CLOSE_WAIT,
	TTP_ST_LAST_ACK,
	TTP_ST_LISTEN,
	TTP_ST_CLOSING,
};

/* ttpi_options */
#define TTPI_OPT_WSCALE		0x01	/* both sides sent window scale */
#define TTPI_OPT_KEEPALIVE	0x02	/* SO_KEEPALIVE is on */
#define TTPI_OPT_LINGER		0x04	/* SO_LINGER is on */
#define TTPI_OPT_ORPHAN		0x08	/* (never seen by the owner) */

/* ttpi_timer: which timer is pending, ttpi_timer_ms after now */
enum {
	TTPI_TIMER_NONE,
	TTPI_TIMER_RTX,		/* SYN or SYN-ACK retransmission */
	TTPI_TIMER_FIN_WAIT_2,	/* orphan FIN_WAIT_2 / user timeout */
	TTPI_TIMER_KEEPALIVE,
	TTPI_TIMER_PERSIST,	/* zero-window probe */
	TTPI_TIMER_DELACK,	/* delayed ACK */
};

/*
 * struct ttp_info: a snapshot of a stream connection, in the spirit of
 * struct tcp_info.  Sequence numbers are absolute; subtract ttpi_iss /
 * ttpi_irs for the relative ones tcpdump and Wireshark show.  Times are
 * in milliseconds.  The kernel copies min(optlen, sizeof(struct ttp_info))
 * bytes and later versions only append fields.
 */
struct ttp_info {
	__u8	ttpi_state;
	__u8	ttpi_options;		/* TTPI_OPT_* */
	__u8	ttpi_snd_wscale;	/* the peer's shift */
	__u8	ttpi_rcv_wscale;	/* ours */
	__u8	ttpi_timer;		/* TTPI_TIMER_* */
	__u8	ttpi_retransmits;	/* RTOs in a row (SYN, SYN-ACK, data) */
	__u8	ttpi_keepalive_probes;	/* unanswered so far */
	__u8	ttpi_pad;

	__u32	ttpi_rto_ms;
	__u32	ttpi_timer_ms;		/* time left on ttpi_timer */
	__u32	ttpi_snd_mss;		/* largest segment we send */
	__u32	ttpi_rcv_mss;		/* MSS we announced */

	__u32	ttpi_iss;
	__u32	ttpi_snd_una;
	__u32	ttpi_snd_nxt;
	__u32	ttpi_snd_wnd;		/* the peer's window, bytes */
	__u32	ttpi_irs;
	__u32	ttpi_rcv_nxt;
	__u32	ttpi_rcv_wnd;		/* the window we offer, bytes */

	__u32	ttpi_sndbuf;
	__u32	ttpi_rcvbuf;
	__u32	ttpi_send_queue;	/* bytes not yet acknowledged */
	__u32	ttpi_recv_queue;	/* bytes not yet read */

	__u32	ttpi_keepalive_time_ms;	/* idle time before probing */
	__u32	ttpi_keepalive_intvl_ms;
	__u32	ttpi_keepalive_cnt;	/* probes before giving up */
	__u32	ttpi_fin_timeout_ms;
	__u32	ttpi_time_wait_ms;	/* 2MSL this connection would wait */

	__u64	ttpi_segs_in;
	__u64	ttpi_segs_out;
	__u64	ttpi_bytes_received;	/* payload, acknowledged by us */
	__u64	ttpi_bytes_acked;	/* payload, acknowledged by the peer */

	/* The data path (appended: older programs read a prefix) */
	__u32	ttpi_rtt_us;		/* smoothed RTT (SRTT) */
	__u32	ttpi_rttvar_us;		/* RTTVAR */
	__u32	ttpi_min_rtt_us;	/* smallest sample; 0: none yet */
	__u32	ttpi_snd_cwnd;		/* congestion window, bytes */
	__u32	ttpi_snd_ssthresh;	/* slow-start threshold, bytes */
	__u8	ttpi_ca_state;		/* TTPI_CA_* */
	__u8	ttpi_dupacks;		/* duplicate ACKs in a row */
	__u8	ttpi_backoff;		/* RTO doublings now in effect */
	__u8	ttpi_probes;		/* unanswered zero-window probes */
	__u32	ttpi_unacked;		/* segments sent, not yet acked */
	__u32	ttpi_lost;		/* segments an RTO declared lost */
	__u32	ttpi_total_retrans;	/* segments retransmitted */
	__u32	ttpi_win_probes;	/* zero-window probes sent */
	__u32	ttpi_notsent_bytes;	/* queued, never sent */
	__u32	ttpi_ooo_bytes;		/* received beyond a hole */
	__u64	ttpi_bytes_sent;	/* payload sent, retransmissions too */
	__u64	ttpi_bytes_retrans;	/* payload retransmitted */
};

#endif /* _UAPI_LINUX_TTP_H */
