// Loads syntaxes/haproxy.tmLanguage.json with vscode-textmate + vscode-oniguruma, the same
// engine VS Code uses, and tokenizes text line by line carrying the rule stack like the editor.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as oniguruma from 'vscode-oniguruma';
import * as vsctm from 'vscode-textmate';
import { repoRoot } from '../../support/paths';

export const grammarPath = path.join(repoRoot, 'syntaxes', 'haproxy.tmLanguage.json');

let wasmLoaded: Promise<void> | undefined;

function onigLib(): Promise<vsctm.IOnigLib> {
  wasmLoaded ??= (async () => {
    const wasm = fs.readFileSync(path.join(repoRoot, 'node_modules', 'vscode-oniguruma', 'release', 'onig.wasm'));
    await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  })();
  return wasmLoaded.then(() => ({
    createOnigScanner: (patterns: string[]) => new oniguruma.OnigScanner(patterns),
    createOnigString: (s: string) => new oniguruma.OnigString(s),
  }));
}

/** The grammar from a raw object (e.g. regenerated in memory) or from the committed file. */
export async function loadGrammar(raw?: object): Promise<vsctm.IGrammar> {
  const registry = new vsctm.Registry({
    onigLib: onigLib(),
    loadGrammar: async (scopeName) => {
      if (scopeName !== 'source.haproxy') return null;
      const text = raw ? JSON.stringify(raw) : fs.readFileSync(grammarPath, 'utf8');
      return vsctm.parseRawGrammar(text, 'haproxy.tmLanguage.json');
    },
  });
  const grammar = await registry.loadGrammar('source.haproxy');
  if (!grammar) throw new Error('source.haproxy did not load');
  return grammar;
}

export interface Token {
  text: string;
  scopes: string[];
}

/** Tokens of each line, the rule stack carried from line to line as VS Code does. */
export function tokenizeLines(grammar: vsctm.IGrammar, lines: string[]): Token[][] {
  let stack: vsctm.StateStack = vsctm.INITIAL;
  return lines.map((line) => {
    const r = grammar.tokenizeLine(line, stack);
    stack = r.ruleStack;
    return r.tokens.map((t) => ({ text: line.slice(t.startIndex, t.endIndex), scopes: t.scopes }));
  });
}

/** Splits a document like VS Code's text model: LF or CRLF line ends, without the final empty line. */
export function splitLines(text: string): string[] {
  const lines = text.split(/\r\n|\n/);
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** A CommonJS script of scripts/ (a generator), loaded for tests. */
export async function loadScript<T>(name: string): Promise<T> {
  const mod = (await import(path.join(repoRoot, 'scripts', name))) as { default?: T } & T;
  return mod.default ?? mod;
}
