/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _TTP_AF_H
#define _TTP_AF_H

#include <linux/types.h>

int ttp_af_init(int family);
void ttp_af_exit(void);

/* The address family number TTP registered (AF_TTP unless overridden). */
int ttp_af_family(void);

struct sock;
struct sockaddr;
struct sockaddr_ttp;

int ttp_af_check_addr(const struct sock *sk, const struct sockaddr_ttp *sttp,
		      int len);
int ttp_af_bind_addr(struct sock *sk, const struct sockaddr *uaddr, int len,
		     __be32 *addr, u16 *port);

#endif /* _TTP_AF_H */
