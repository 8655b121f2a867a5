#!/usr/bin/env bash
# Installs every Debian 12 package that Stepwise's build, tests and benchmarks need.
# Idempotent: packages already present are left alone and apt is not touched at all
# when nothing is missing. Waits for the dpkg/apt lock when another process holds it.
set -euo pipefail

packages=(
  # toolchain
  build-essential cmake ninja-build git
  # GUI: Qt 6 Widgets, Charts, Concurrent, Test; Charts needs the OpenGL dev package
  qt6-base-dev qt6-charts-dev libqt6opengl6-dev qt6-qpa-plugins libgl-dev
  # fonts, so offscreen screenshots show text
  fonts-dejavu-core
  # engine
  libeigen3-dev libboost-serialization-dev libfast-float-dev nlohmann-json3-dev libcli11-dev
  # data readers: xlsx (zip + streaming XML), SQLite
  libzip-dev libexpat1-dev libsqlite3-dev
  # locale definitions: tst_locale and cli_locale_paths build de_DE.UTF-8 (decimal comma)
  # with localedef into the build tree, from /usr/share/i18n/locales
  locales
  # reference implementation for tests and benchmarks (numpy on OpenBLAS)
  python3 python3-sklearn python3-pandas python3-numpy libopenblas0-pthread
  # writes the .xlsx fixtures the reader tests compare against pandas
  python3-openpyxl
  # checks random over/under-sampling and SMOTE against imbalanced-learn
  python3-imblearn
  # export: ONNX graphs (protobuf), model file hashing and encryption, prediction server
  # with TLS; onnx.checker verifies exported graphs in the tests
  libonnx-dev libprotobuf-dev protobuf-compiler python3-onnx libsodium-dev
  libcpp-httplib-dev libssl-dev
  # the server benchmark: wrk against Flask + scikit-learn; openssl makes the TLS test's
  # self-signed certificate
  wrk python3-flask openssl
  # packaging: .deb dependencies (dpkg-shlibdeps), validators of the desktop entry,
  # AppStream metainfo and MIME type
  dpkg-dev desktop-file-utils appstream shared-mime-info
  # fuzz targets (libFuzzer ships in compiler-rt)
  clang libclang-rt-14-dev libomp-14-dev
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q '^install ok installed$'; then
    missing+=("$p")
  fi
done

sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi

# apt waits on the dpkg frontend lock itself with this option; the loop also covers
# the lists lock of a concurrent 'apt-get update' and transient mirror failures.
apt_get() {
  local attempt
  for attempt in 1 2 3 4 5 6 7 8 9 10; do
    if $sudo env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 -y "$@"; then
      return 0
    fi
    echo "install-deps: apt-get $1 failed (attempt $attempt), retrying in 15 s" >&2
    sleep 15
  done
  return 1
}

# Node.js runs ONNX Runtime in the export tests; the machines usually bring their own.
if ! command -v npm >/dev/null 2>&1; then
  missing+=(nodejs npm)
fi

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
else
  echo "install-deps: installing ${missing[*]}"
  apt_get update -q
  apt_get install -q --no-install-recommends "${missing[@]}"
fi

# ONNX Runtime for the tests, pinned by tests/onnx/package-lock.json. The plain install
# also downloads GPU binaries and fails here; the CPU build ships inside the package.
onnx_dir="$(cd "$(dirname "$0")/.." && pwd)/tests/onnx"
if [ ! -f "$onnx_dir/node_modules/onnxruntime-node/package.json" ]; then
  echo "install-deps: installing onnxruntime-node from npm"
  (cd "$onnx_dir" && ONNXRUNTIME_NODE_INSTALL=skip npm ci --no-audit --no-fund --loglevel=error)
fi
echo "install-deps: done"
