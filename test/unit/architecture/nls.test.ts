// Ready for translation: the manifest's texts are `%key%` references into package.nls.json (every key
// used exists, every key defined is used), and the bundle of the code's texts is committed.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { repoRoot } from '../../support/paths';

const read = (file: string): string => fs.readFileSync(path.join(repoRoot, file), 'utf8');

/** Every `%key%` string value in `json`. */
function referencedKeys(json: unknown, found = new Set<string>()): Set<string> {
  if (typeof json === 'string') {
    const m = /^%([^%\s]+)%$/.exec(json);
    if (m) found.add(m[1]);
  } else if (Array.isArray(json)) {
    for (const v of json) referencedKeys(v, found);
  } else if (json && typeof json === 'object') {
    for (const v of Object.values(json)) referencedKeys(v, found);
  }
  return found;
}

/** The source files under `dir`. */
function tsFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? tsFiles(full) : e.name.endsWith('.ts') ? [full] : [];
  });
}

/** The literal messages of the `l10n.t('…')` calls in `source`, unescaped as JavaScript reads them. */
export function l10nMessages(source: string): string[] {
  const calls = /\bl10n\.t\(\s*(['"`])((?:\\.|(?!\1)[^\\])*)\1/g;
  return [...source.matchAll(calls)].map(([, , body]) =>
    JSON.parse(`"${body.replace(/\\(['`])/g, '$1').replace(/(^|[^\\])"/g, '$1\\"')}"`),
  );
}

describe('manifest texts for translation', () => {
  const manifest = JSON.parse(read('package.json')) as { l10n?: string; contributes: unknown };
  const nls = JSON.parse(read('package.nls.json')) as Record<string, unknown>;
  const used = referencedKeys(manifest);

  it('finds the references it checks', () => {
    assert.deepEqual([...referencedKeys({ a: '%x.y%', b: ['%z%', '100%', '% not %'] })], ['x.y', 'z']);
    assert.ok(used.size > 50, `${used.size} references`);
  });

  it('every %key% in package.json is defined in package.nls.json, with a text', () => {
    const missing = [...used].filter((k) => typeof nls[k] !== 'string' || !(nls[k] as string).trim());
    assert.deepEqual(missing, []);
  });

  it('every key of package.nls.json is used by package.json', () => {
    const unused = Object.keys(nls).filter((k) => !used.has(k));
    assert.deepEqual(unused, []);
  });

  it('names the bundle folder of the code texts, which holds the exported bundle', () => {
    assert.equal(manifest.l10n, './l10n');
    const bundle = JSON.parse(read('l10n/bundle.l10n.json')) as Record<string, unknown>;
    assert.ok(Object.keys(bundle).length > 0, 'empty bundle: run npm run l10n');
  });
});

describe('code texts for translation', () => {
  it('reads the messages of l10n.t calls', () => {
    const source = `vscode.l10n.t('It\\'s {0}', x); l10n.t("a \\"b\\"\\n"); vscode.l10n.t(\`c\`)`;
    assert.deepEqual(l10nMessages(source), ["It's {0}", 'a "b"\n', 'c']);
  });

  it('the committed bundle holds every message of the code (else run npm run l10n)', () => {
    const bundle = JSON.parse(read('l10n/bundle.l10n.json')) as Record<string, unknown>;
    const messages = tsFiles(path.join(repoRoot, 'src')).flatMap((f) => l10nMessages(fs.readFileSync(f, 'utf8')));
    assert.ok(messages.length > 100, `${messages.length} messages`);
    assert.deepEqual([...new Set(messages.filter((m) => !(m in bundle)))], []);
  });
});
