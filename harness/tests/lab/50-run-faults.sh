#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Faults under traffic through `iovbench run`, short (the entries vf-flr-g2g and pf-link-g2g of
# workloads/suite-robustness.suite are the long form): a TCP stream between two guests on our
# pair while the receiver's VF is reset, or the PF's link taken down for a second, every other
# 3 s. Each experiment survives (ok, the stream completes), every fault is recovered from and
# timed, and the driver domain's kernel log holds no warning from the repetition. The recovery times are printed, not bounded: they depend on
# the host's speed.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
top=$(cd "$(dirname "$0")/../../.." && pwd)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
run_suite "$out" faults <<'SUITE'
[suite faults]
description = lab test 50: VF FLRs and PF link flaps under a TCP stream, short
reps = 1
duration_s = 13
omit_s = 1
nic = vf

[entry vf-flr-g2g]
workload = tcp-stream
pattern = guest-to-guest
guests = 2
vf_flr_toggle_s = 3

[entry pf-link-g2g]
workload = tcp-stream
pattern = guest-to-guest
guests = 2
pf_link_toggle_s = 3
SUITE
python3 - "$top/results-schema/result.schema.json" "$out/results/latest/result.json" <<'PY' || fail "result check failed"
import json, sys
import jsonschema
schema, doc = (json.load(open(p)) for p in sys.argv[1:3])
jsonschema.Draft202012Validator(schema).validate(doc)
assert sorted(x["entry"] for x in doc["experiments"]) == ["pf-link-g2g", "vf-flr-g2g"]
for x in doc["experiments"]:
    assert x["status"] == "ok", f'{x["id"]}: {x["status"]}: {x.get("reason")}'
    m = {k: v["values"][0] for k, v in x["metrics"].items() if v["values"]}
    assert m["fault_count"] >= 1, m.get("fault_count")
    assert m["fault_unrecovered_count"] == 0, f'{x["entry"]}: a fault our pair did not recover from'
    assert m["fault_recovery_p50_s"] > 0 and m["fault_recovery_max_s"] >= m["fault_recovery_p50_s"]
    assert m["kernel_warnings_count"] == 0, f'{x["entry"]}: kernel warnings during the faults'
    assert m["throughput_bps"] > 0
    assert not any(k.startswith("drv_") for k in m), "driver counters across faults are no measurement"
    print(f'ok: {x["entry"]}: {m["fault_count"]:.0f} faults under traffic, all recovered, median '
          f'{m["fault_recovery_p50_s"]:.2f} s, longest {m["fault_recovery_max_s"]:.2f} s, no kernel warning')
PY
