/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _TTP_AF_H
#define _TTP_AF_H

int ttp_af_init(int family);
void ttp_af_exit(void);

#endif /* _TTP_AF_H */
