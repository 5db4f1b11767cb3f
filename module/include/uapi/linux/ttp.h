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

#endif /* _UAPI_LINUX_TTP_H */
