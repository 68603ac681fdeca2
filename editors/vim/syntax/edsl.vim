" Vim syntax file for edsl scenario files (.edsl).
" The word lists follow grammar/lexer.l (keywords, block keywords) and interp/units.c
" (units); tests/editors.sh checks that they stay in step.
if exists('b:current_syntax')
  finish
endif

syntax case match

syntax keyword edslTodo contained TODO FIXME XXX NOTE
syntax match edslComment "#.*$" contains=edslTodo,@Spell

syntax region edslString start=+"+ skip=+\\\\\|\\"+ end=+"+ end=+$+ contains=edslEscape,@Spell
syntax match edslEscape contained +\\[nt\\"]+

syntax keyword edslInclude import
syntax keyword edslStatement table scenario report sweep sample fn nextgroup=edslBlockName skipwhite
syntax keyword edslKeyword with in to
syntax keyword edslBlock learning_curve market workload adoption mesh growth cycle prediction
      \ plot progress uncertain claim dynamics calibrate latex nextgroup=edslBlockName skipwhite
syntax match edslBlockName contained "\<[A-Za-z_][A-Za-z0-9_]*\>"
syntax keyword edslBoolean true false
syntax keyword edslConstant inf
syntax keyword edslOperatorWord and or not
syntax match edslOperator "&&\|||\|!=\|==\|<=\|>=\|[-+*/^<>!=]"

" 3, 0.5, .5, 1e-3, 2.5E+4; a trailing % is part of the number (5 % is 0.05).
syntax match edslNumber "\<\d\+\%(\.\d*\)\=\%([eE][+-]\=\d\+\)\=" nextgroup=edslPercent,edslUnit skipwhite
syntax match edslNumber "\.\d\+\%([eE][+-]\=\d\+\)\=" nextgroup=edslPercent,edslUnit skipwhite
syntax match edslPercent contained "%"
syntax keyword edslUnit USD GB TB PB EB year month day hour minute second ms units

" name = ... and name { ... } inside blocks; calls f(...)
syntax match edslField "\<[A-Za-z_][A-Za-z0-9_]*\>\ze\s*\%(=[^=]\|{\)"
syntax match edslCall "\<[A-Za-z_][A-Za-z0-9_]*\>\ze\s*("

highlight default link edslComment Comment
highlight default link edslTodo Todo
highlight default link edslString String
highlight default link edslEscape SpecialChar
highlight default link edslInclude Include
highlight default link edslStatement Statement
highlight default link edslKeyword Keyword
highlight default link edslBlock Structure
highlight default link edslBlockName Identifier
highlight default link edslBoolean Boolean
highlight default link edslConstant Constant
highlight default link edslOperatorWord Operator
highlight default link edslOperator Operator
highlight default link edslNumber Number
highlight default link edslPercent Number
highlight default link edslUnit Type
highlight default link edslField Identifier
highlight default link edslCall Function

let b:current_syntax = 'edsl'
