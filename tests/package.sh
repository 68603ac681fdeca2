#!/bin/sh
# The Debian package: dpkg-buildpackage builds it from a copy of the tree (its build runs
# the unit tests and goldens), dpkg installs it, the installed edsl runs the baseline from
# another directory with the package's own stdlib, and the package is removed again. Run as
# root from the repository root (scripts/test.sh does, after installing dpkg-dev and
# debhelper).
set -eu
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/src"
# the tracked files only (no build trees)
git ls-files -z | tar --null -T - -cf - | tar -xf - -C "$tmp/src" 2>/dev/null ||
  tar --exclude='./build*' --exclude=./.git -cf - . | tar -xf - -C "$tmp/src"
(cd "$tmp/src" && dpkg-buildpackage -us -uc -b >"$tmp/build.log" 2>&1) || {
  tail -40 "$tmp/build.log"
  echo "FAIL: dpkg-buildpackage"
  exit 1
}
deb=$(ls "$tmp"/edsl_*.deb)
dpkg -i "$deb" >/dev/null
trap 'dpkg -r edsl >/dev/null 2>&1; rm -rf "$tmp"' EXIT
mkdir "$tmp/elsewhere"
cd "$tmp/elsewhere"
/usr/bin/edsl --version | grep -qx 'stdlib: /usr/share/edsl/stdlib (the installation)' || {
  /usr/bin/edsl --version
  echo "FAIL: the installed edsl does not use the package's stdlib"
  exit 1
}
/usr/bin/edsl run /usr/share/edsl/scenarios/baseline.edsl --format csv | grep -q '^T_star_nash,' || {
  echo "FAIL: the installed edsl does not run the baseline"
  exit 1
}
[ -f /usr/share/man/man1/edsl.1.gz ] || { echo "FAIL: no man page"; exit 1; }
# the Python package, where Debian's python3 looks, on the packaged libedsl
/usr/bin/python3 -c "import edsl; r = edsl.run('/usr/share/edsl/scenarios/baseline.edsl'); assert r['T_star_nash'] > 0" || {
  echo "FAIL: the packaged Python module does not run the baseline"
  exit 1
}
echo "package: $(basename "$deb") builds, installs and runs the baseline"
