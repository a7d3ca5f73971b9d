# SPDX-License-Identifier: MIT
# shellcheck shell=bash
# lib.sh - host-side helpers for lab integration tests (sourced by harness/tests/lab/NN-*.sh).
# The runner (scripts/run-lab-tests.sh) boots the lab and sets IOVBENCH and IOVBENCH_LAB_DIR.
# A test exits 0 to pass, 77 to skip, anything else to fail, with a one-line reason.

: "${IOVBENCH:?run lab tests through scripts/run-lab-tests.sh}"

fail() {
	echo "FAIL: $*" >&2
	exit 1
}

skip() {
	echo "SKIP: $*" >&2
	exit 77
}

# guest SCRIPT [TIMEOUT_S]: run SCRIPT in the guest with guest-lib.sh sourced and `set -e`.
# Prints the script's stdout; its stderr goes to ours.
guest() {
	"$IOVBENCH" lab exec --timeout "${2:-300}" -- sh -c ". /usr/lib/iovbench/guest-lib.sh; set -e; $1"
}

# kv KEY TEXT: the value of KEY=VALUE in TEXT (tests print their measurements that way).
kv() {
	printf '%s\n' "$2" | sed -n "s/^$1=//p" | tail -n1
}

# A number comparison that fails the test with a reason: check_gt NAME VALUE MIN
check_gt() {
	awk -v v="$2" -v m="$3" 'BEGIN { exit !(v + 0 > m + 0) }' ||
		fail "$1 = $2, expected more than $3"
}

# require_module NAME...: the lab image must carry these modules. A missing one fails the test
# rather than skipping it: make check builds the image, so absence is a build defect.
require_module() {
	local m
	for m in "$@"; do
		guest "modinfo $m >/dev/null 2>&1" 30 || fail "module $m is not in the lab image"
	done
}

# check_qstats OUT: the checks on a netdev's netlink qstats that tests 24 (PF) and 38 (VF)
# share. OUT has nl_rx_bytes, nl_tx_bytes (device scope), rtnl_{rx,tx}_bytes_before (read just
# before them) and rtnl_rx_bytes, rtnl_tx_bytes (just after),
# nl_csum_ok, nl_gso, queue_ids and nl_rx_bytes_after_bounce (after down/up).
check_qstats() {
	# The counters move while they are read (an IPv6 neighbour packet, a late ACK: 70 bytes seen),
	# so the netlink reading must lie between an rtnl reading before it and one after it.
	local dir
	for dir in rx tx; do
		awk -v lo="$(kv rtnl_${dir}_bytes_before "$1")" -v v="$(kv nl_${dir}_bytes "$1")" \
			-v hi="$(kv rtnl_${dir}_bytes "$1")" 'BEGIN { exit !(lo != "" && lo + 0 <= v + 0 && v + 0 <= hi + 0) }' ||
			fail "qstats $dir-bytes $(kv nl_${dir}_bytes "$1") outside rtnl's $(kv rtnl_${dir}_bytes_before "$1")..$(kv rtnl_${dir}_bytes "$1") read around it"
	done
	check_gt "qstats rx-bytes" "$(kv nl_rx_bytes "$1")" 1000000
	check_gt "rx-csum-unnecessary" "$(kv nl_csum_ok "$1")" 0
	check_gt "tx-hw-gso-packets" "$(kv nl_gso "$1")" 0
	[ "$(kv queue_ids "$1")" = "0," ] || fail "queue ids $(kv queue_ids "$1"), expected 0 (one queue pair)"
	awk -v a="$(kv nl_rx_bytes_after_bounce "$1")" -v b="$(kv nl_rx_bytes "$1")" 'BEGIN { exit !(a >= b) }' ||
		fail "device rx-bytes went backwards across down/up"
}

# run_suite OUT NAME: `iovbench run` of the suite NAME whose text is on stdin, beside copies of the
# tree's workloads in OUT/workloads, its result in OUT/results; prints the run's output and fails
# the test when the run does not exit 0 (OUT/run.log keeps the output).
run_suite() {
	local _out=$1 _name=$2 _top _rc
	_top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
	mkdir -p "$_out/workloads"
	cp "$_top"/workloads/*.workload "$_out/workloads/"
	cat >"$_out/workloads/suite-$_name.suite"
	set +e
	"$IOVBENCH" run --workloads "$_out/workloads" --suite "$_name" --out "$_out/results" >"$_out/run.log" 2>&1
	_rc=$?
	set -e
	cat "$_out/run.log"
	[ "$_rc" = 0 ] || fail "iovbench run exited $_rc"
}
