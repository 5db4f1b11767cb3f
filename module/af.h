/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _TTP_AF_H
#define _TTP_AF_H

int ttp_af_init(int family);
void ttp_af_exit(void);

/* The address family number TTP registered (AF_TTP unless overridden). */
int ttp_af_family(void);

#endif /* _TTP_AF_H */
