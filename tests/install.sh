#!/bin/sh
# cmake --install makes a tree that works on its own: a build of its own is installed into a
# temporary prefix, the build tree is removed and the prefix moved elsewhere; then its edsl
# finds its own stdlib (not the source tree's) with no variable set, runs the baseline from
# another directory with the numbers of the suite's build, and its man page, editor modes,
# bash completion, header, library and Python package are in place and work. Run from the
# repository root: install.sh BUILD_DIR EDSL.
set -u
edsl=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0 passes=0
ok() { passes=$((passes+1)); }
no() { fails=$((fails+1)); echo "FAIL: $*"; }
{ cmake -S . -B "$tmp/build" -DCMAKE_BUILD_TYPE=Release -DEDSL_ASAN=OFF &&
  cmake --build "$tmp/build" -j"$(nproc)" --target edsl edsl_shared &&
  cmake --install "$tmp/build" --prefix "$tmp/prefix"; } >"$tmp/log" 2>&1 ||
  { tail -20 "$tmp/log"; echo "FAIL: build and cmake --install"; exit 1; }
rm -rf "$tmp/build"
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
# Embedding: a C program against the installed header and libedsl, and the Python package
# (which finds the library itself), both from the moved tree, run the installed baseline.
for f in include/edsl.h lib/pkgconfig/edsl.pc lib/python3/dist-packages/edsl/__init__.py; do
  [ -f "$root/$f" ] && ok || no "not installed: $f"
done
cat >"$tmp/embed.c" <<'C'
#include <stdio.h>
#include <edsl.h>
int main(int argc, char **argv) {
  edsl_session *s = edsl_open();
  double t;
  if (argc < 2 || edsl_load_file(s, argv[1]) || edsl_run(s) || !edsl_result_number(s, "T_star_nash", &t))
    return fprintf(stderr, "%s\n", edsl_diagnostics_json(s)), 1;
  printf("%.10g\n", t);
  edsl_close(s);
  return 0;
}
C
want=$(grep '^T_star_nash,' "$tmp/tree.csv" | cut -d, -f2 | awk '{printf "%.10g", $1}')
if cc -I"$root/include" "$tmp/embed.c" -L"$root/lib" -ledsl -Wl,-rpath,"$root/lib" -o "$tmp/embed" 2>"$tmp/e"; then
  got=$(cd "$tmp/elsewhere" && env -u EDSL_HOME "$tmp/embed" "$root/share/edsl/scenarios/baseline.edsl" 2>&1)
  [ "$got" = "$want" ] && ok || no "the C program on the installed libedsl: $got, want $want"
else
  no "the C program does not build against the installed header and library: $(cat "$tmp/e")"
fi
got=$(cd "$tmp/elsewhere" && env -u EDSL_HOME -u EDSL_LIB PYTHONPATH="$root/lib/python3/dist-packages" python3 -c "
import edsl
print('%.10g' % edsl.run('$root/share/edsl/scenarios/baseline.edsl')['T_star_nash'])" 2>&1)
[ "$got" = "$want" ] && ok || no "the installed Python package: $got, want $want"
echo "install: $passes passed, $fails failed"
[ "$fails" -eq 0 ]
