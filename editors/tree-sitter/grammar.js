/**
 * tree-sitter grammar for edsl scenario files, following grammar/parser.y and
 * grammar/lexer.l.
 *
 * As in the lexer, a newline ends a statement where a statement can end (Go's rule): the
 * '\n' token is valid only in those parse states, so everywhere else (after an operator or
 * a comma, inside ( ) and [ ]) the newline is white space. The parser accepts a few layouts
 * edsl refuses (two statements on one line without ';'); it is for highlighting, folding
 * and navigation, and `edsl check` stays the judge of validity.
 */

const BLOCK_KEYWORDS = [
  'learning_curve', 'market', 'workload', 'adoption', 'mesh', 'growth', 'cycle',
  'prediction', 'plot', 'progress', 'uncertain', 'claim', 'dynamics', 'calibrate', 'latex',
];

const PREC = {
  or: 1,
  and: 2,
  compare: 3,
  add: 4,
  multiply: 5,
  unary: 6,
  power: 7,
  member: 8,
  unit: 9,
};

const commaSep1 = (rule) => seq(rule, repeat(seq(',', rule)));

module.exports = grammar({
  name: 'edsl',

  word: ($) => $.identifier,

  extras: ($) => [$.comment, /[ \t\r\n]/],

  rules: {
    source_file: ($) => repeat(choice($._statement, $._terminator)),

    _terminator: (_) => choice('\n', ';', '\0'),

    _statement: ($) => choice(
      $.import_statement,
      $.constant,
      $.block,
      $.table,
      $.scenario,
      $.report,
      $.sweep,
      $.sample,
      $.function_definition,
    ),

    import_statement: ($) => seq('import', field('path', $.string)),

    constant: ($) => seq(field('name', $.identifier), '=', field('value', $._expression)),

    block: ($) => seq(
      field('kind', $.block_keyword),
      field('name', $._name),
      field('body', $.body),
    ),

    block_keyword: (_) => choice(...BLOCK_KEYWORDS),

    body: ($) => seq('{', repeat(choice($._item, $._terminator)), '}'),

    _item: ($) => choice($.assignment, $.section),

    assignment: ($) => seq(field('field', $.path), '=', field('value', $._expression)),

    section: ($) => seq(field('name', $._name), field('body', $.body)),

    path: ($) => seq($._name, repeat(seq('.', $._name))),

    // Block keywords are names too where a name is expected (market = inference).
    _name: ($) => choice($.identifier, alias($.block_keyword, $.identifier)),

    table: ($) => seq(
      'table',
      field('name', $.identifier),
      '(', commaSep1($.column), ')',
      choice(
        seq('{', repeat(choice($.row, $._terminator)), '}'),
        seq('from', field('file', $.string)),
      ),
    ),

    column: ($) => seq(field('name', $._name), optional(seq(':', field('unit', $._expression)))),

    row: ($) => commaSep1($._expression),

    scenario: ($) => seq(
      'scenario',
      field('name', $.identifier),
      optional(seq('=', field('base', $.identifier), 'with')),
      field('body', $.body),
    ),

    report: ($) => seq('report', commaSep1($.report_item)),

    report_item: ($) => seq(field('name', $.identifier), '=', field('value', $._expression)),

    sweep: ($) => seq(
      'sweep',
      optional(seq(field('name', $.identifier), '=')),
      commaSep1($.axis),
      field('body', $.statements),
      optional(seq('to', field('file', $.string))),
    ),

    axis: ($) => seq(field('field', $.path), 'in', field('values', $._expression)),

    sample: ($) => seq(
      'sample',
      field('name', $.identifier),
      '=',
      field('design', $._expression),
      field('body', $.statements),
      optional(seq('to', field('file', $.string))),
    ),

    function_definition: ($) => seq(
      'fn',
      field('name', $.identifier),
      '(',
      optional(commaSep1(field('parameter', $.identifier))),
      ')',
      '=',
      field('body', $._expression),
    ),

    statements: ($) => seq('{', repeat(choice($._statement, $._terminator)), '}'),

    _expression: ($) => choice(
      $.binary_expression,
      $.unary_expression,
      $.call,
      $.member,
      $.quantity,
      $.percentage,
      $.number,
      $.string,
      $.boolean,
      $.infinity,
      $.identifier,
      $.parenthesized,
      $.list,
    ),

    binary_expression: ($) => {
      const table = [
        [PREC.or, choice('or', '||'), prec.left],
        [PREC.and, choice('and', '&&'), prec.left],
        [PREC.compare, choice('<', '>', '<=', '>=', '==', '!='), prec.left],
        [PREC.add, choice('+', '-'), prec.left],
        [PREC.multiply, choice('*', '/'), prec.left],
        [PREC.power, '^', prec.right],
      ];
      return choice(...table.map(([p, op, assoc]) => assoc(p, seq(
        field('left', $._expression),
        field('operator', op),
        field('right', $._expression),
      ))));
    },

    unary_expression: ($) => prec(PREC.unary, seq(
      field('operator', choice('-', 'not', '!')),
      field('operand', $._expression),
    )),

    // The '(' of a call touches its name: a table's row `f` and a next row `(x)` are two
    // rows, as edsl's own grammar reads them (a newline ends a row outside ( ) and [ ]).
    call: ($) => seq(
      field('function', $.identifier),
      token.immediate('('),
      optional(commaSep1(choice($._expression, $.named_argument))),
      ')',
    ),

    named_argument: ($) => seq(field('name', $.identifier), '=', field('value', $._expression)),

    member: ($) => prec(PREC.member, seq(
      field('object', $._expression),
      '.',
      field('field', $._name),
    )),

    // 120 USD: a number with a unit written after it.
    quantity: ($) => prec(PREC.unit, seq(field('value', $.number), field('unit', $.identifier))),

    percentage: ($) => seq(field('value', $.number), '%'),

    parenthesized: ($) => seq('(', $._expression, ')'),

    list: ($) => seq('[', optional(seq(commaSep1($._expression), optional(','))), ']'),

    number: (_) => token(choice(
      /[0-9]+(\.[0-9]*)?([eE][+-]?[0-9]+)?/,
      /\.[0-9]+([eE][+-]?[0-9]+)?/,
    )),

    string: ($) => seq('"', repeat(choice($._string_content, $.escape_sequence)), '"'),

    _string_content: (_) => token.immediate(prec(1, /[^"\\\n]+/)),

    escape_sequence: (_) => token.immediate(/\\[nt\\"]/),

    boolean: (_) => choice('true', 'false'),

    infinity: (_) => 'inf',

    identifier: (_) => /[A-Za-z_][A-Za-z0-9_]*/,

    comment: (_) => token(seq('#', /[^\n]*/)),
  },
});
