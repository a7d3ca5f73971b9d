#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# lib.sh - the driver lab tests (driver/tests/lab/NN-*.sh: iovpf, iovvf, their interplay with
# the in-tree igb/igbvf) use the host-side helpers of every lab test, in harness/tests/lab/lib.sh.
# The tests live beside the driver they test; scripts/run-lab-tests.sh runs them and the harness
# lab tests in one sequence, by number.
# shellcheck source=../../../harness/tests/lab/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../../../harness/tests/lab/lib.sh"

# put_mbxtool: build the user-space VF mailbox tool (driver/tests/tools/mbxtool.c) static on the
# host and copy it to /tmp/mbxtool in the lab; skips the test when the host cannot build it.
put_mbxtool() {
	local _dir
	command -v gcc >/dev/null || skip "no host gcc to build the mailbox tool"
	_dir=$(mktemp -d)
	gcc -static -O2 -Wall -Wextra -Werror -o "$_dir/mbxtool" \
		"$(dirname "${BASH_SOURCE[0]}")/../tools/mbxtool.c" || skip "cannot build the mailbox tool"
	"$IOVBENCH" lab put "$_dir/mbxtool" /tmp/mbxtool >/dev/null || fail "lab put failed"
	rm -rf "$_dir"
}
