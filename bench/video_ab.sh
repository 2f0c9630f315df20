#!/usr/bin/env bash
# A/B of two builds on videos: runs `microanpr recognise --json` with BIN_A and BIN_B alternately (ROUNDS times
# each, so that the machine's slow and fast minutes fall on both), checks that both print the same passes, and
# prints per build the median speed as the command reports it (video seconds / seconds from opening the video to
# the last pass) and the median wall and CPU time of the whole process (model loading included).
#
#   BIN_A=/tmp/microanpr-before BIN_B=.build/release/microanpr ROUNDS=6 bash bench/video_ab.sh bench/out/queued720.mp4
set -euo pipefail
: "${BIN_A:?set BIN_A to the first build}" "${BIN_B:?set BIN_B to the second build}"
ROUNDS=${ROUNDS:-5}
[ $# -ge 1 ] || { echo "usage: BIN_A=... BIN_B=... bash bench/video_ab.sh VIDEO..." >&2; exit 2; }
median() { sort -n | awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2}'; }
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
for video in "$@"; do
    for r in $(seq "$ROUNDS"); do
        for side in A B; do
            bin=BIN_$side
            /usr/bin/time -f "process %e %U %S" "${!bin}" recognise --json "$video" > "$OUT/$side.json" 2> "$OUT/$side.err"
            speed=$(grep -o '([0-9.]*x real time)' "$OUT/$side.err" | tr -d '(x' | cut -d' ' -f1)
            read -r _ wall user sys < <(grep '^process ' "$OUT/$side.err")
            echo "$speed $wall $(awk "BEGIN {print $user + $sys}")" >> "$OUT/$side.times"
            cp "$OUT/$side.json" "$OUT/$side.$r.json"
        done
        cmp -s "$OUT/A.$r.json" "$OUT/B.$r.json" || echo "round $r: the builds printed different passes" >&2
    done
    for side in A B; do
        bin=BIN_$side
        printf '%s %s (%s): speed %sx (runs: %s), process wall %s s, CPU %s s\n' "$(basename "$video")" "$side" "${!bin}" \
            "$(cut -d' ' -f1 "$OUT/$side.times" | median)" "$(cut -d' ' -f1 "$OUT/$side.times" | tr '\n' ' ' | sed 's/ $//')" \
            "$(cut -d' ' -f2 "$OUT/$side.times" | median)" "$(cut -d' ' -f3 "$OUT/$side.times" | median)"
        rm -f "$OUT/$side.times"
    done
done
