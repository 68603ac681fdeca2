" Checks of the Vim support, run by tests/editors.sh:
"   vim -Nu NONE -i NONE -es --cmd 'set rtp^=editors/vim' -S editors/test/vim-test.vim
"       -c 'call EdslFaces("FIXTURE", "OUT")' -c 'qa!'
" EdslFaces writes each run of one syntax group as LINE:COL GROUP TEXT;
" EdslIndentCheck re-indents the files listed in a file with = and writes the lines that
" change;
" EdslReindent writes a file re-indented with =;
" EdslSettings writes the buffer-local settings of the ftplugin.
filetype plugin indent on
syntax enable

function! EdslFaces(file, out) abort
  execute 'edit ' . fnameescape(a:file)
  let l:lines = []
  for l:lnum in range(1, line('$'))
    let l:text = getline(l:lnum)
    let l:col = 1
    while l:col <= len(l:text)
      let l:group = synIDattr(synID(l:lnum, l:col, 1), "name")
      let l:start = l:col
      while l:col <= len(l:text)
            \ && synIDattr(synID(l:lnum, l:col, 1), "name") ==# l:group
        let l:col += 1
      endwhile
      let l:run = strpart(l:text, l:start - 1, l:col - l:start)
      if l:group !=# '' && l:run !~# '^\s*$'
        call add(l:lines, printf('%d:%d %s %s', l:lnum, l:start - 1, l:group, l:run))
      endif
    endwhile
  endfor
  call writefile(l:lines, a:out)
endfunction

function! EdslIndentCheck(list, out) abort
  let l:report = []
  let l:changed = 0
  let l:total = 0
  for l:file in readfile(a:list)
    execute 'edit! ' . fnameescape(l:file)
    let l:before = getline(1, '$')
    silent normal! gg=G
    let l:after = getline(1, '$')
    for l:i in range(len(l:before))
      let l:total += 1
      if l:before[l:i] !=# l:after[l:i]
        let l:changed += 1
        call add(l:report, printf("%s:%d\n  fmt|%s\n  vim|%s", l:file, l:i + 1,
              \ l:before[l:i], l:after[l:i]))
      endif
    endfor
    silent edit!
  endfor
  call add(l:report, printf('vim indentation: %d of %d lines differ', l:changed, l:total))
  call writefile(split(join(l:report, "\n"), "\n"), a:out)
endfunction

function! EdslSettings(file, out) abort
  execute 'edit ' . fnameescape(a:file)
  call writefile([
        \ 'filetype=' . &filetype,
        \ 'commentstring=' . &commentstring,
        \ 'comments=' . &comments,
        \ 'shiftwidth=' . &shiftwidth,
        \ 'expandtab=' . &expandtab,
        \ 'indentexpr=' . &indentexpr,
        \ ], a:out)
endfunction

function! EdslReindent(file, out) abort
  execute 'edit! ' . fnameescape(a:file)
  silent normal! gg=G
  call writefile(getline(1, '$'), a:out)
endfunction
