#!/usr/bin/env bash
# Installs every build, run and test dependency of madoguchi from Debian 12 packages.
# Idempotent: a rerun on a machine that has everything takes about a second.
set -euo pipefail

PACKAGES=(
  g++ cmake make pkg-config python3 clang-format
  libcpp-httplib-dev libmicrohttpd-dev nlohmann-json3-dev libkainjow-mustache-dev
  libsqlite3-dev sqlite3 libpq-dev libpqxx-dev postgresql
  coinor-libcbc-dev
  libsodium-dev libssl-dev libcrack2-dev cracklib-runtime
  libspdlog-dev libfmt-dev libcli11-dev
  libgtest-dev libgmock-dev libbenchmark-dev wrk curl openssl
  chromium fonts-ipaexfont-gothic
  kannel kannel-extras redis-server
  libcurl4-openssl-dev python3-aiosmtpd libgmime-3.0-dev
  libopencv-core-dev libopencv-imgproc-dev libopencv-imgcodecs-dev
)
# Browser tests need Node.js; use the machine's own if it has one.
command -v node >/dev/null 2>&1 || PACKAGES+=(nodejs npm)

if [ "$(id -u)" != 0 ]; then
  echo "install-deps: run as root (apt-get), or install these packages yourself: ${PACKAGES[*]}" >&2
  exit 1
fi

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
