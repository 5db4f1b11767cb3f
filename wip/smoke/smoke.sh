#!/bin/bash
# WIP smoke run for issue 4 (stream sockets); not a selftest.
set -x
S=/work/wt4/build/smoke
insmod /work/wt4/build/smoke.ko || exit 1
T=/sys/kernel/tracing; [ -d $T/events ] || mount -t tracefs nodev $T
echo 1 > $T/events/ttp/ttp_set_state/enable
ip netns add sa; ip netns add sb
ip -n sa link add c0 type ttp
ip -n sa link set c0-peer netns sb name c1
ip -n sa addr add 10.9.0.1/24 dev c0; ip -n sa link set c0 up; ip -n sa link set lo up
ip -n sb addr add 10.9.0.2/24 dev c1; ip -n sb link set c1 up; ip -n sb link set lo up
for n in sa sb; do ip netns exec $n sysctl -q -w net.ttp.stream_time_wait_ms=3000; done
ip netns exec sb $S server 0.0.0.0 5000 > /tmp/srv.out 2>&1 &
for i in $(seq 50); do ip netns exec sb grep -q LISTEN /proc/net/ttp/sockets && break; sleep 0.1; done
ip netns exec sb cat /proc/net/ttp/sockets
timeout 30 ip netns exec sa $S client 10.9.0.2 5000 200000; echo client rc=$?
wait
cat /tmp/srv.out
echo "--- sockets a"; ip netns exec sa cat /proc/net/ttp/sockets
echo "--- sockets b"; ip netns exec sb cat /proc/net/ttp/sockets
echo "--- stats a"; ip netns exec sa grep -E "^(Stream|TimeWait)" /proc/net/ttp/stats
echo "--- stats b"; ip netns exec sb grep -E "^(Stream|TimeWait)" /proc/net/ttp/stats
echo "--- refused"; timeout 10 ip netns exec sa $S client 10.9.0.2 5001 10; echo rc=$?
echo "--- loopback"; ip netns exec sa $S server 10.9.0.1 6000 > /tmp/srv2.out 2>&1 &
for i in $(seq 50); do ip netns exec sa grep -q LISTEN /proc/net/ttp/sockets && break; sleep 0.1; done
timeout 20 ip netns exec sa $S client 10.9.0.1 6000 5000; echo lo rc=$?
wait; cat /tmp/srv2.out
echo "--- TIME_WAIT expiry"
for i in $(seq 100); do ip netns exec sa grep -q TIME_WAIT /proc/net/ttp/sockets || break; sleep 0.1; done
ip netns exec sa cat /proc/net/ttp/sockets
ip netns exec sa grep -E "^TimeWait" /proc/net/ttp/stats
echo "--- trace"; grep -v "^#" $T/trace | head -40
ip netns del sa; ip netns del sb
for i in $(seq 100); do rmmod ttp 2>/dev/null && break; sleep 0.2; done
lsmod | grep -c ttp
echo SMOKE-DONE
