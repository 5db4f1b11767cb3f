# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash disable=SC2034
#
# Kernel log lines that fail a test run (an ERE for grep -E), shared by
# scripts/vm-run (the whole boot) and selftests/run.sh (each test's share).
# Sourced, never run.  Boot-time lines like "kmemleak: Kernel memory leak
# detector initialized" must not match.
TTP_KLOG_BAD='WARNING:|BUG:|^(\[ *[0-9.]+\] )?BUG |kernel BUG at|Oops|general protection fault'
TTP_KLOG_BAD+='|Kernel panic|KASAN:|UBSAN:|kmemleak: .*suspected memory leak|unreferenced object 0x'
TTP_KLOG_BAD+='|possible circular locking|possible recursive locking|inconsistent lock state'
TTP_KLOG_BAD+='|lock held when returning|suspicious RCU usage|refcount_t:|Call Trace:'
TTP_KLOG_BAD+='|list_(add|del) corruption|ODEBUG:|ref_tracker:|unregister_netdevice: waiting for'
TTP_KLOG_BAD+='|blocked for more than [0-9]+ seconds|rcu_(sched|preempt) (self-)?detected stall'
TTP_KLOG_BAD+='|Slab corruption|Redzone overwritten|Poison overwritten|Object padding overwritten'
