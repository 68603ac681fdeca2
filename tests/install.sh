#!/bin/sh
# cmake --install makes a tree that works on its own: installed into a temporary prefix and
# moved elsewhere, its edsl finds its own stdlib (not the source tree's) with no variable set,
# runs the baseline from another directory with the numbers of the build it came from, and
# its man page, editor modes and bash completion are in place. Run from the repository root:
# install.sh BUILD_DIR EDSL.
set -u
build=$1 edsl=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0 passes=0
ok() { passes=$((passes+1)); }
no() { fails=$((fails+1)); echo "FAIL: $*"; }
cmake --install "$build" --prefix "$tmp/prefix" >"$tmp/log" 2>&1 || { cat "$tmp/log"; echo "FAIL: cmake --install"; exit 1; }
mv "$tmp/prefix" "$tmp/moved"
root=$(cd "$tmp/moved" && pwd -P)
bin=$root/bin/edsl
for f in share/edsl/stdlib/data/hbm.edsl share/edsl/scenarios/baseline.edsl share/man/man1/edsl.1 \
         share/vim/vimfiles/syntax/edsl.vim share/vim/vimfiles/ftdetect/edsl.vim \
         share/emacs/site-lisp/edsl-mode.el share/bash-completion/completions/edsl; do
  [ -f "$root/$f" ] && ok || no "not installed: $f"
done
mkdir "$tmp/elsewhere"
(cd "$tmp/elsewhere" && env -u EDSL_HOME "$bin" --version) >"$tmp/v" 2>&1
grep -qx "stdlib: $root/share/edsl/stdlib (the installation)" "$tmp/v" && ok ||
  no "the moved tree's edsl does not use its own stdlib: $(cat "$tmp/v")"
(cd "$tmp/elsewhere" && env -u EDSL_HOME "$bin" run "$root/share/edsl/scenarios/baseline.edsl" \
  --format csv) >"$tmp/installed.csv" 2>"$tmp/e" && ok || no "the baseline does not run: $(cat "$tmp/e")"
"$edsl" run scenarios/baseline.edsl --format csv >"$tmp/tree.csv" 2>/dev/null
grep -v '^#' "$tmp/tree.csv" >"$tmp/a"
grep -v '^#' "$tmp/installed.csv" >"$tmp/b"
[ -s "$tmp/a" ] && cmp -s "$tmp/a" "$tmp/b" && ok || no "the installed baseline's numbers differ from the tree's"
# EDSL_HOME still wins
(cd "$tmp/elsewhere" && EDSL_HOME=$tmp/elsewhere "$bin" --version) | grep -q "(\$EDSL_HOME)" && ok ||
  no "EDSL_HOME does not take precedence"
if command -v man >/dev/null 2>&1; then
  MANPATH=$root/share/man man -w edsl 2>/dev/null | grep -q "$root/share/man/man1/edsl.1" && ok ||
    no "man does not find the installed page"
fi
bash -c ". '$root/share/bash-completion/completions/edsl' && complete -p edsl" 2>/dev/null |
  grep -q '_edsl' && ok || no "the bash completion does not load"
bash -c ". '$root/share/bash-completion/completions/edsl'; COMP_WORDS=(edsl run sc); COMP_CWORD=2;
  cd '$PWD' && _edsl && printf '%s\n' \"\${COMPREPLY[@]}\"" 2>/dev/null | grep -qx 'scenarios' && ok ||
  no "the completion does not offer directories for a scenario"
bash -c ". '$root/share/bash-completion/completions/edsl'; COMP_WORDS=(edsl run x --f); COMP_CWORD=3;
  _edsl && printf '%s\n' \"\${COMPREPLY[@]}\"" 2>/dev/null | grep -qx -- '--format' && ok ||
  no "the completion does not offer run's options"
echo "install: $passes passed, $fails failed"
[ "$fails" -eq 0 ]
