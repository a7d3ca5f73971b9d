#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The agent contract: exit status and both streams come back, a command past its timeout is
# killed (with its children), files go in and out byte for byte.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

set +e
out=$("$IOVBENCH" lab exec -- sh -c 'echo to-out; echo to-err >&2; exit 7' 2>"$tmp/err")
rc=$?
set -e
[ "$rc" = 7 ] || fail "exit status $rc, expected 7"
[ "$out" = to-out ] || fail "stdout '$out'"
grep -qx to-err "$tmp/err" || fail "stderr '$(cat "$tmp/err")'"

start=$(date +%s)
set +e
"$IOVBENCH" lab exec --timeout 2 -- sh -c 'sleep 60 & sleep 60' 2>"$tmp/err"
rc=$?
set -e
took=$(($(date +%s) - start))
[ "$rc" = 137 ] || fail "timed-out command returned $rc, expected 137 (SIGKILL)"
grep -q "killed after 2 s" "$tmp/err" || fail "no timeout message: $(cat "$tmp/err")"
[ "$took" -lt 20 ] || fail "timeout took ${took}s"
[ "$(guest 'cat /proc/[0-9]*/comm 2>/dev/null | grep -cx sleep || true')" = 0 ] || fail "children of a timed-out command survived"

head -c 300000 /dev/urandom >"$tmp/blob"
"$IOVBENCH" lab put "$tmp/blob" /tmp/blob
"$IOVBENCH" lab get /tmp/blob "$tmp/back"
cmp "$tmp/blob" "$tmp/back" || fail "file changed on the round trip"
"$IOVBENCH" lab get /proc/interrupts "$tmp/irq"
grep -q CPU0 "$tmp/irq" || fail "reading a /proc file (size 0) returned nothing"
set +e
"$IOVBENCH" lab get /nonexistent "$tmp/x" 2>"$tmp/err"
rc=$?
set -e
{ [ "$rc" != 0 ] && grep -q "No such file" "$tmp/err"; } || fail "missing file not reported: $(cat "$tmp/err")"
