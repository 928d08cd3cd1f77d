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
step insmod /modules/splitvisor.ko || exit 1
step sh -c 'dmesg | grep splitvisor:'
step ls -l /dev/splitvisor
step vmctl version
step vmctl status
step vmctl hw-check
step vmctl --json status
step rmmod splitvisor
step vmctl status
echo
echo "=== demo done"
exit 0
