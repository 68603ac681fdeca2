#!/usr/bin/env bash
# Debian bookworm has no tree-sitter CLI; trixie's (tree-sitter-cli 0.22.6) runs here with
# trixie's own dynamic loader and libc. This fetches the three packages with apt pointed at
# trixie through a private configuration, unpacks them with dpkg-deb into a private
# directory (nothing of the system changes), writes a `tree-sitter` wrapper that runs the
# CLI through that loader, and prints the wrapper's directory, for PATH. Cached: a second
# call only prints. $EDSL_TOOLS chooses the directory (default /opt/edsl-tools).
set -euo pipefail
dir=${EDSL_TOOLS:-/opt/edsl-tools}/tree-sitter
if [ ! -x "$dir/bin/tree-sitter" ]; then
  rm -rf "$dir"
  mkdir -p "$dir"/{etc/sources.list.d,etc/preferences.d,state/lists/partial,cache/archives/partial,root,bin}
  echo "deb [trusted=yes] http://deb.debian.org/debian trixie main" >"$dir/etc/sources.list"
  apt=(-o "Dir::Etc::SourceList=$dir/etc/sources.list" -o "Dir::Etc::SourceParts=$dir/etc/sources.list.d"
       -o "Dir::Etc::PreferencesParts=$dir/etc/preferences.d" -o "Dir::State=$dir/state"
       -o Dir::State::status=/dev/null -o "Dir::Cache=$dir/cache" -o APT::Architecture=amd64
       -o APT::Sandbox::User=root -o Acquire::Check-Valid-Until=false)
  apt-get "${apt[@]}" update >"$dir/apt.log" 2>&1
  (cd "$dir/cache/archives" && apt-get "${apt[@]}" download tree-sitter-cli libc6 libgcc-s1 >>"$dir/apt.log" 2>&1)
  for deb in "$dir"/cache/archives/*.deb; do dpkg-deb -x "$deb" "$dir/root"; done
  lib=$dir/root/usr/lib/x86_64-linux-gnu
  cat >"$dir/bin/tree-sitter" <<WRAP
#!/bin/sh
exec "$lib/ld-linux-x86-64.so.2" --library-path "$lib" "$dir/root/usr/bin/tree-sitter" "\$@"
WRAP
  chmod +x "$dir/bin/tree-sitter"
  "$dir/bin/tree-sitter" --version >/dev/null
fi
echo "$dir/bin"
