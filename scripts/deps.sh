#!/usr/bin/env bash
# Installs edsl's build dependencies from Debian's packages when any is missing, with any
# extra packages named as arguments (the tests add clang and libFuzzer, bench/ SciPy).
set -euo pipefail
pkgs=(build-essential cmake pkg-config flex bison libgsl-dev libreadline-dev libjansson-dev
      nettle-dev libdouble-conversion-dev libarpack2-dev libsuitesparse-dev python3 gnuplot-nox
      "$@")
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
  $SUDO apt-get update
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends "${missing[@]}"
fi
