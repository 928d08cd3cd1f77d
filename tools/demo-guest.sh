#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The demo, run inside the test host: load splitvisor, look at it with
# vmctl, run two VMs side by side (one crashing on purpose), unload it.
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

# VM state from vmctl show's text.
state() {
	vmctl show "$1" | sed -n 's/^state: *//p'
}

echo
echo "demo: two VMs on dedicated cores, carved out of the running Linux at run time"
step sh -c 'echo "online CPUs: $(cat /sys/devices/system/cpu/online)"; grep MemFree /proc/meminfo'
vmctl monitor >/tmp/vm-events 2>&1 &
monitor=$!
step vmctl create left --cpu-list 1 --mem 8M --image /guests/compute.elf --cmdline n=3000000
step vmctl create right --cpu-list 2 --mem 4M --image /guests/triple_fault.elf
step sh -c 'echo "online CPUs: $(cat /sys/devices/system/cpu/online)"; grep MemFree /proc/meminfo'
step vmctl list
step vmctl start left
step vmctl start right
while [ "$(state right)" = running ]; do sleep 0.05; done
echo
echo "demo: VM right crashed on purpose (a triple fault); left and the root carry on"
step vmctl show right
step vmctl console right
step vmctl show left
step sh -c 'find /usr /lib -type f | sort | md5sum'
while [ "$(state left)" = running ]; do sleep 0.05; done
step vmctl console left
step vmctl show left
step vmctl destroy left
step vmctl destroy right
kill "$monitor" 2>/dev/null
step cat /tmp/vm-events
step sh -c 'echo "online CPUs: $(cat /sys/devices/system/cpu/online)"; grep MemFree /proc/meminfo'
step rmmod splitvisor
step sh -c 'dmesg | grep splitvisor: | tail -n 3'
echo
echo "=== demo done"
exit 0
