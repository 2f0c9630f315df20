#!/usr/bin/env bash
# Reproduces the benchmark figures in the README: accuracy and speed on the shared datasets, one inference
# thread. Writes per-plate CSVs and JSON summaries to bench/out/.
set -euo pipefail
cd "$(dirname "$0")/.."
DATASETS=${1:-../shared/datasets}
BIN=.build/release/microanpr
OUT=bench/out
mkdir -p "$OUT"
run() { # name dataset [extra args]
  local name=$1 dir=$2; shift 2
  echo "== $name" >&2
  "$BIN" bench "$DATASETS/$dir" --threads 1 --json --csv "$OUT/$name.csv" "$@" | tee "$OUT/$name.json"
}
run carpark micrometre_carpark1
run openalpr_endtoend openalpr_endtoend --fold-o0
