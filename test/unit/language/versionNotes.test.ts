// Version-aware diagnostics: what the targeted version does not know, said with the version that does.

import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { diagnose } from '../../../src/language/core/analysis/diagnostics';
import { codeActionsFor } from '../../../src/language/core/features/codeActions';
import { loadKeywords } from '../../../src/language/core/keywords';
import { LanguageService } from '../../../src/language/core/service';
import { parseConfig } from '../../../src/shared/haproxy-config/parser';

const DEFAULTS = 'defaults\n  mode http\n  timeout client 5s\n  timeout server 5s\n  timeout connect 5s\n';

function run(text: string, version: string) {
  const model = parseConfig(text, { haproxyVersion: version });
  return { model, diags: diagnose(model, { keywords: loadKeywords(version) }) };
}

describe('diagnostics per targeted HAProxy version', () => {
  it('a keyword of a newer version says which version, with a quick fix to change the target', () => {
    const text = `global\n  stats-file /tmp/stats\n${DEFAULTS}`;
    const { model, diags } = run(text, '2.8');
    const d = diags.find((x) => x.line === 1);
    assert.equal(d?.code, 'newer-keyword');
    assert.equal(d?.message, "'stats-file' needs HAProxy 3.0 or newer; this file targets 2.8.");
    const actions = codeActionsFor(model, [d!], { indent: '  ', eol: '\n' });
    assert.equal(actions[0].setVersion, '3.0');
    assert.equal(actions[0].title, 'Target HAProxy 3.0');
    assert.equal(run(text, '3.4').diags.filter((x) => x.line === 1).length, 0);
  });

  it('a section of a newer version names the first bundled version that has it', () => {
    const text = `${DEFAULTS}log-profile p\n  on any format "x"\n`;
    const { diags } = run(text, '2.8');
    const header = diags.find((x) => x.line === 5);
    assert.equal(header?.message, "'log-profile' needs HAProxy 3.2 or newer; this file targets 2.8.");
    assert.ok(
      diags.some((x) => x.line === 6 && x.severity === 'error'),
      'HAProxy 2.8 reads the lines inside as unknown keywords',
    );
  });

  it('a removed section names the version that removed it', () => {
    const { diags } = run(`${DEFAULTS}program api\n  command /bin/true\n`, '3.4');
    assert.match(diags.find((x) => x.line === 5)?.message ?? '', /'program' sections were removed in HAProxy 3\.4/);
    assert.equal(
      run(`${DEFAULTS}program api\n  command /bin/true\n`, '3.2').diags.filter((x) => x.severity === 'error').length,
      0,
    );
  });

  it('a renamed option: the old name warns with a fix to the new one where the rename happened', () => {
    const text = `${DEFAULTS}frontend f\n  bind :80\n  option accept-invalid-http-request\n`;
    const d34 = run(text, '3.4').diags.find((x) => x.line === 7);
    assert.equal(d34?.code, 'deprecated-keyword');
    assert.deepEqual(d34?.fixes?.[0], {
      kind: 'replace',
      text: 'accept-unsafe-violations-in-http-request',
      title: "Replace with 'option accept-unsafe-violations-in-http-request'",
    });
    assert.equal(run(text, '2.8').diags.filter((x) => x.line === 7).length, 0);
    const newName = run(
      `${DEFAULTS}frontend f\n  bind :80\n  option accept-unsafe-violations-in-http-request\n`,
      '2.8',
    ).diags.find((x) => x.line === 7);
    assert.equal(
      newName?.message,
      "'option accept-unsafe-violations-in-http-request' needs HAProxy 3.2 or newer; this file targets 2.8.",
    );
  });

  it(
    'rules that changed between versions: option httpchk headers (2.8+), ' + 'same frontend and backend names (3.4)',
    () => {
      const httpchk = `${DEFAULTS}backend b\n  option httpchk GET / HTTP/1.1\\r\\nHost:\\ x\n  server s 127.0.0.1:80\n`;
      assert.equal(run(httpchk, '2.6').diags.filter((x) => x.severity === 'error').length, 0);
      assert.ok(run(httpchk, '2.8').diags.some((x) => x.line === 6 && x.severity === 'error'));
      const names = `${DEFAULTS}frontend www\n  bind :80\nbackend www\n  server s 127.0.0.1:80\n`;
      assert.equal(run(names, '3.2').diags.filter((x) => x.code === 'duplicate-section').length, 0);
      assert.equal(
        run(names, '3.4').diags.filter((x) => x.code === 'duplicate-section' && x.severity === 'error').length,
        1,
      );
    },
  );

  it('warns about what a newer version deprecates, before the upgrade', () => {
    const text = `global\n  master-worker\n${DEFAULTS}`;
    const d28 = run(text, '2.8').diags.find((x) => x.line === 1);
    assert.equal(d28?.severity, 'warning');
    assert.equal(d28?.message, "'master-worker' is deprecated from HAProxy 3.4 on; this file targets 2.8.");
    assert.equal(run(text, '3.4').diags.find((x) => x.line === 1)?.message, "'master-worker' is deprecated.");
  });

  it('repeated global settings HAProxy refuses', () => {
    const { diags } = run(
      `global\n  tune.ssl.capture-cipherlist-size 10\n  tune.ssl.capture-buffer-size 10\n  maxconn 10\n` +
        `  maxconn 20\n${DEFAULTS}`,
      '2.6',
    );
    assert.deepEqual(
      diags.filter((x) => x.code === 'duplicate-setting').map((x) => x.line),
      [2, 4],
    );
  });
});

describe('LanguageService: one targeted version per document', () => {
  it('documents follow their own version; a new target re-parses and re-judges', () => {
    const service = new LanguageService();
    const text = `global\n  stats-file /tmp/stats\n${DEFAULTS}`;
    service.setTarget('a', '2.8');
    service.setTarget('b', '3.4');
    const a = service.model('a', 1, () => text);
    const b = service.model('b', 1, () => text);
    assert.equal(service.keywordsFor('a').version, '2.8');
    assert.ok(service.diagnostics(a, true, 'a').some((d) => d.code === 'newer-keyword'));
    assert.ok(!service.diagnostics(b, true, 'b').some((d) => d.code === 'newer-keyword'));
    assert.equal(service.setTarget('a', '3.4'), true);
    assert.equal(service.setTarget('a', '3.4'), false);
    const a2 = service.model('a', 1, () => text);
    assert.notEqual(a2, a);
    assert.ok(!service.diagnostics(a2, true, 'a').some((d) => d.code === 'newer-keyword'));
    assert.equal(service.keywords.version, '3.4', 'the default is the newest bundled version');
  });
});

describe('hover per targeted version', () => {
  it('links to the manual of the targeted version and says when a keyword appeared', async () => {
    const { hoverAt } = await import('../../../src/language/core/features/hover');
    const text = 'global\n  stats-file /tmp/stats\n  maxconn 10\n';
    const h = hoverAt(parseConfig(text, { haproxyVersion: '3.4' }), 1, 4, { keywords: loadKeywords('3.4') });
    assert.match(h?.markdown ?? '', /Since HAProxy 3\.0\./);
    assert.match(h?.markdown ?? '', /\(https:\/\/docs\.haproxy\.org\/3\.4\/configuration\.html#3\.1-stats-file\)/);
    const old = hoverAt(parseConfig(text, { haproxyVersion: '2.8' }), 2, 4, { keywords: loadKeywords('2.8') });
    assert.doesNotMatch(old?.markdown ?? '', /Since HAProxy/);
    assert.match(old?.markdown ?? '', /docs\.haproxy\.org\/2\.8\/configuration\.html#/);
  });
});
