// Tokenizes edsl files with the extension's TextMate grammar, through the engine VS Code
// uses (vscode-textmate on the Oniguruma regex library compiled to WebAssembly).
//
//   node test/tokenize.js FILE...            print each token: LINE:COL SCOPES TEXT
//   node test/tokenize.js --check            compare editors/test/*.edsl with their
//                                            golden tokens, editors/test/*.vscode
//   node test/tokenize.js --update           rewrite the golden tokens
//   node test/tokenize.js --clean FILE...    fail on an invalid.* scope in any file
'use strict';
const fs = require('fs');
const path = require('path');
const oniguruma = require('vscode-oniguruma');
const vsctm = require('vscode-textmate');

const here = __dirname;
const fixtureDir = path.join(here, '..', '..', 'test');
const grammarPath = path.join(here, '..', 'syntaxes', 'edsl.tmLanguage.json');

async function loadGrammar() {
  const wasm = fs.readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm'));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.length));
  const registry = new vsctm.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (sources) => new oniguruma.OnigScanner(sources),
      createOnigString: (s) => new oniguruma.OnigString(s),
    }),
    loadGrammar: async (scopeName) => {
      if (scopeName !== 'source.edsl') return null;
      const text = fs.readFileSync(grammarPath, 'utf8');
      return vsctm.parseRawGrammar(text, grammarPath);
    },
  });
  return registry.loadGrammar('source.edsl');
}

// One line per token that is not only white space: LINE:COL SCOPES TEXT, where SCOPES
// leaves out the root scope source.edsl.
function tokenize(grammar, text) {
  const out = [];
  let state = vsctm.INITIAL;
  const lines = text.split('\n');
  if (lines.length && lines[lines.length - 1] === '') lines.pop();
  lines.forEach((line, i) => {
    const r = grammar.tokenizeLine(line, state);
    for (const t of r.tokens) {
      const piece = line.slice(t.startIndex, t.endIndex);
      if (/^\s*$/.test(piece)) continue;
      const scopes = t.scopes.filter((s) => s !== 'source.edsl').join(' ') || '-';
      out.push(`${i + 1}:${t.startIndex} ${scopes} ${piece}`);
    }
    state = r.ruleStack;
  });
  return out.join('\n') + '\n';
}

async function main() {
  const args = process.argv.slice(2);
  const grammar = await loadGrammar();
  if (args[0] === '--check' || args[0] === '--update') {
    const fixtures = fs.readdirSync(fixtureDir).filter((f) => f.endsWith('.edsl')).sort();
    let failed = 0;
    for (const f of fixtures) {
      const got = tokenize(grammar, fs.readFileSync(path.join(fixtureDir, f), 'utf8'));
      const goldenPath = path.join(fixtureDir, f.replace(/\.edsl$/, '.vscode'));
      if (args[0] === '--update') {
        fs.writeFileSync(goldenPath, got);
        continue;
      }
      const want = fs.existsSync(goldenPath) ? fs.readFileSync(goldenPath, 'utf8') : '';
      if (got !== want) {
        failed++;
        const g = got.split('\n');
        const w = want.split('\n');
        const k = g.findIndex((line, j) => line !== w[j]);
        console.log(`${f}: token ${k + 1} differs\n  want: ${w[k]}\n  got:  ${g[k]}`);
      }
    }
    console.log(`${fixtures.length - failed} of ${fixtures.length} fixtures match their tokens`);
    process.exit(failed ? 1 : 0);
  }
  if (args[0] === '--clean') {
    let bad = 0;
    for (const f of args.slice(1)) {
      for (const line of tokenize(grammar, fs.readFileSync(f, 'utf8')).split('\n')) {
        if (/ invalid\./.test(line)) {
          bad++;
          console.log(`${f}:${line}`);
        }
      }
    }
    console.log(`${args.length - 1} files tokenized, ${bad} invalid tokens`);
    process.exit(bad ? 1 : 0);
  }
  for (const f of args) process.stdout.write(tokenize(grammar, fs.readFileSync(f, 'utf8')));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
