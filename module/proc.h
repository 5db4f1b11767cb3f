/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _TTP_PROC_H
#define _TTP_PROC_H

#include "netns.h"

int ttp_proc_init_ns(struct ttp_net *tn);
void ttp_proc_exit_ns(struct ttp_net *tn);

#endif /* _TTP_PROC_H */
