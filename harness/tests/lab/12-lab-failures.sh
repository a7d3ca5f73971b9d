#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# A hung guest and a crashed guest are detected, reported with the console log kept, and no
# QEMU process is left behind. A second client while one is attached is refused, naming the
# holder, and the lab keeps running (its agent serves one client: the second's ping would read
# as a hang). Ends with the lab down; the runner boots a fresh one.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
dir=$IOVBENCH_LAB_DIR
pid=$(sed -n 's/^pid=//p' "$dir/lab.state")
# Running, not a zombie waiting for its parent to reap it.
running() { [ -e "/proc/$1" ] && ! grep -q '^State:[[:space:]]*Z' "/proc/$1/status" 2>/dev/null; }

# A second client while the first is attached.
"$IOVBENCH" lab exec --timeout 60 -- sleep 8 >/dev/null 2>&1 &
first=$!
sleep 3
set +e
err=$("$IOVBENCH" lab exec --timeout 5 -- true 2>&1)
rc=$?
set -e
grep -q "in use by another client (pid $first)" <<<"$err" || fail "second client: $err (exit $rc)"
wait "$first" || fail "the first client's command failed beside a second client"
running "$pid" || fail "a second client stopped the lab"
"$IOVBENCH" lab exec --timeout 30 -- true || fail "the lab does not answer after the second client"

# Hang: freeze QEMU, so the agent never answers.
kill -STOP "$pid"
set +e
err=$("$IOVBENCH" lab exec --timeout 1 -- true 2>&1)
rc=$?
set -e
kill -CONT "$pid" 2>/dev/null || true
[ "$rc" = 125 ] || fail "hung guest: exec returned $rc, expected 125"
grep -q "hung" <<<"$err" || fail "hung guest not reported as hung: $err"
sleep 1
! running "$pid" || fail "QEMU $pid left running after a hang"

# Crash: panic the guest kernel (panic=-1 with -no-reboot ends QEMU).
"$IOVBENCH" lab up >/dev/null 2>&1 || fail "lab did not boot again"
pid=$(sed -n 's/^pid=//p' "$dir/lab.state")
set +e
err=$("$IOVBENCH" lab exec --timeout 30 -- sh -c 'echo c >/proc/sysrq-trigger' 2>&1)
rc=$?
set -e
[ "$rc" = 125 ] || fail "crashed guest: exec returned $rc, expected 125"
grep -q "crashed" <<<"$err" || fail "crash not reported: $err"
grep -q "Kernel panic" "$dir/console.log" || fail "console log lost the panic"
sleep 1
! running "$pid" || fail "QEMU $pid left running after a crash"
set +e
"$IOVBENCH" lab status >/dev/null 2>&1
rc=$?
set -e
[ "$rc" != 0 ] || fail "lab status says a crashed lab is running"
