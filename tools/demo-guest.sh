#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The demo, run inside the test host: load splitvisor, look at it with
# vmctl, unload it.
step() {
	echo
	echo "demo\$ $*"
	"$@"
}

echo "=== splitvisor demo: Linux $(uname -r), $(nproc) CPU(s), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2)"
mount -t debugfs none /sys/kernel/debug 2>/dev/null
step insmod /modules/splitvisor.ko || exit 1
step sh -c 'dmesg | grep splitvisor:'
step vmctl status
step vmctl hw-check
step sh -c 'head -n 6 /sys/kernel/debug/splitvisor/hidden'
echo
echo "demo: Linux keeps working while virtualized (a short build-like workload)"
step sh -c 'for i in 1 2 3; do find /usr /lib -type f | sort | md5sum; done'
echo
echo "demo: NMIs still reach Linux (an NMI backtrace of every other CPU), counted per CPU"
step sh -c 'echo l > /proc/sysrq-trigger; dmesg | grep "NMI backtrace for cpu"'
step vmctl stats
step vmctl disable
step vmctl status
step vmctl enable
step vmctl --json stats
step rmmod splitvisor
step sh -c 'dmesg | grep splitvisor: | tail -n 3'
echo
echo "=== demo done"
exit 0
