// What the VSIX ships, as vsce lists it from .vscodeignore (without packaging): an allowlist, so a new
// file in the repository never ships by accident, and the media sources stay out.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { repoRoot } from '../../support/paths';

const ALLOWED: RegExp[] = [
  /^package\.json$/,
  // The English texts of the manifest and of the code, for translators (package.nls.*.json, l10n/).
  /^package\.nls(\.[\w-]+)?\.json$/,
  /^l10n\/bundle\.l10n(\.[\w-]+)?\.json$/,
  /^README\.md$/,
  /^CHANGELOG\.md$/,
  /^LICENSE$/,
  /^language-configuration\.json$/,
  /^dist\/extension\.js$/,
  /^dist\/diagnosticsWorker\.js$/,
  /^dist\/vendor\/[\w.-]+\.js$/,
  /^dist\/keywords\/haproxy-[\d.]+\.json$/,
  // The traffic map's webview bundle and stylesheet.
  /^dist\/webview\/map\.(js|css)$/,
  /^syntaxes\/[\w.-]+\.json$/,
  /^snippets\/[\w.-]+\.json$/,
  /^media\/(icon\.png|activitybar\.svg|haproxy-file\.svg)$/,
  /^media\/walkthrough\/[\w-]+\.md$/,
  // README shows them (packaged with --no-rewrite-relative-links, so they must ship).
  /^media\/screenshots\/[\w-]+\.jpg$/,
];

function vsceList(): string[] {
  const vsce = path.join(repoRoot, 'node_modules', '.bin', 'vsce');
  const out = execFileSync(vsce, ['ls', '--no-dependencies'], {
    cwd: repoRoot,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return out
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
}

describe('VSIX contents (vsce ls)', () => {
  const files = vsceList();

  it('ships only allowlisted files', () => {
    const extra = files.filter((f) => !ALLOWED.some((re) => re.test(f)));
    assert.deepEqual(extra, [], `files that would ship but are not allowlisted: ${extra.join(', ')}`);
  });

  it('leaves out the media sources, the tests, the sources and the scripts', () => {
    for (const f of ['media/make-icons.sh', 'media/icon.svg']) assert.ok(!files.includes(f), `${f} ships`);
    for (const f of files)
      assert.doesNotMatch(f, /^(test|src|scripts|out|node_modules|\.cache|\.ci|\.github)\//, `${f} ships`);
  });

  it('ships what the extension needs', () => {
    for (const f of [
      'package.json',
      'package.nls.json',
      'l10n/bundle.l10n.json',
      'README.md',
      'LICENSE',
      'media/icon.png',
      'syntaxes/haproxy.tmLanguage.json',
      'language-configuration.json',
    ]) {
      assert.ok(files.includes(f), `${f} is missing`);
    }
    // The bundle exists only after a build (npm test builds before the unit tests).
    if (fs.existsSync(path.join(repoRoot, 'dist', 'extension.js'))) {
      for (const f of ['dist/extension.js', 'dist/diagnosticsWorker.js'])
        assert.ok(files.includes(f), `${f} is missing`);
    }
    for (const f of ['dist/webview/map.js', 'dist/webview/map.css']) {
      if (fs.existsSync(path.join(repoRoot, f))) assert.ok(files.includes(f), `${f} is missing`);
    }
  });
});
