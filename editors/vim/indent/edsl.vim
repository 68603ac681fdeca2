" edsl indentation: the layout that `edsl fmt` writes (grammar/format.c), so that typing
" and `gg=G` agree with the formatter:
"   - two spaces per open brace; a line that starts with '}' goes back one;
"   - inside ( or [ with text after it on its line: under that text;
"   - a statement continued on the next line: four more than its first line, or, in a
"     report list, under the first name (and four more for the rest of an expression);
"   - the rows of a data table keep their place, since `edsl fmt` aligns their cells.
if exists('b:did_indent')
  finish
endif
let b:did_indent = 1

setlocal autoindent
setlocal indentexpr=EdslIndent(v:lnum)
setlocal indentkeys=0},0),0],!^F,o,O
let b:undo_indent = 'setlocal autoindent< indentexpr< indentkeys<'

if exists('*EdslIndent')
  finish
endif

" Words after which a newline does not end a statement (grammar/lexer.l).
let s:open_words = ['import', 'table', 'scenario', 'with', 'report', 'sweep', 'sample',
      \ 'in', 'to', 'and', 'or', 'not']

" The brackets open at the start of line a:lnum, as a list of [char, line, col, is_table],
" scanning the code from the top while skipping strings and comments.
function! s:OpenBrackets(lnum) abort
  let l:stack = []
  let l:pending_table = 0
  for l:n in range(1, a:lnum - 1)
    let l:text = getline(l:n)
    let l:i = 0
    let l:len = strlen(l:text)
    while l:i < l:len
      let l:c = l:text[l:i]
      if l:c ==# '#'
        break
      elseif l:c ==# '"'
        let l:i += 1
        while l:i < l:len && l:text[l:i] !=# '"'
          let l:i += l:text[l:i] ==# '\' ? 2 : 1
        endwhile
      elseif l:c =~# '[A-Za-z_]'
        let l:word = matchstr(l:text, '^[A-Za-z0-9_]\+', l:i)
        if l:word ==# 'table'
          let l:pending_table = 1
        endif
        let l:i += strlen(l:word) - 1
      elseif l:c =~# '[{([]'
        call add(l:stack, [l:c, l:n, l:i, l:c ==# '{' && l:pending_table])
        if l:c ==# '{'
          let l:pending_table = 0
        endif
      elseif l:c =~# '[})\]]' && !empty(l:stack)
        call remove(l:stack, -1)
      endif
      let l:i += 1
    endwhile
  endfor
  return l:stack
endfunction

" The code of a line without its comment, strings blanked, trailing blanks removed.
function! s:Code(lnum) abort
  let l:code = substitute(getline(a:lnum), '"\%([^"\\]\|\\.\)*"\=', '""', 'g')
  return substitute(substitute(l:code, '#.*$', '', ''), '\s\+$', '', '')
endfunction

" The nearest line above a:lnum with code on it, or 0.
function! s:PrevCode(lnum) abort
  let l:n = a:lnum - 1
  while l:n > 0 && s:Code(l:n) =~# '^\s*$'
    let l:n -= 1
  endwhile
  return l:n
endfunction

" Whether the statement on line a:lnum goes on to the next line: its last token cannot end
" one (an operator, ',', '=', an opening bracket or a keyword such as 'report').
function! s:Continues(lnum) abort
  let l:code = s:Code(a:lnum)
  if l:code =~# '[)\]}%"{]$'
    return 0
  endif
  let l:word = matchstr(l:code, '[A-Za-z0-9_.]\+$')
  if l:word !=# ''
    return index(s:open_words, l:word) >= 0
  endif
  return l:code !~# '^\s*$'
endfunction

function! EdslIndent(lnum) abort
  let l:stack = s:OpenBrackets(a:lnum)
  let l:line = getline(a:lnum)
  let l:closer = l:line =~# '^\s*[})\]]'
  let l:braces = len(filter(copy(l:stack), 'v:val[0] ==# "{"'))
  let l:brace_col = 2 * max([0, l:braces - (l:line =~# '^\s*}' ? 1 : 0)])
  let l:open = empty(l:stack) ? [] : l:stack[-1]

  " A data table row keeps its place: the formatter aligns its cells.
  if !empty(l:open) && l:open[3] && !l:closer
    return max([l:brace_col, indent(a:lnum)])
  endif
  " Inside ( or [ with text after it on its line: under that text.
  if !empty(l:open) && l:open[0] !=# '{'
    let l:after = strpart(getline(l:open[1]), l:open[2] + 1)
    if l:after !~# '^\s*\%(#.*\)\=$'
      return l:open[2] + 1 + strlen(matchstr(l:after, '^\s*')) - (l:closer ? 1 : 0)
    endif
  endif
  " A continued statement.
  let l:prev = s:PrevCode(a:lnum)
  if l:prev > 0 && (s:Continues(l:prev) || (!empty(l:open) && l:open[0] !=# '{'))
    let l:start = l:prev
    while s:PrevCode(l:start) > 0 && s:Continues(s:PrevCode(l:start))
      let l:start = s:PrevCode(l:start)
    endwhile
    if getline(l:start) !~# '^\s*report\>'
      return indent(l:start) + 4
    endif
    return indent(l:start) + (s:Code(l:prev) =~# ',$' ? 7 : 11)
  endif
  return l:brace_col
endfunction
