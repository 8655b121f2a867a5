#!/usr/bin/env bash
# Builds the libFuzzer targets with clang + ASan/UBSan (preset `fuzz`) and runs each for
# SECONDS (default 300). The corpus grows in build-fuzz/corpus/<reader>; inputs that
# crash are written to tests/fuzz/corpus/<reader>/ so the replay tests keep them. Each
# run's output is kept in build-fuzz/logs/<reader>.log; a table of executions, speed,
# coverage (edges) and corpus size per target ends the run.
#   tests/fuzz/run.sh [SECONDS] [reader ...]
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds="${1:-300}"
shift || true
readers=("$@")
if [ ${#readers[@]} -eq 0 ]; then readers=(csv json xlsx sqlite formula model_file predict_request project); fi

cmake --preset fuzz >/dev/null
targets=()
for r in "${readers[@]}"; do targets+=("fuzz_$r"); done
cmake --build --preset fuzz --target "${targets[@]}"

status=0
summary=()
mkdir -p build-fuzz/logs
for r in "${readers[@]}"; do
  work="build-fuzz/corpus/$r"
  log="build-fuzz/logs/$r.log"
  mkdir -p "$work"
  echo "== fuzz_$r for ${seconds}s"
  result=ok
  if ! ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
       "build-fuzz/tests/fuzz/fuzz_$r" "$work" "tests/fuzz/corpus/$r" \
       -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
       -artifact_prefix="tests/fuzz/corpus/$r/crash-" -print_final_stats=1 >"$log" 2>&1; then
    status=1
    result=FAILED
  fi
  tail -n 25 "$log"
  # libFuzzer's final statistics and the coverage of its last status line.
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -n 1 | cut -d' ' -f2)
  corpus=$(ls "$work" | wc -l)
  summary+=("$(printf '%-16s %8ss %12s %9s %8s %8s  %s' "$r" "$seconds" "${execs:-?}" "${rate:-?}" "${cov:-?}" "$corpus" "$result")")
done
echo
printf '%-16s %9s %12s %9s %8s %8s  %s\n' target time execs exec/s edges corpus result
printf '%s\n' "${summary[@]}"
exit $status
