" edsl filetype settings: '#' comments, two-space indentation (what `edsl fmt` writes).
if exists('b:did_ftplugin')
  finish
endif
let b:did_ftplugin = 1

setlocal commentstring=#\ %s
setlocal comments=:#
setlocal formatoptions-=t formatoptions+=croql
setlocal expandtab shiftwidth=2 softtabstop=2 tabstop=8
" `edsl fmt` is the canonical layout: gq on the whole buffer runs it.
if executable('edsl')
  setlocal formatprg=edsl\ fmt\ /dev/stdin
endif

let b:undo_ftplugin = 'setlocal commentstring< comments< formatoptions< expandtab< '
      \ . 'shiftwidth< softtabstop< tabstop< formatprg<'
