#!/usr/bin/env bash
# Builds the libFuzzer targets with clang + ASan/UBSan (preset `fuzz`) and runs each for
# SECONDS (default 300). The corpus grows in build-fuzz/corpus/<reader>; inputs that
# crash are written to tests/fuzz/corpus/<reader>/ so the replay tests keep them.
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
for r in "${readers[@]}"; do
  work="build-fuzz/corpus/$r"
  mkdir -p "$work"
  echo "== fuzz_$r for ${seconds}s"
  if ! ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
       "build-fuzz/tests/fuzz/fuzz_$r" "$work" "tests/fuzz/corpus/$r" \
       -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
       -artifact_prefix="tests/fuzz/corpus/$r/crash-" -print_final_stats=1 2>&1 | tail -n 25; then
    status=1
  fi
done
exit $status
