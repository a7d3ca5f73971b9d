#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The lab's QEMU killed in the middle of a run: the harness keeps every repetition measured before
# the kill, records the lost one as failed with the reason, notes the loss in the experiment
# (notes.target_lost), reboots the lab and measures every later repetition and experiment.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
top=$(cd "$(dirname "$0")/../../.." && pwd)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

"$IOVBENCH" run --nic vf,vf-inbox --guests 2 --reps 3 --duration 4 --out "$out" tcp-stream \
	>"$out/run.log" 2>&1 &
run=$!
# the second repetition of the first experiment: traffic is flowing
for _ in $(seq 600); do
	grep -q '^iovbench: \[1/4\] .* rep 2/3' "$out/run.log" && break
	sleep 0.5
done
grep -q '^iovbench: \[1/4\] .* rep 2/3' "$out/run.log" || { kill "$run"; fail "the run never reached rep 2"; }
sleep 3
qemu=
for p in $(pgrep -f qemu-system-x86_64 || true); do
	case "$(readlink "/proc/$p/cwd" 2>/dev/null)" in "$out"/*/lab) qemu=$p ;; esac
done
[ -n "$qemu" ] || { kill "$run"; fail "no QEMU of this run's lab found"; }
kill -9 "$qemu"
set +e
wait "$run"
rc=$?
set -e
cat "$out/run.log"
# one repetition failed: partial, exit 1
[ "$rc" = 1 ] || fail "iovbench run exited $rc, expected 1 (one repetition lost)"
grep -q 'the target was lost (1 of 3 losses a run rides out): rebooting it' "$out/run.log" ||
	fail "the run did not say it rebooted the lost target"
python3 - "$top/results-schema/result.schema.json" "$out"/*/result.json <<'PY' || fail "result check failed"
import json, sys
import jsonschema
schema, doc = (json.load(open(p)) for p in sys.argv[1:3])
jsonschema.Draft202012Validator(schema).validate(doc)
xs = doc["experiments"]
first, rest = xs[0], xs[1:]
vals = first["metrics"]["throughput_bps"]["values"]
# rep 1 before the kill and rep 3 after the reboot measured; rep 2 lost
assert vals[0] and vals[0] > 0 and vals[2] and vals[2] > 0 and vals[1] is None, vals
assert first["status"] == "partial", first["status"]
assert len(first["notes"]["target_lost"]) == 1 and first["notes"]["target_lost"][0].startswith("repetition 2: "), \
    first["notes"]["target_lost"]
assert first["repetitions"][1]["status"] != "ok", first["repetitions"][1]
for x in rest:
    assert x["status"] == "ok", (x["id"], x["status"], x["reason"])
    assert "target_lost" not in x["notes"], x["id"]
print("kept:", vals, "; after the reboot", len(rest), "experiments ok")
PY
