#!/usr/bin/env bash
# `make fuzz`: coverage-guided fuzzing with libFuzzer (from the Swift toolchain's clang) and AddressSanitizer of
#   image      the vision core's image probe, decode, warp and encode (C++ core + OpenCV)
#   video      an uploaded video opened through the vision core's FFmpeg allow-lists, frames decoded
#   multipart  the multipart/form-data parsers of uploads (Sources/Server/HTTP/Multipart.swift, MultipartStream.swift)
#   csv        the CSV importer's parser, with a write-and-parse-again round trip (Sources/ExportFormats/CSV.swift)
#   json       JSON request bodies (Sources/Server/HTTP/JSONBody.swift) into the shapes of the API's bodies
# Each target starts from its committed seeds (fuzz/corpus/TARGET) plus what earlier runs found
# (.build/fuzz/corpus/TARGET) and runs for FUZZ_SECONDS (default 120) or, with FUZZ_RUNS=N, for N executions.
# FUZZ_TARGETS="image csv" picks targets. Crashes are written to .build/fuzz/crashes/TARGET/ and fail the run.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
OUT=$ROOT/.build/fuzz
TARGETS=${FUZZ_TARGETS:-image video multipart csv json}
SECONDS_EACH=${FUZZ_SECONDS:-120}
CLANG=$(dirname "$(readlink -f "$(command -v swiftc)")")/clang++
mkdir -p "$OUT"
[ -f .deps/include/onnxruntime_c_api.h ] || bash scripts/setup.sh

build() {  # target
  local t=$1 bin=$OUT/$1
  case $t in
    image|video)
      "$CLANG" -std=c++17 -O1 -g -fsanitize=fuzzer,address -w -ISources/CVision/include -I/usr/include/opencv4 \
        -I.deps/include "fuzz/$t.cpp" Sources/CVision/src/*.cpp -o "$bin" \
        -lopencv_core -lopencv_imgproc -lopencv_imgcodecs -lavformat -lavcodec -lavutil -lswscale -ldl ;;
    multipart) swiftc -O -sanitize=fuzzer,address -parse-as-library -module-name Fuzz fuzz/multipart.swift Sources/Server/HTTP/Multipart.swift Sources/Server/HTTP/MultipartStream.swift -o "$bin" ;;
    csv) swiftc -O -sanitize=fuzzer,address -parse-as-library -module-name Fuzz fuzz/csv.swift Sources/ExportFormats/CSV.swift -o "$bin" ;;
    json) swiftc -O -sanitize=fuzzer,address -parse-as-library -module-name Fuzz fuzz/json.swift Sources/Server/HTTP/JSONBody.swift Sources/ExportFormats/JSONTime.swift -o "$bin" ;;
    *) echo "fuzz: unknown target $t (image video multipart csv json)" >&2; exit 2 ;;
  esac 2> >(grep -v "ld.gold: warning: Cannot export local symbol" >&2)
}

failed=0
for t in $TARGETS; do
  echo "fuzz: building $t" >&2
  build "$t"
  mkdir -p "$OUT/corpus/$t" "$OUT/crashes/$t"
  # The API takes JSON bodies up to 64 KiB; uploads and forms are fuzzed small (mutations matter, not size).
  max_len=16384; [ "$t" = json ] && max_len=65536
  limit=(-max_total_time="$SECONDS_EACH"); [ -n "${FUZZ_RUNS:-}" ] && limit=(-runs="$FUZZ_RUNS")
  if [ -n "${FUZZ_RUNS:-}" ]; then what="$FUZZ_RUNS executions"; else what="$SECONDS_EACH s"; fi
  echo "fuzz: running $t ($what)" >&2
  log=$OUT/$t.log
  start=$(date +%s)
  set +e
  "$OUT/$t" "${limit[@]}" -max_len=$max_len -close_fd_mask=3 -print_final_stats=1 -rss_limit_mb=3072 \
    -artifact_prefix="$OUT/crashes/$t/" "$OUT/corpus/$t" "fuzz/corpus/$t" >"$log" 2>&1
  rc=$?
  set -e
  runs=$(grep -o 'stat::number_of_executed_units: [0-9]*' "$log" | grep -o '[0-9]*$' || echo 0)
  # crash-, leak-, oom- and timeout- files are failures; slow-unit- files are inputs that took over 10 s (on a
  # busy machine, often only the machine): reported, not failed.
  crashes=$(find "$OUT/crashes/$t" -type f \( -name 'crash-*' -o -name 'leak-*' -o -name 'oom-*' -o -name 'timeout-*' \) | wc -l)
  slow=$(find "$OUT/crashes/$t" -type f -name 'slow-unit-*' | wc -l)
  echo "fuzz: $t: ${runs:-0} executions in $(( $(date +%s) - start )) s, exit $rc, $crashes crash file(s), $slow slow unit(s) in $OUT/crashes/$t" >&2
  if [ "$rc" -ne 0 ] || [ "$crashes" -gt 0 ]; then failed=1; tail -30 "$log" >&2; fi
done
rm -f /dev/shm/microanpr-fuzz-video-*
exit $failed
