#!/usr/bin/env bash
# Builds the libFuzzer targets with clang + ASan/UBSan (preset `fuzz`) and runs each for
# SECONDS (default 300). The corpus grows in build-fuzz/corpus/<reader>; inputs that
# crash are written to tests/fuzz/corpus/<reader>/ so the replay tests keep them. Each
# run's output is kept in build-fuzz/logs/<reader>.log; a table of executions, speed,
# coverage (edges and features) and corpus size per target ends the run. Each target
# has its own -max_len: a little above its largest seed, large enough for every
# structure the reader handles; tests/fuzz/<reader>.dict, when there is one, gives
# libFuzzer the words of that input's language. STEPWISE_FUZZ_NO_BUILD=1 runs the
# binaries already in build-fuzz/ (a queue of runs while the sources change).
#   tests/fuzz/run.sh [SECONDS] [reader ...]
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds="${1:-300}"
shift || true
readers=("$@")
if [ ${#readers[@]} -eq 0 ]; then readers=(csv json xlsx sqlite formula model_file predict_request project); fi

if [ "${STEPWISE_FUZZ_NO_BUILD:-0}" != 1 ]; then
  cmake --preset fuzz >/dev/null
  targets=()
  for r in "${readers[@]}"; do targets+=("fuzz_$r"); done
  cmake --build --preset fuzz --target "${targets[@]}"
fi

max_len() {
  case "$1" in
    formula) echo 8192 ;;            # the expression limit is 4096 characters
    csv|json|predict_request) echo 16384 ;;
    model_file|project) echo 32768 ;;
    *) echo 65536 ;;                 # xlsx (zip) and sqlite (pages) need whole files
  esac
}

status=0
summary=()
mkdir -p build-fuzz/logs
for r in "${readers[@]}"; do
  work="build-fuzz/corpus/$r"
  log="build-fuzz/logs/$r.log"
  mkdir -p "$work"
  echo "== fuzz_$r for ${seconds}s"
  result=ok
  dict=()
  if [ -f "tests/fuzz/$r.dict" ]; then dict=(-dict="tests/fuzz/$r.dict"); fi
  if ! ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
       "build-fuzz/tests/fuzz/fuzz_$r" "$work" "tests/fuzz/corpus/$r" \
       -max_total_time="$seconds" -max_len="$(max_len "$r")" -timeout=10 -rss_limit_mb=2048 \
       -artifact_prefix="tests/fuzz/corpus/$r/crash-" -print_final_stats=1 "${dict[@]}" >"$log" 2>&1; then
    status=1
    result=FAILED
  fi
  tail -n 25 "$log"
  # libFuzzer's final statistics and the coverage of its last status line.
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -n 1 | cut -d' ' -f2)
  ft=$(grep -o 'ft: [0-9]*' "$log" | tail -n 1 | cut -d' ' -f2)
  corpus=$(ls "$work" | wc -l)
  summary+=("$(printf '%-16s %8ss %12s %9s %8s %9s %8s  %s' "$r" "$seconds" "${execs:-?}" "${rate:-?}" "${cov:-?}" "${ft:-?}" "$corpus" "$result")")
done
echo
printf '%-16s %9s %12s %9s %8s %9s %8s  %s\n' target time execs exec/s edges features corpus result
printf '%s\n' "${summary[@]}"
exit $status
