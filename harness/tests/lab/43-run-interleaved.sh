#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# `iovbench run --interleave`: three SR-IOV kinds measured repetition by repetition. Repetition 1
# of every kind must run before repetition 2 of any, in reversed order the second time (ABBA),
# with the topology rebuilt for the kind on another PF driver; every experiment ok, each naming
# the others it ran with, and the summary giving the paired driver ratios.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
top=$(cd "$(dirname "$0")/../../.." && pwd)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

set +e
"$IOVBENCH" run --nic vf,vf-noinstr,vf-igb-iovvf --interleave all --guests 2 --reps 2 --duration 2 \
	--out "$out" tcp-stream >"$out/run.log" 2>&1
rc=$?
set -e
cat "$out/run.log"
[ "$rc" = 0 ] || fail "iovbench run exited $rc"
order=$(sed -n 's/^iovbench: \[[0-9]*\/[0-9]*\] tcp-stream\.\([a-z-]*\)\.g2g\.2g rep \([0-9]\)\/2 (interleaved).*/\2:\1/p' \
	"$out/run.log" | tr '\n' ' ')
want="1:vf 1:vf-noinstr 1:vf-igb-iovvf 2:vf-igb-iovvf 2:vf-noinstr 2:vf "
[ "$order" = "$want" ] || fail "repetition order '$order', expected '$want'"
grep -q "PF iovpf over igb, VF iovvf (vf / vf-igb-iovvf): [0-9.]* \[[0-9.]*, [0-9.]*\], median [0-9.]*, 2 pairs" \
	"$out/run.log" || fail "no paired PF-driver ratio in the summary"
grep -q "tcp-stream.vf.g2g.2g throughput_bps: on/off [0-9.]*, 95% CI .*, 2 pairs" "$out/run.log" ||
	fail "no instrumentation cost from the vf / vf-noinstr pairs in the summary"
python3 - "$top/results-schema/result.schema.json" "$out/latest/result.json" <<'PY' || fail "result check failed"
import json, sys
import jsonschema
schema, doc = (json.load(open(p)) for p in sys.argv[1:3])
jsonschema.Draft202012Validator(schema).validate(doc)
ids = sorted(x["id"] for x in doc["experiments"])
for x in doc["experiments"]:
    assert x["status"] == "ok", f'{x["id"]}: {x["status"]}: {x["reason"]}'
    others = sorted(x["notes"]["interleaved_with"])
    group = x["id"].rsplit(".", 2)[1:]  # tcp-stream runs both patterns: a group per pattern
    assert others == [i for i in ids if i != x["id"] and i.rsplit(".", 2)[1:] == group], (x["id"], others)
    assert all(v and v > 0 for v in x["metrics"]["throughput_bps"]["values"]), x["id"]
assert doc["workloads"]["tcp-stream"]["interleave"] == ["vf", "vf-inbox", "vf-iovpf-igbvf", "vf-igb-iovvf",
                                                       "vf-noinstr", "e1000e", "virtio", "veth"]
print("result valid:", len(ids), "experiments, interleaved per pattern")
PY
