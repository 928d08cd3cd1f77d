#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Runs the splitvisor selftests inside the test host, in order (the given
# ones, or the default list for a capable VMX CPU), and prints
# one summary line for the host to read:
#   splitvisor-selftests: pass=N fail=N skip=N
# A test program that dies before printing its totals counts as one failure.
# Output is shown as it comes (a test host that runs out of time shows
# where it was), and kept to read the totals from.
cd "$(dirname "$0")" || exit 1
set -o pipefail

TESTS=${*:-test_module test_chardev test_netlink test_vmctl test_vmx test_module_cycles test_fuzz_ctl test_kernel_log}
pass=0 fail=0 skip=0

# What the kernel had logged and was tainted with before the first test.
./kmsg_mark > /tmp/splitvisor-selftests.baseline || fail=$((fail + 1))

for t in $TESTS; do
	echo "# selftest: $t"
	./"$t" 2>&1 | tee "/tmp/$t.tap"
	rc=$?
	totals=$(grep '^# Totals:' "/tmp/$t.tap" | tail -n 1)
	if [ -z "$totals" ]; then
		echo "# $t: exited $rc without totals"
		fail=$((fail + 1))
		continue
	fi
	p=$(echo "$totals" | sed -n 's/.*Totals: pass:\([0-9]*\).*/\1/p')
	f=$(echo "$totals" | sed -n 's/.* fail:\([0-9]*\).*/\1/p')
	s=$(echo "$totals" | sed -n 's/.* skip:\([0-9]*\).*/\1/p')
	e=$(echo "$totals" | sed -n 's/.* error:\([0-9]*\).*/\1/p')
	pass=$((pass + p))
	fail=$((fail + f + e))
	skip=$((skip + s))
	if [ "$rc" -ne 0 ] && [ "$((f + e))" -eq 0 ]; then
		echo "# $t: exited $rc"
		fail=$((fail + 1))
	fi
done

echo "splitvisor-selftests: pass=$pass fail=$fail skip=$skip"
[ "$fail" -eq 0 ]
