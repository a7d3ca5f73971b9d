#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The hostile-VF toggle through `iovbench run`, short (workloads/suite-robustness.suite is the
# long form): a TCP stream between two guests while the spare VF's mailbox is fuzzed every other
# 2 s, on iovpf and on igb, interleaved. Every experiment ok; the attacker sent messages on
# both; iovpf counted exactly those it read (the attacker's, but those it wrote over before the
# PF read them), igb counts none (no PF figure, never a zero);
# the bystanders' on/off ratio is in the notes and the summary; the driver domain's kernel log
# holds no warning from the repetition; the result is schema-valid.
# The ratio itself is reported, not asserted: one short repetition decides nothing, and the
# long form gives its CI.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
top=$(cd "$(dirname "$0")/../../.." && pwd)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
run_suite "$out" hostile <<'SUITE'
[suite hostile]
description = lab test 49: a hostile VF beside a TCP stream, short
reps = 1
duration_s = 13
omit_s = 1
nic = vf, vf-inbox
interleave = vf, vf-inbox

[entry hostile-vf-g2g]
workload = tcp-stream
pattern = guest-to-guest
guests = 2
hostile_vf_toggle_s = 2
SUITE
grep -q "^hostile VF toggled inside repetitions" "$out/run.log" || fail "no hostile-VF ratio in the summary"
python3 - "$top/results-schema/result.schema.json" "$out/results/latest/result.json" <<'PY' || fail "result check failed"
import json, sys
import jsonschema
schema, doc = (json.load(open(p)) for p in sys.argv[1:3])
jsonschema.Draft202012Validator(schema).validate(doc)
xs = {x["nic"]: x for x in doc["experiments"]}
assert sorted(xs) == ["vf", "vf-inbox"], sorted(xs)
def one(x, m):
    v = x["metrics"].get(m)
    return v["values"][0] if v else None
for nic, x in xs.items():
    assert x["status"] == "ok", f'{x["id"]}: {x["status"]}: {x.get("reason")}'
    sent = one(x, "hostile_vf_messages_count")
    assert sent and sent > 0, (nic, "no hostile messages", sent)
    assert one(x, "kernel_warnings_count") == 0, (nic, "kernel warnings during the attack")
    ratios = x["notes"].get("hostile_vf_ratios")
    assert ratios and all(r > 0 for r in ratios), (nic, ratios)
    print(f'{nic}: hostile messages {sent:.0f}, unanswered {one(x, "hostile_vf_unanswered_count"):.0f}, '
          f'unread {one(x, "hostile_vf_unread_count"):.0f}, PF counted {one(x, "hostile_vf_pf_counted_count")}, '
          f'bystanders on/off {ratios}')
# the messages the PF read: the attacker's, but those it wrote over before the PF read them
seen = one(xs["vf"], "hostile_vf_messages_count") - one(xs["vf"], "hostile_vf_unread_count")
counted = one(xs["vf"], "hostile_vf_pf_counted_count")
assert counted == seen, f"iovpf counted {counted} of the {seen} hostile messages it read"
assert one(xs["vf-inbox"], "hostile_vf_pf_counted_count") is None, "igb has no per-VF counts"
print("ok: hostile VF beside the stream on iovpf and igb, every message accounted for on iovpf")
PY
# The kernel-log reading sees a warning printed between two snapshots, once, and keeps it.
# shellcheck disable=SC2016 # expanded by the guest's shell
klog=$(guest 'iov_kernel_log >/dev/null; echo "<4>WARNING: iovbench lab test 49" >/dev/kmsg; iov_kernel_log; iov_kernel_log' 60) ||
	fail "iov_kernel_log failed"
echo "$klog"
if [ "$(printf '%s\n' "$klog" | grep -c '^warnings 1$')" != 1 ] ||
	[ "$(printf '%s\n' "$klog" | grep -c '^warnings 0$')" != 1 ]; then
	fail "a warning printed between two readings: expected 'warnings 1' then 'warnings 0'"
fi
printf '%s\n' "$klog" | grep -q '^line [0-9.]* WARNING: iovbench lab test 49$' || fail "the warning's line was not kept"
echo "ok: the kernel log's warning counted once and kept"
