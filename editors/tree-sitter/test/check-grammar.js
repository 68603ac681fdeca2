// A check of the grammar that needs no tree-sitter CLI: grammar.js is loaded with a
// stand-in for tree-sitter's DSL, every $.rule it references must be defined, and every
// node and field that queries/highlights.scm names must exist in the grammar.
//   node test/check-grammar.js grammar.js queries/highlights.scm
const fs = require('fs');
const referenced = new Set();
const $ = new Proxy({}, { get: (_, name) => { referenced.add(name); return { type: 'SYMBOL', name }; } });
const norm = (r) => (typeof r === 'string' ? { type: 'STRING', value: r } : r instanceof RegExp ? { type: 'PATTERN', value: r.source } : r);
global.seq = (...m) => ({ type: 'SEQ', members: m.map(norm) });
global.choice = (...m) => ({ type: 'CHOICE', members: m.map(norm) });
global.repeat = (r) => ({ type: 'REPEAT', content: norm(r) });
global.repeat1 = (r) => ({ type: 'REPEAT1', content: norm(r) });
global.optional = (r) => choice(r, { type: 'BLANK' });
global.field = (n, r) => { if (typeof n !== 'string') throw Error('field name'); return { type: 'FIELD', name: n, content: norm(r) }; };
global.alias = (r, a) => ({ type: 'ALIAS', content: norm(r), value: a });
global.token = (r) => ({ type: 'TOKEN', content: norm(r) });
token.immediate = (r) => ({ type: 'IMMEDIATE_TOKEN', content: norm(r) });
global.prec = (p, r) => ({ type: 'PREC', value: p, content: norm(r) });
prec.left = (p, r) => ({ type: 'PREC_LEFT', value: p, content: norm(r) });
prec.right = (p, r) => ({ type: 'PREC_RIGHT', value: p, content: norm(r) });
global.grammar = (g) => g;
const g = require(require('path').resolve(process.argv[2]));
const rules = Object.keys(g.rules);
for (const k of rules) g.rules[k]($);
g.extras($); g.word($);
const missing = [...referenced].filter((r) => !rules.includes(r));
console.log(rules.length, 'rules;', missing.length ? 'undefined: ' + missing : 'all references defined');

// Named nodes: visible rules and aliases; fields: every field() name.
const nodes = new Set(rules.filter((r) => !r.startsWith('_')));
const fields = new Set();
const walk = (r) => {
  if (!r || typeof r !== 'object') return;
  if (r.type === 'FIELD') fields.add(r.name);
  if (r.type === 'ALIAS' && r.value && r.value.name) nodes.add(r.value.name);
  for (const m of r.members || []) walk(m);
  walk(r.content);
};
for (const k of rules) walk(g.rules[k]($));
const query = fs.readFileSync(process.argv[3], 'utf8').replace(/;.*$/gm, '').replace(/"(?:[^"\\]|\\.)*"/g, '""');
const bad = [];
for (const m of query.matchAll(/\(([a-z_]+)/g)) if (!nodes.has(m[1])) bad.push('node ' + m[1]);
for (const m of query.matchAll(/([a-z_]+):/g)) if (!fields.has(m[1])) bad.push('field ' + m[1]);
console.log(bad.length ? 'highlights.scm names unknown ' + [...new Set(bad)] : 'highlights.scm names only known nodes and fields');
process.exit(missing.length || bad.length ? 1 : 0);
