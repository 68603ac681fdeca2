; Highlighting for edsl (tree-sitter). Capture names follow nvim-treesitter and Helix.

(comment) @comment
(string) @string
(escape_sequence) @string.escape
(number) @number
(boolean) @boolean
(infinity) @constant.builtin

; the interpreter's units (interp/units.c), written after a number or alone
(quantity unit: (identifier) @type.builtin)
((identifier) @type.builtin
  (#match? @type.builtin "^(USD|GB|TB|PB|EB|year|month|day|hour|minute|second|ms|units)$"))
(percentage "%" @type.builtin)

(block_keyword) @keyword
["table" "scenario" "report" "sweep" "sample" "fn" "with" "in" "to"] @keyword
(function_definition name: (identifier) @function)
(function_definition parameter: (identifier) @variable.parameter)
"import" @keyword.import
["and" "or" "not"] @keyword.operator

(block name: (identifier) @type.definition)
(table name: (identifier) @type.definition)
(scenario name: (identifier) @type.definition)
(scenario base: (identifier) @type)
(sample name: (identifier) @type.definition)
(sweep name: (identifier) @variable)

(constant name: (identifier) @constant)
(report_item name: (identifier) @variable)
(assignment field: (path (identifier) @property))
(section name: (identifier) @module)
(column name: (identifier) @property)
(axis field: (path (identifier) @property))
(member field: (identifier) @property)
(named_argument name: (identifier) @variable.parameter)
(call function: (identifier) @function.call)

["=" "+" "-" "*" "/" "^" "<" ">" "<=" ">=" "==" "!=" "&&" "||" "!"] @operator
["(" ")" "[" "]" "{" "}"] @punctuation.bracket
["," "." ":" ";"] @punctuation.delimiter
