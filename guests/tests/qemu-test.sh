#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Boots each guest image under QEMU (TCG) and checks its console output and
# exit status, as far as QEMU can show them: QEMU is not splitvisor (it
# has RAM, devices and MSRs where splitvisor has none), so the checks
# here are of the guests themselves; the splitvisor-specific outcomes
# (crashes, #GPs, all-ones ports) are tested inside splitvisor.
#
# isa-debug-exit turns guest status S into QEMU's exit code (S << 1) | 1;
# QEMU exits with 0 when the guest shuts down (-no-reboot: triple fault)
# and timeout(1) with 124 when the guest was still running.

set -u
cd "$(dirname "$0")/.."

QEMU=${QEMU:-qemu-system-x86_64}
HOSTCC=${HOSTCC:-gcc}
pass=0
fail=0

if ! command -v "$QEMU" >/dev/null 2>&1; then
	echo "guests: $QEMU not found: install qemu-system-x86 to test the guests" >&2
	echo "guests: FAILED, no guest was tested" >&2
	exit 1
fi

# run NAME SECONDS CPUS [APPEND]: sets OUT (console) and RC (QEMU's status)
run()
{
	local name=$1 secs=$2 cpus=$3 append=${4-}

	IMG=build/$name.elf
	OUT=$(timeout "$secs" "$QEMU" -accel tcg -display none -serial stdio \
		-no-reboot -device isa-debug-exit,iobase=0xf4,iosize=0x04 \
		-m 64 -smp "$cpus" -kernel "$IMG" -append "$append" \
		2>build/qemu-stderr)
	RC=$?
}

# QEMU's exit code for guest status S
exit_rc()
{
	echo $(( (($1 << 1) | 1) & 255 ))
}

# check DESC WANT_RC...: OUT must match the line regexes on stdin, one each;
# a regex of the form (...)? is a line that may be missing.
check()
{
	local desc=$1 ok=1 i=0 want got rcs
	local -a lines wants

	shift
	rcs=" $* "
	mapfile -t wants
	lines=()
	[ -n "$OUT" ] && mapfile -t lines <<<"$OUT"
	for want in "${wants[@]}"; do
		got=${lines[i]-}
		if [ $i -lt ${#lines[@]} ] && [[ $got =~ ^$want$ ]]; then
			i=$((i + 1))
		elif [[ $want != \(*\)\? ]]; then
			ok=0
		fi
	done
	[ $i = ${#lines[@]} ] || ok=0
	[[ $rcs == *" $RC "* ]] || ok=0
	if [ $ok = 1 ]; then
		echo "ok   $desc (qemu status $RC)"
		pass=$((pass + 1))
	else
		echo "FAIL $desc: qemu status $RC, wanted one of:$rcs"
		echo "---- console:"
		printf '%s\n' "$OUT"
		echo "---- wanted lines (regexes):"
		printf '%s\n' "${wants[@]}"
		echo "---- qemu stderr:"
		cat build/qemu-stderr
		fail=$((fail + 1))
	fi
}

# The workload header as host C, and the figures it documents.
if $HOSTCC -O2 -Wall -Wextra -Werror -o build/compute_host \
	tests/compute_host.c && build/compute_host; then
	echo "ok   compute_work.h builds and runs as userspace C"
	pass=$((pass + 1))
else
	echo "FAIL compute_work.h as userspace C"
	fail=$((fail + 1))
fi

run hello 20 1 "a=1 b=0x2 word"
# QEMU's multiboot loader puts the image's file name before -append.
check "hello" "$(exit_rc 0)" <<END
hello from a splitvisor guest
cmdline: $IMG a=1 b=0x2 word
END

run compute 30 1 "n=1000"
check "compute n=1000" "$(exit_rc 0)" <<'END'
result=0xe1b8a70c1aaa7da9 n=1000 cycles=[0-9]+
END

run compute 60 1
check "compute default n" "$(exit_rc 0)" <<'END'
result=0xa8072e12a7002044 n=1000000 cycles=[0-9]+
END

# TCG (QEMU < 8.1) has no x2APIC: the library says so and uses the xAPIC.
run smp_hello 30 2
check "smp_hello, 2 CPUs" "$(exit_rc 0)" <<'END'
(apic: no x2APIC, using the xAPIC MMIO \(not splitvisor\))?
cpu 0 up
cpu 1 up
all 2 cpus up
END

run smp_hello 60 1
check "smp_hello, 1 CPU: the AP never comes" "$(exit_rc 1)" <<'END'
(apic: no x2APIC, using the xAPIC MMIO \(not splitvisor\))?
cpu 0 up
ap timeout
END

run triple_fault 20 1
check "triple_fault: shutdown" 0 <<'END'
triple fault next
END

# QEMU ignores writes and reads where there is no RAM: the guest survives.
run write_outside 20 1
check "write_outside" "$(exit_rc 0)" <<'END'
writing 0x40000000
write done
END

# Past 4 GiB the guest's own page tables map nothing: #PF, status 0xee.
run write_outside 20 1 "addr=0x100000000"
check "write_outside addr=4G: #PF in the guest" "$(exit_rc 0xee)" <<'END'
writing 0x100000000
exception 14 #PF rip=0x[0-9a-f]+ err=0x2 cr2=0x100000000
END

run read_root 20 1
check "read_root" "$(exit_rc 0)" <<'END'
reading 0x40000000
read 0x40000000 = 0x[0-9a-f]+
END

# QEMU has devices and answers these MSRs: the lines, not the values.
run probe 20 1
check "probe" "$(exit_rc 0)" "$(exit_rc 1)" <<'END'
io 0x60=0x[0-9a-f]{1,2}
io 0x70=0x[0-9a-f]{1,2}
io 0x71=0x[0-9a-f]{1,2}
io 0x1f0=0x[0-9a-f]{1,4}
io 0xcf8=0x[0-9a-f]{1,8}
io 0xcfc=0x[0-9a-f]{1,8}
msr 0x3a=(#GP|0x[0-9a-f]+)
msr 0x480=(#GP|0x[0-9a-f]+)
msr 0x48b=(#GP|0x[0-9a-f]+)
msr 0x491=(#GP|0x[0-9a-f]+)
wrmsr 0x3a=(#GP|ok)
msr 0x1b=0xfee00[0-9a-f]00
msr 0x277=0x[0-9a-f]+
msr 0xc0000080=0x500
probe done
END

# TCG ignores the x2APIC MSRs (no #GP, nothing sent); VMCALL is #UD.
run ipi 20 1
check "ipi" "$(exit_rc 0)" <<'END'
ipis sent
vmcall #UD
END

# An INIT to itself through the xAPIC page resets QEMU's CPU.
run ipi 20 1 "mmio=1"
check "ipi mmio=1: stops after the write" 0 "$(exit_rc 0)" <<'END'
mmio icr write
(mmio icr write done)?
END

run spin 3 1
check "spin: still running after 3 s" 124 <<'END'
spinning with interrupts off
END

echo "guests: $pass passed, $fail failed"
[ "$fail" = 0 ]
