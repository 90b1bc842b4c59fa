#!/usr/bin/env bash
# Times citelint on a generated corpus against ripgrep (the same regexes: the floor set by
# reading the files) and textlint (a rule doing the same checks), with hyperfine; peak
# memory with /usr/bin/time -v; then the single-article and scaling figures.
#
#   scripts/bench.sh [COUNT]          # default 100000 articles (about 400 MB)
#   SKIP_TEXTLINT=1 scripts/bench.sh  # without textlint (it needs npm and is slow)
#
# Needs: cargo, hyperfine, rg, /usr/bin/time (Debian: hyperfine ripgrep time), npm for textlint.
set -euo pipefail
cd "$(dirname "$0")/.."
count=${1:-100000}
work=${BENCH_DIR:-$(mktemp -d)}
mkdir -p "$work"
echo "work folder: $work"

cargo build --release --quiet
cargo build --release --quiet --example gen_corpus --example sciencex_floor
citelint=$PWD/target/release/citelint
today=2026-01-15

if [ ! -d "$work/corpus-$count" ]; then
    ./target/release/examples/gen_corpus "$work/corpus-$count" "$count" 42 5
fi
corpus=$work/corpus-$count
du -sh "$corpus"
"$citelint" rules --print-regexes sciencex > "$work/patterns.txt"
# A replacement naming every capture group (`${1}${2}…`), so that ripgrep resolves the
# groups the checks read, not only where each match is.
groups=$(python3 - "$work/patterns.txt" <<'EOF'
import sys
count = 0
for pattern in open(sys.argv[1], encoding="utf-8"):
    i, in_class = 0, False
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            i += 2
            continue
        if in_class:
            in_class = c != "]"
        elif c == "[":
            in_class = True
            i += 1
            i += pattern[i] == "^"
            i += pattern[i] == "]"  # a leading `]` is a member, not the end
            continue
        elif c == "(" and pattern[i + 1] != "?":
            count += 1
        i += 1
print("".join("${%d}" % n for n in range(1, count + 1)))
EOF
)

# citelint with every built-in pack (what the targets are measured on), then with only the
# Science X pack, whose regexes are the ones ripgrep searches for: the like-for-like ratio;
# then with only citelint's own rules (no pack runs): walking, reading, building each
# document and reporting, what is left when no check runs; then every pack again with
# `--cache`, re-run on the unchanged corpus (hyperfine's warm-up run fills the cache):
# first as it is (each file known by its file-system stamp, not read), then with every
# file touched before each run (as a fresh clone: each file read and hashed, none
# checked). ripgrep runs twice: finding the matching lines (the target's reference), then
# also resolving the capture groups the checks read (ripgrep's only way to do so prints
# each match with its groups).
commands=(
    "$citelint check --today $today --format json $corpus > /dev/null"
    "$citelint check --today $today --format json --select sciencex $corpus > /dev/null"
    "$citelint check --today $today --format json --select citelint $corpus > /dev/null"
    "$citelint check --today $today --format json --cache-dir $work/cache $corpus > /dev/null"
    "$citelint check --today $today --format json --cache-dir $work/cache $corpus > /dev/null"
    "rg --crlf --count -f $work/patterns.txt $corpus > /dev/null"
    "rg --crlf --only-matching --replace '$groups' -f $work/patterns.txt $corpus > /dev/null"
)
names=(citelint citelint-sciencex citelint-no-packs citelint-cached citelint-cached-touched ripgrep ripgrep-groups)
# What runs before each timed run of each command (outside the timing).
prepares=(true true true true "find $corpus -type f -exec touch {} +" true true)
if [ -z "${SKIP_TEXTLINT:-}" ]; then
    if [ ! -x "$work/textlint/node_modules/.bin/textlint" ]; then
        npm install --silent --no-audit --no-fund --prefix "$work/textlint" textlint >/dev/null
    fi
    commands+=("$work/textlint/node_modules/.bin/textlint --rulesdir $PWD/bench/textlint --format json '$corpus/**/*.{txt,md}' > /dev/null || true")
    names+=(textlint)
    prepares+=(true)
fi

args=()
for i in "${!commands[@]}"; do
    args+=(--command-name "${names[$i]}" --prepare "${prepares[$i]}" "${commands[$i]}")
done
hyperfine --ignore-failure --warmup 1 --runs "${RUNS:-3}" --export-json "$work/hyperfine.json" "${args[@]}"

echo
echo "peak memory (maximum resident set size):"
for i in "${!commands[@]}"; do
    bash -c "${prepares[$i]}"
    kb=$( { /usr/bin/time -v bash -c "${commands[$i]} || true" ; } 2>&1 | awk -F': ' '/Maximum resident set size/ {print $2}')
    awk -v name="${names[$i]}" -v kb="$kb" 'BEGIN { printf "  %-18s %8.1f MiB\n", name, kb / 1024 }'
done

# The Science X checks in one thread, citelint's engine beside the same checks written by
# hand with the least work the crates allow (examples/sciencex_floor.rs), per article.
echo
echo "the Science X checks, in process (first 10 000 articles):"
floor_out=$(./target/release/examples/sciencex_floor "$corpus" 10000)
echo "$floor_out" | sed 's/^/  /'
floor_us=$(echo "$floor_out" | sed -n 's/.*by hand: *\([0-9.]*\).*/\1/p')

python3 - "$work/hyperfine.json" "$count" "$(nproc)" "$floor_us" <<'PY'
import json, sys
count, cores, floor_us = int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
results = {r["command"]: r["mean"] for r in json.load(open(sys.argv[1]))["results"]}
c = results["citelint"]
rg = results["ripgrep"]
print(f"\nwall time: citelint {c:.3f} s, ripgrep {rg:.3f} s -> citelint/rg = {c / rg:.2f}")
s = results["citelint-sciencex"]
print(f"Science X pack only: citelint {s:.3f} s -> citelint/rg = {s / rg:.2f}")
floor = results["citelint-no-packs"]
print(f"no pack (walk, read, document, report): {floor:.3f} s -> citelint/rg = {floor / rg:.2f}")
budget = max(1.25 * rg - floor, 0)
print(f"  the Science X checks add {s - floor:.3f} s; 1.25 x ripgrep would leave them {budget:.3f} s")
budget_us = budget * cores * 1e6 / count
print(f"  that is {budget_us:.1f} µs of CPU per article on {cores} cores; the hand-written floor takes {floor_us:.1f} µs"
      f" ({'within' if floor_us <= budget_us else 'over'} the budget)")
cached = results["citelint-cached"]
print(f"re-run with --cache, nothing changed (every file known by its stamp: not read, not checked): {cached:.3f} s -> citelint/rg = {cached / rg:.2f}")
touched = results["citelint-cached-touched"]
print(f"  the same with every file touched first, as a fresh clone (read and hashed, not checked): {touched:.3f} s -> citelint/rg = {touched / rg:.2f}")
groups = results["ripgrep-groups"]
print(f"ripgrep resolving the capture groups as well (--only-matching --replace): {groups:.3f} s -> citelint/that = {c / groups:.2f}, Science X only {s / groups:.2f}")
if "textlint" in results:
    print(f"textlint {results['textlint']:.3f} s -> textlint/citelint = {results['textlint'] / c:.1f}")
PY

# hyperfine times each command's runs one after another, and this machine's speed drifts
# from minute to minute (it is shared), so the ratio above compares different minutes.
# Here citelint (every pack) and ripgrep alternate, one run of each a round, and each
# round's ratio compares two runs of the same minute (a shell's start-up, timed apart, is
# taken off each run).
rounds=${ROUNDS:-10}
for i in "${!names[@]}"; do
    case "${names[$i]}" in
        citelint) every_pack=$i ;;
        ripgrep) ripgrep=$i ;;
    esac
done
echo
echo "citelint (every pack) and ripgrep alternating, $rounds rounds:"
for i in $(seq "$rounds"); do
    for k in shell citelint ripgrep; do
        case $k in
            shell) command=true ;;
            citelint) command=${commands[$every_pack]} ;;
            ripgrep) command=${commands[$ripgrep]} ;;
        esac
        start=$(date +%s%N)
        bash -c "$command" || true
        end=$(date +%s%N)
        echo "$k $(( (end - start) / 1000 ))"
    done
done > "$work/alternating.txt"
python3 - "$work/alternating.txt" <<'PY'
import statistics, sys
times = {}
for line in open(sys.argv[1]):
    k, us = line.split()
    times.setdefault(k, []).append(int(us) / 1e6)
shell = statistics.median(times["shell"])
citelint = [t - shell for t in times["citelint"]]
rg = [t - shell for t in times["ripgrep"]]
ratios = sorted(c / r for c, r in zip(citelint, rg))
print(f"  medians: citelint {statistics.median(citelint):.3f} s, ripgrep {statistics.median(rg):.3f} s;"
      f" citelint/rg by round: median {statistics.median(ratios):.2f}, from {ratios[0]:.2f} to {ratios[-1]:.2f}")
PY

echo
echo "one 50 KB article through the whole CLI, as an editor task runs it (the clock read, no --today):"
./target/release/examples/gen_corpus --single "$work/article-50k.txt" 50
hyperfine --ignore-failure --warmup 5 --runs 50 -N "$citelint check --format concise $work/article-50k.txt" | grep -E "Time|Range"

echo
echo "scaling (linear in bytes):"
for n in $(printf "%s\n" 10000 "$count" | sort -nu); do
    [ "$n" -le "$count" ] || continue
    [ -d "$work/corpus-$n" ] || ./target/release/examples/gen_corpus "$work/corpus-$n" "$n" 42 5 >/dev/null
    /usr/bin/time -f "  $n articles: %e s, %M KiB peak" "$citelint" check --today $today --format json "$work/corpus-$n" > /dev/null || true
done
# Memory must not grow with the number of files: the corpus again, each of its folders
# linked twice (citelint follows links to folders), twice the files and no more disk.
twice=$work/corpus-$count-twice
if [ ! -d "$twice" ]; then
    mkdir -p "$twice"
    for folder in "$corpus"/*/; do
        name=$(basename "$folder")
        ln -s "$folder" "$twice/a$name"
        ln -s "$folder" "$twice/b$name"
    done
fi
/usr/bin/time -f "  $((2 * count)) articles (the corpus's folders linked twice): %e s, %M KiB peak" "$citelint" check --today $today --format json "$twice" > /dev/null || true
./target/release/examples/gen_corpus --single "$work/million-lines.txt" 50000
lines=$(wc -l < "$work/million-lines.txt")
/usr/bin/time -f "  one file of $lines lines ($(du -h "$work/million-lines.txt" | cut -f1)): %e s, %M KiB peak" "$citelint" check --today $today --format json "$work/million-lines.txt" > /dev/null || true
