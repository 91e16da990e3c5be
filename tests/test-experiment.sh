#!/bin/sh
# test-experiment.sh - seeds and replications, through the command line:
#   - the same seed twice gives identical databases (sqlite3 .dump);
#   - seeds 1 and 2 give different platter phases;
#   - a randread with a seed of its own reads the same offsets whatever
#     the run's seed; one without reads others under another run seed;
#   - --replications N logs N runs with seeds S .. S+N-1, replications
#     0 .. N-1, distinct phases;
#   - compare --replications: every variant sees the same seeds;
#   - sweep --replications gives the same rows with -j 1 and -j 2, and
#     the rows of compare;
#   - plots and JSON of replications.
# Prints TAP.
. "${top_srcdir:-.}/tests/tap-db.sh"
ini="$top/scenarios/ext2-boundary.ini"

# ---- the same seed, the same rows ----
"$mpsim" run -q --db "$tmp/a.db" --seed 7 "$ini" 2>"$tmp/err"
"$mpsim" run -q --db "$tmp/b.db" --seed 7 "$ini" 2>>"$tmp/err"
check "the same seed twice gives identical databases" \
	'[ -s "$tmp/a.db" ] && q "$tmp/a.db" .dump >"$tmp/a.sql" &&
	 q "$tmp/b.db" .dump >"$tmp/b.sql" && cmp -s "$tmp/a.sql" "$tmp/b.sql"'
"$mpsim" run -q --db "$tmp/c.db" "$ini" 2>"$tmp/err"
"$mpsim" run -q --db "$tmp/c.db" --seed 2 "$ini" 2>>"$tmp/err"
check "seeds 1 (the default) and 2 give different phases" \
	'[ "$(q "$tmp/c.db" "SELECT group_concat(seed) FROM run")" = "1,2" ] &&
	 [ "$(q "$tmp/c.db" "SELECT count(DISTINCT disk_phase_ns) FROM run")" = 2 ]'
"$mpsim" run -q --db "$tmp/d.db" --set scenario.seed=5 "$ini" 2>"$tmp/err"
"$mpsim" run -q --db "$tmp/d.db" --set scenario.seed=5 --seed 6 "$ini" \
	2>>"$tmp/err"
check "[scenario] seed sets the seed; --seed wins" \
	'[ "$(q "$tmp/d.db" "SELECT group_concat(seed) FROM run")" = "5,6" ]'

# ---- random reads ----
cat >"$tmp/rr.ini" <<'EOT'
[disk]
preset = simple
[file.a]
size = 1M
layout = ext2-sequential
first_block = 100
[task.r]
file = a
ops = randread 8 4K 99
[task.s]
file = a
start = 1s
ops = randread 8 4K
EOT
sectors() {	# DB RUN TASK: the task's bios' sectors, in order
	q "$1" "SELECT group_concat(sector) FROM (SELECT sector FROM bio
		WHERE run_id = $2 AND task = '$3' ORDER BY seq)"
}
"$mpsim" run -q --db "$tmp/rr.db" --seed 1 "$tmp/rr.ini" 2>"$tmp/err"
"$mpsim" run -q --db "$tmp/rr.db" --seed 2 "$tmp/rr.ini" 2>>"$tmp/err"
check "a randread with its own seed is unaffected by the run's seed" \
	'[ -n "$(sectors "$tmp/rr.db" 1 r)" ] &&
	 [ "$(sectors "$tmp/rr.db" 1 r)" = "$(sectors "$tmp/rr.db" 2 r)" ]'
check "a randread without a seed draws from the run's seed" \
	'[ -n "$(sectors "$tmp/rr.db" 1 s)" ] &&
	 [ "$(sectors "$tmp/rr.db" 1 s)" != "$(sectors "$tmp/rr.db" 2 s)" ]'

# ---- replications ----
"$mpsim" run -q --db "$tmp/rep.db" --seed 10 --replications 5 "$ini" \
	2>"$tmp/err"
check "run --replications 5 logs seeds 10..14, replications 0..4" \
	'[ "$(q "$tmp/rep.db" "SELECT group_concat(seed || \":\" ||
	   replication, \" \") FROM run")" = "10:0 11:1 12:2 13:3 14:4" ]'
check "the replications have distinct phases" \
	'[ "$(q "$tmp/rep.db" "SELECT count(DISTINCT disk_phase_ns)
	   FROM run")" = 5 ]'
check "replication r has the rows of a single run with seed S + r" \
	'"$mpsim" run -q --db "$tmp/one.db" --seed 12 "$ini" 2>"$tmp/err" &&
	 [ "$(q "$tmp/rep.db" "SELECT group_concat(complete_ns) FROM request
	      WHERE run_id = 3")" = "$(q "$tmp/one.db" "SELECT
	      group_concat(complete_ns) FROM request WHERE run_id = 1")" ]'
"$mpsim" compare "$ini" --vary fs.boundary=on,off --replications 4 \
	--db "$tmp/cmp.db" >"$tmp/out" 2>"$tmp/err"
check "compare --replications: every variant sees seeds 1..4" \
	'[ "$(q "$tmp/cmp.db" "SELECT variant || \":\" || group_concat(seed)
	   FROM run GROUP BY variant ORDER BY min(id)")" = "fs.boundary=on:1,2,3,4
fs.boundary=off:1,2,3,4" ]'
check "paired runs share the phase of their seed" \
	'[ "$(q "$tmp/cmp.db" "SELECT count(*) FROM run a JOIN run b ON
	   a.seed = b.seed AND a.id < b.id
	   WHERE a.disk_phase_ns = b.disk_phase_ns")" = 4 ]'

# ---- one transaction: all the replications or none ----
cp "$tmp/one.db" "$tmp/int.db"
"$mpsim" run -q --db "$tmp/int.db" --replications 5 --test-signal 2@40 \
	"$ini" 2>"$tmp/err"
rc=$?
check "interrupted replications land none of their runs" \
	'[ $rc -eq 130 ] && [ "$(q "$tmp/int.db" "SELECT count(*) FROM run;
	 SELECT count(DISTINCT run_id) FROM event")" = "1
1" ]'

# ---- sweep: the same rows whatever -j ----
for j in 1 2; do
	"$mpsim" sweep "$ini" --vary fs.boundary=on,off --replications 3 \
		-j $j --db "$tmp/sw$j.db" >/dev/null 2>"$tmp/err"
done
check "sweep --replications with -j 1 and -j 2 gives identical rows" \
	'q "$tmp/sw1.db" .dump >"$tmp/sw1.sql" && q "$tmp/sw2.db" .dump \
	 >"$tmp/sw2.sql" && cmp -s "$tmp/sw1.sql" "$tmp/sw2.sql" &&
	 [ "$(q "$tmp/sw1.db" "SELECT group_concat(seed || replication)
	      FROM run")" = "10,21,32,10,21,32" ]'
"$mpsim" sweep "$ini" --vary fs.boundary=on,off --replications 3 \
	--emit-jobs "$tmp/jobs" >/dev/null 2>"$tmp/err"
sh "$tmp/jobs/jobs.txt" 2>>"$tmp/err"
"$mpsim" merge "$tmp/em.db" "$tmp"/jobs/run-*.db >/dev/null 2>>"$tmp/err"
check "emit-jobs with replications, then merge, gives the sweep's rows" \
	'q "$tmp/em.db" .dump | cmp -s - "$tmp/sw1.sql"'
"$mpsim" compare "$ini" --vary fs.boundary=on,off --replications 3 \
	--db "$tmp/cmp3.db" >/dev/null 2>"$tmp/err"
check "compare gives the rows of the sweep" \
	'q "$tmp/cmp3.db" .dump | cmp -s - "$tmp/sw1.sql"'

# ---- plots ----
if command -v gnuplot >/dev/null 2>&1; then
	"$mpsim" compare "$ini" --vary fs.boundary=on,off --replications 4 \
		--plot "$tmp/plots" >/dev/null 2>"$tmp/err"
	check "compare --plot with replications draws elapsed-cdf, paired-diff" \
		'[ -s "$tmp/plots/elapsed-cdf.svg" ] &&
		 [ -s "$tmp/plots/paired-diff.svg" ] &&
		 [ "$(grep -vc "^#" "$tmp/plots/elapsed-cdf-1.dat")" = 4 ] &&
		 [ "$(awk "!/^#/ { n += \$2 } END { print n }" \
		      "$tmp/plots/paired-diff-2.dat")" = 4 ]'
	check "legends name the variants and sit outside the data" \
		'grep -q "title [[:punct:]]fs.boundary=off[[:punct:]]" \
		      "$tmp/plots/elapsed-cdf.gp" &&
		 grep -q "^set key outside" "$tmp/plots/paired-diff.gp"'
	check "the per-run plots show each variant first replication only" \
		'[ -e "$tmp/plots/latency-cdf-run1.dat" ] &&
		 [ -e "$tmp/plots/latency-cdf-run5.dat" ] &&
		 [ ! -e "$tmp/plots/latency-cdf-run2.dat" ]'
else
	for k in 1 2 3; do n=$((n + 1)); echo "ok $n # SKIP no gnuplot"; done
fi

# ---- JSON ----
"$mpsim" report "$tmp/cmp.db" --format json >"$tmp/cmp.json" 2>"$tmp/err"
check "report --format json parses" \
	'python3 -m json.tool "$tmp/cmp.json" >/dev/null 2>>"$tmp/err"'
# the keys of the document, of each run, and the statistics' figures
check "the JSON has the keys of a run and the statistics" \
	'python3 - "$tmp/cmp.json" 2>>"$tmp/err" <<"EOP"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["mpsim_version"] and len(d["runs"]) == 8
for r in d["runs"]:
    for k in ("id", "scenario", "seed", "replication", "variant", "params",
              "figures", "tasks", "directions", "latency_histogram"):
        assert k in r, k
    assert r["variant"] == {"fs.boundary": r["params"]["fs.boundary"]}
    assert set(r["directions"]) == {"read", "write"}
    assert sum(b["count"] for b in r["latency_histogram"]) == \
        r["figures"]["requests"]
    assert r["tasks"][0]["name"] == "reader"
s = d["statistics"]["variants"]
assert [v["variant"] for v in s] == ["fs.boundary=on", "fs.boundary=off"]
for v in s:
    for f in ("elapsed_ms", "throughput_mb_per_s", "latency_mean_ms",
              "latency_p99_ms", "seeks"):
        assert v["figures"][f]["n"] == 4
p = s[1]["paired_difference"]
assert p["difference"]["n"] == 4 and "sentence" in p
EOP'
# a scenario whose name is not UTF-8 (byte 0xE9, Latin-1 e acute)
name=$(printf 'caf\351')
cp "$top/scenarios/ext2-boundary.ini" "$tmp/$name.ini"
"$mpsim" run -q --db "$tmp/u.db" "$tmp/$name.ini" 2>"$tmp/err"
"$mpsim" report "$tmp/u.db" --format json >"$tmp/u.json" 2>>"$tmp/err"
check "JSON is valid UTF-8 whatever the names" \
	'python3 -c "import json, sys
d = json.loads(open(sys.argv[1], \"rb\").read().decode(\"utf-8\"))
assert d[\"runs\"][0][\"scenario\"] == \"caf\ufffd\"" "$tmp/u.json"'
echo "1..$n"
