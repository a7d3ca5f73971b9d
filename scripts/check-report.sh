#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# check-report.sh - the reporting side of iovbench without the lab: report, compare, history and
# gate run by the real program on the recorded lab results in harness/tests/data/, the HTML
# report opened in headless Chromium and checked for its tables and figures (images decoded by
# the browser), a screenshot and a PDF. Ends with "check-report: N passed, N failed, N skipped".
set -uo pipefail

BUILD=${BUILD:-$(pwd)/build}
[ "${1:-}" = "--build" ] && BUILD=$2
TOP=$(cd "$(dirname "$0")/.." && pwd)
cd "$TOP" || exit 2
IOV=$BUILD/iovbench
DATA=$TOP/harness/tests/data
TCP=$DATA/result-lab-tcp.json
VF=$DATA/result-lab-vf.json
WORK=$(mktemp -d /tmp/iovbench-check-report.XXXXXX)
trap 'rm -rf "$WORK"' EXIT

passed=0 failed=0 skipped=0
ok() { passed=$((passed + 1)); echo "ok - $*"; }
not_ok() { failed=$((failed + 1)); echo "not ok - $*"; }
skip() { skipped=$((skipped + 1)); echo "ok - $* # SKIP"; }
check() { # check DESCRIPTION COMMAND...
	local what=$1
	shift
	if "$@" >"$WORK/check.log" 2>&1; then ok "$what"; else not_ok "$what"; sed 's/^/    /' "$WORK/check.log" | tail -n 20; fi
}
expect_rc() { # expect_rc RC DESCRIPTION COMMAND...
	local want=$1 what=$2 rc
	shift 2
	"$@" >"$WORK/last.log" 2>&1
	rc=$?
	if [ "$rc" = "$want" ]; then ok "$what (exit $rc)"; else not_ok "$what: exit $rc, want $want"; tail -n 20 "$WORK/last.log" | sed 's/^/    /'; fi
}

make -s "$IOV" BUILD="$BUILD" >"$WORK/build.log" 2>&1 || { cat "$WORK/build.log"; echo "check-report: 0 passed, 1 failed, 0 skipped"; exit 1; }

# NEW: the recorded run with every throughput cut to 30 %, a change no noise explains;
# OLD: the recorded run under another schema version.
python3 - "$TCP" "$WORK" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
d["run_id"] = "20261122T040000Z-degraded"
d["started_at"] = "2026-11-22T04:00:00Z"
for x in d["experiments"]:
    m = x["metrics"].get("throughput_bps")
    if m:
        m["values"] = [v * 0.3 if v is not None else None for v in m["values"]]
json.dump(d, open(sys.argv[2] + "/degraded.json", "w"))
d["schema_version"] = 2
json.dump(d, open(sys.argv[2] + "/wrong-version.json", "w"))
PY

# DEFAULT: the recorded runs relabelled as one run of the default suite, which is what
# ci/gates.conf judges: tcp-stream's experiments (vf and e1000e from one recorded run, vf-inbox
# and virtio from another) as the entries tcp-g2g and tcp-g2d by pattern, plus the recorded
# mailbox run and driver anchor (drivers-g2d). Runs of one machine merged into one document: a
# fixture for what the gates select, not a measurement. udp64-*, rr-* and drivers-g2g were not
# recorded.
python3 - "$DATA" "$WORK/default-suite.json" <<'PY'
import json, sys
load = lambda name: json.load(open(sys.argv[1] + "/result-lab-" + name + ".json"))
d = load("vf")
d["run_id"], d["started_at"] = "20261122T050000Z-default", "2026-11-22T05:00:00Z"
d["suite"] = {"name": "default", "description": "recorded runs relabelled as default-suite entries"}
tcp = d["workloads"].pop("tcp-stream")
d["experiments"] += load("tcp")["experiments"]
for x in d["experiments"]:
    x["entry"] = "tcp-g2g" if x["pattern"] == "guest-to-guest" else "tcp-g2d"
    x["id"] = x["id"].replace("tcp-stream.", x["entry"] + ".", 1)
    d["workloads"][x["entry"]] = tcp
for other in (load("tcp"), load("mailbox"), load("interleaved")):
    d["metrics"].update(other["metrics"])
for other in (load("mailbox"), load("interleaved")):
    d["experiments"] += other["experiments"]
    d["workloads"].update(other["workloads"])
json.dump(d, open(sys.argv[2], "w"))
PY

# compare: exit codes and JSON.
expect_rc 0 "compare: a result against itself" "$IOV" compare "$TCP" "$TCP"
expect_rc 1 "compare: throughput cut to 30% is a regression" "$IOV" compare "$TCP" "$WORK/degraded.json"
expect_rc 2 "compare: wrong schema version refused" "$IOV" compare "$TCP" "$WORK/wrong-version.json"
expect_rc 2 "compare: results with no experiment in common refused" "$IOV" compare "$TCP" "$VF"
expect_rc 2 "compare: unknown metric refused" "$IOV" compare --metric nope_bps "$TCP" "$TCP"
# NEW with every value null, and with values whose mean overflows (issue 16: both "nothing regressed").
python3 - "$TCP" "$WORK" <<'PY'
import json, sys
for name, value in (("nulls", None), ("huge", 1e308)):
    d = json.load(open(sys.argv[1]))
    for x in d["experiments"]:
        for m in x["metrics"].values():
            m["values"] = [value for _ in m["values"]]
            for inst in m.get("instances", {}).values():
                inst["values"] = [value for _ in inst["values"]]
    json.dump(d, open(sys.argv[2] + "/" + name + ".json", "w"))
PY
expect_rc 2 "compare: NEW with every value null refused" "$IOV" compare "$TCP" "$WORK/nulls.json"
check "compare: says every value of NEW is null" grep -q "nothing to compare: every value of NEW .* is null" "$WORK/last.log"
expect_rc 2 "compare: values whose mean overflows refused" "$IOV" compare "$TCP" "$WORK/huge.json"
check "compare: says the values are too large" grep -q "values too large for the statistics" "$WORK/last.log"
"$IOV" compare --json "$TCP" "$WORK/degraded.json" >"$WORK/compare.json"
check "compare --json: machine-readable, regression rows for throughput" python3 -c '
import json, sys
j = json.load(open(sys.argv[1]))
assert j["regression"] is True
rows = [r for r in j["rows"] if r["verdict"] == "regressed"]
assert rows and all(r["metric"] == "throughput_bps" for r in rows), rows
' "$WORK/compare.json"

# history and gate on a fresh database.
DB=$WORK/history.db
expect_rc 2 "history: missing database said so" "$IOV" history --db "$DB"
check "history add: two recorded results" "$IOV" history add --db "$DB" --machine labhost "$TCP" "$VF"
check "history: both runs listed" bash -c "'$IOV' history --db '$DB' | grep -c -- '-command-line' | grep -qx 2"
check "history --metric: throughput over time" bash -c "'$IOV' history --db '$DB' --metric throughput_bps | grep -q '^tcp-stream\.'"
# The history's newest run is a command-line one (entry tcp-stream): ci/gates.conf names the
# default suite's entries, so its ratio gates judge nothing there and fail, saying what they
# looked for; absolute gates that found their experiments wait for history.
expect_rc 1 "gate: the default-suite gates judge nothing in a command-line run and fail" "$IOV" gate --db "$DB" \
	--config "$TOP/ci/gates.conf"
cp "$WORK/last.log" "$WORK/gate.log"
check "gate: the failure names the gate, the entry it looked for and the run's entries" grep -q \
	"^FAIL  ratio    vf-vs-inbox-throughput-tcp-g2g .*judged nothing: .* in entry tcp-g2g with throughput_bps; the run's entries: tcp-stream$" \
	"$WORK/gate.log"
check "gate: says absolute gates need history from this machine" grep -q "needs history from this machine" "$WORK/gate.log"
# The relabelled default-suite run: udp64-*, rr-* and drivers-g2g were not recorded, so their
# gates fail as judging nothing; every other gate judges its entry.
expect_rc 1 "gate --result: a default-suite run without udp64, rr and drivers-g2g fails their gates" "$IOV" gate \
	--db "$WORK/other.db" --config "$TOP/ci/gates.conf" --result "$WORK/default-suite.json"
"$IOV" gate --db "$WORK/other.db" --config "$TOP/ci/gates.conf" --json >"$WORK/gate.json" 2>"$WORK/gate.err"
check "gate: the throughput gates judge tcp-g2g and tcp-g2d; only the unrecorded entries' gates fail" python3 -c '
import json, re, sys
rows = json.load(open(sys.argv[1]))["checks"]
for gate in ("vf-vs-inbox-throughput", "vf-vs-e1000e-throughput"):
    for entry in ("tcp-g2g", "tcp-g2d"):
        mine = [r for r in rows if r["gate"] == gate + "-" + entry]
        assert mine and all(r["status"] == "pass" and r["experiment"].startswith(entry + ".vf.") for r in mine), mine
judged = {r["gate"] for r in rows if r["experiment"]}
for gate in ("vf-vs-inbox-mailbox", "vf-vs-inbox-throughput-drivers-g2d", "vf-vs-inbox-irq-per-pkt-tcp-g2d"):
    assert gate in judged, gate
failed = [r for r in rows if r["status"] == "fail"]
assert len(failed) == 6, failed
for r in failed:
    assert r["judged_nothing"] and not r["experiment"], r
    assert re.search(r"-(udp64-g2g|udp64-g2d|rr-g2g|rr-g2d|drivers-g2g)$", r["gate"]), r
skips = [r for r in rows if r["status"] == "skip"]
assert skips and all(r["kind"] == "absolute" and not r["judged_nothing"] for r in skips), skips
' "$WORK/gate.json"
grep -v -E 'entry=(udp64-g2[gd]|rr-g2[gd]|drivers-g2g)$' "$TOP/ci/gates.conf" >"$WORK/recorded-entries.conf"
expect_rc 0 "gate: the same run passes ci/gates.conf without the gates of the unrecorded entries" "$IOV" gate \
	--db "$WORK/other.db" --config "$WORK/recorded-entries.conf"
printf '# why\nratio r metric=throughput_bps num=vf den=e1000e min=9\n' >"$WORK/strict.conf"
expect_rc 1 "gate: a ratio limit the run cannot meet fails" "$IOV" gate --db "$DB" --config "$WORK/strict.conf" --replace --result "$VF"
printf 'ratio r metric=throughput_bps num=vf den=e1000e min=1\n' >"$WORK/nowhy.conf"
expect_rc 2 "gate: a gate without a reason refused" "$IOV" gate --db "$DB" --config "$WORK/nowhy.conf"

# A history that cannot be read fails every reader with exit 2 and SQLite's message and the file
# (issue 16: a dropped or corrupted samples table read as "no data" let every gate skip).
cp "$DB" "$WORK/dropped.db"
python3 -c 'import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); c.execute("DROP TABLE samples"); c.commit()' "$WORK/dropped.db"
expect_rc 2 "history: a dropped samples table is an error" "$IOV" history --db "$WORK/dropped.db"
check "history: the error names the file and SQLite's message" grep -q "$WORK/dropped.db: cannot read: no such table: samples" "$WORK/last.log"
expect_rc 2 "history --metric: a dropped samples table is an error" "$IOV" history --db "$WORK/dropped.db" --metric throughput_bps
expect_rc 2 "gate: a dropped samples table is an error, not skipped gates" "$IOV" gate --db "$WORK/dropped.db" --config "$TOP/ci/gates.conf"
check "gate: the error names the file and SQLite's message" grep -q "$WORK/dropped.db: cannot read: no such table: samples" "$WORK/last.log"
cp "$DB" "$WORK/corrupt.db"
python3 - "$WORK/corrupt.db" <<'PY'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
roots = [r for (r,) in c.execute("SELECT rootpage FROM sqlite_master WHERE tbl_name = 'samples' AND rootpage > 0")]
size = c.execute("PRAGMA page_size").fetchone()[0]
c.close()
with open(sys.argv[1], "r+b") as f:  # the root pages of the samples table and its indexes: garbage
    for root in roots:
        f.seek((root - 1) * size)
        f.write(b"\xa5" * size)
PY
expect_rc 2 "history: a corrupted samples table is an error" "$IOV" history --db "$WORK/corrupt.db"
expect_rc 2 "gate: a corrupted samples table is an error" "$IOV" gate --db "$WORK/corrupt.db" --config "$TOP/ci/gates.conf"
check "gate: the corruption is named" grep -q "corrupt.db: cannot read: .*malformed" "$WORK/last.log"

# history add refuses a run already recorded unless --replace (issue 16: it silently replaced).
expect_rc 2 "history add: a run already recorded refused" "$IOV" history add --db "$DB" --machine labhost "$TCP"
expect_rc 2 "gate --result: a run already recorded refused" "$IOV" gate --db "$DB" --config "$WORK/strict.conf" --result "$VF"
check "history add: the refusal names the run and the database" grep -q "history $DB: run 20.* is already recorded" "$WORK/last.log"
expect_rc 0 "history add --replace: replaces it" "$IOV" history add --db "$DB" --machine labhost --replace "$TCP"

# A writer locked out past the busy timeout fails, saying the run was not recorded (issue 16: a
# concurrent writer lost a run with only a warning). Two processes: python holds the write lock.
cp "$DB" "$WORK/locked.db"
python3 -c 'import sqlite3, sys, time; c = sqlite3.connect(sys.argv[1], isolation_level=None); c.execute("BEGIN IMMEDIATE"); open(sys.argv[2], "w").close(); time.sleep(14)' \
	"$WORK/locked.db" "$WORK/locked.ready" &
locker=$!
while [ ! -e "$WORK/locked.ready" ]; do sleep 0.1; done
expect_rc 2 "history add: a database locked past the busy timeout is an error" "$IOV" history add --db "$WORK/locked.db" \
	--machine labhost "$WORK/degraded.json"
check "history add: the error says the run was not recorded and why" grep -q "locked.db: run 20261122T040000Z-degraded not recorded: .*database is locked" "$WORK/last.log"
wait "$locker"

# report: files, then the browser.
OUT=$WORK/report
check "report: HTML, Markdown and figures written" "$IOV" report --out "$OUT" --baseline "$TCP" "$WORK/degraded.json" "$VF"
check "report: Markdown links every figure" bash -c "n=\$(grep -c '^!\[Figure ' '$OUT/report.md'); [ \$n -ge 7 ] && for f in \$(grep -o 'figures/[a-z0-9-]*\.png' '$OUT/report.md'); do [ -s '$OUT/'\$f ] || exit 1; done"
BROWSER=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
if [ -z "$BROWSER" ]; then
	skip "report in headless Chromium (no chromium installed)"
	skip "report screenshot"
	skip "report PDF"
else
	chrome() { timeout 120 "$BROWSER" --headless --no-sandbox --disable-gpu --disable-background-networking \
		--disable-component-update --disable-sync --no-first-run --user-data-dir="$(mktemp -d "$WORK/profile.XXXXXX")" "$@" 2>/dev/null; }
	# The browser counts what it rendered: tables, captions, figures whose image decoded.
	sed 's|</body>|<script>window.addEventListener("load",()=>{const q=s=>document.querySelectorAll(s);const imgs=[...q("figure img")];const p=document.createElement("pre");p.id="iovcheck";p.textContent=["tables="+q("table").length,"table_captions="+[...q("table caption")].filter(c=>/^Table [0-9]+: /.test(c.textContent)).length,"figures="+q("figure").length,"images_decoded="+imgs.filter(i=>i.complete\&\&i.naturalWidth>0).length,"figure_captions="+[...q("figcaption")].filter(c=>/^Figure [0-9]+: /.test(c.textContent)).length,"regressed_cells="+q("td.regressed").length].join(" ");document.body.appendChild(p);});</script></body>|' \
		"$OUT/report.html" >"$OUT/check.html"
	chrome --virtual-time-budget=10000 --dump-dom "file://$OUT/check.html" >"$WORK/dom.html"
	line=$(sed -n 's/.*<pre id="iovcheck">\([^<]*\)<\/pre>.*/\1/p' "$WORK/dom.html")
	echo "    browser: $line"
	val() { sed -n "s/.*\b$1=\([0-9]*\).*/\1/p" <<<"$line"; }
	tables=$(val tables) figures=$(val figures)
	if [ -n "$line" ] && [ "${tables:-0}" -ge 20 ] && [ "$(val table_captions)" = "$tables" ] &&
		[ "${figures:-0}" -ge 7 ] && [ "$(val images_decoded)" = "$figures" ] &&
		[ "$(val figure_captions)" = "$figures" ] && [ "$(val regressed_cells)" -ge 1 ]; then
		ok "report in headless Chromium: $tables tables, $figures figures decoded, captions, regressions marked"
	else
		not_ok "report in headless Chromium: '$line'"
	fi
	chrome --window-size=1200,1800 --screenshot="$WORK/shot.png" "file://$OUT/report.html" >/dev/null
	check "report screenshot rendered" bash -c "[ \$(stat -c %s '$WORK/shot.png') -gt 50000 ]"
	"$IOV" report --out "$WORK/pdf" "$TCP" >"$WORK/pdf.log" 2>&1
	check "report PDF written by headless Chromium" bash -c "head -c 5 '$WORK/pdf/report.pdf' | grep -q '%PDF-'"
fi
# Hostile result files (issue 16): entries that would run a command through gnuplot (in the
# figures directory, where it runs) are refused by the loader, naming the field; nothing runs.
python3 - "$TCP" "$WORK" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
bad = "x'; system('touch pwned'); '"
for x in d["experiments"]:
    d["workloads"][bad] = d["workloads"].get(x["entry"], {})
    x["entry"] = bad
json.dump(d, open(sys.argv[2] + "/hostile-entry.json", "w"))
PY
expect_rc 2 "report: a result whose entry would run a command refused" "$IOV" report --out "$WORK/hostile" \
	"$WORK/hostile-entry.json"
check "report: the refusal names the field, and nothing ran" bash -c "grep -q 'experiments\[0\]\.entry .* is not a name' '$WORK/last.log' && [ ! -e '$WORK/hostile/figures/pwned' ]"

# A full disk (issue 16: run wrote no result.json, said nothing and pointed latest at the empty
# directory). The host target without IOV_PF_BDF fails at once, without a lab: the run records
# why nothing ran. Written by a process whose file-size limit is below the document's size
# (SIGXFSZ ignored: write() fails with EFBIG, as with ENOSPC; its stderr goes through a pipe,
# which the limit does not cover), it must say so, exit non-zero and leave latest where it was.
RUNS=$WORK/runs
run_nothing() { env -u IOV_PF_BDF "$IOV" run --target host --out "$RUNS" --reps 1 --guests 1 --nic vf tcp-stream; }
expect_rc 2 "run: a target that cannot start records why, with room on the disk" run_nothing
check "run: latest points at that run's result" bash -c "grep -q '\"status\"' '$RUNS/latest/result.json'"
before=$(readlink "$RUNS/latest")
size=$(stat -c %s "$RUNS/latest/result.json")
(trap '' XFSZ; ulimit -f $((size / 1024 / 2)); run_nothing) 2>&1 | cat >"$WORK/full.log"
rc=${PIPESTATUS[0]}
check "run: a result.json that cannot be written exits non-zero (exit $rc)" test "$rc" -ne 0
check "run: ... says the result was not recorded, and why" grep -q "cannot record the result: .*result.json.*: write: File too large" "$WORK/full.log"
check "run: ... and latest still points at the last run with a result" bash -c \
	"[ \"\$(readlink '$RUNS/latest')\" = '$before' ] && [ -f '$RUNS/latest/result.json' ]"

[ -n "${KEEP_REPORT:-}" ] && cp -r "$OUT" "$KEEP_REPORT" && echo "report kept in $KEEP_REPORT"
echo "check-report: $passed passed, $failed failed, $skipped skipped"
[ "$failed" = 0 ]
