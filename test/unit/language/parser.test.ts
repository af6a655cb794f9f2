import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { parseConfig, reparse } from '../../../src/shared/haproxy-config/parser';
import { optionValues } from '../../../src/shared/haproxy-config/statements';
import { tokenizeLine } from '../../../src/shared/haproxy-config/tokenizer';
import { corpus, corpusFiles, prng, referenceFiles, structure } from '../../support/corpus';

describe('parseConfig: sections', () => {
  it('reads every section kind HAProxy 2.6 registers, indented headers included', () => {
    const text = [
      'global',
      '  maxconn 10',
      '  defaults',
      'frontend fe',
      'backend be',
      'listen li',
      'userlist ul',
      'peers pe',
      'resolvers re',
      'mailers ma',
      'program pr',
      'http-errors he',
      'ring ri',
      'cache ca',
      'fcgi-app fa',
      'log-forward lf',
      'namespace_list',
      '',
    ].join('\n');
    const m = parseConfig(text);
    assert.deepEqual(
      m.sections.map((s) => s.kind),
      [
        'global',
        'defaults',
        'frontend',
        'backend',
        'listen',
        'userlist',
        'peers',
        'resolvers',
        'mailers',
        'program',
        'http-errors',
        'ring',
        'cache',
        'fcgi-app',
        'log-forward',
        'namespace_list',
      ],
    );
    assert.equal(m.sections[1].startLine, 2);
    assert.equal(m.sections[0].directives[0].keyword, 'maxconn');
  });

  it('reads named defaults and `from`', () => {
    const m = parseConfig(corpus('named-defaults.cfg'));
    const defaults = m.sectionsOf('defaults');
    assert.deepEqual(
      defaults.map((d) => d.name?.value),
      ['base_http', 'base_tcp'],
    );
    assert.deepEqual(
      m.frontends().map((f) => [f.name?.value, f.from?.value]),
      [
        ['web', 'base_http'],
        ['smtp', 'base_tcp'],
      ],
    );
    assert.deepEqual(
      m.backends().map((b) => b.from?.value),
      ['base_http', 'base_tcp'],
    );
  });

  it('keeps the position of every word and the no/default prefix', () => {
    const m = parseConfig('defaults\n    no option httplog # off\n\tdefault log global\n');
    const [no, def] = m.sections[0].directives;
    assert.equal(no.keyword, 'option');
    assert.equal(no.modifier, 'no');
    assert.deepEqual(
      no.words.map((w) => [w.value, w.start, w.end]),
      [
        ['no', 4, 6],
        ['option', 7, 13],
        ['httplog', 14, 21],
      ],
    );
    assert.equal(no.tokens.commentStart, 22);
    assert.equal(def.modifier, 'default');
    assert.equal(def.keyword, 'log');
  });

  it('handles CRLF, a missing final LF and lines before any section', () => {
    const m = parseConfig('maxconn 5\r\nglobal\r\n  daemon\r\n  nbthread 2');
    assert.equal(m.outOfSection.length, 1);
    assert.equal(m.sections[0].directives.length, 2);
    assert.equal(m.sections[0].directives[0].words[0].raw, 'daemon');
    assert.equal(m.endsWithNewline, false);
    assert.equal(parseConfig('global\n').endsWithNewline, true);
  });

  it('ends a section before the blank lines preceding the next header, and records its last directive', () => {
    const m = parseConfig('frontend a\n  bind :80\n\n# about b\n\nbackend b\n  server s 1.2.3.4:80\n');
    const [a, b] = m.sections;
    assert.equal(a.lastDirectiveLine, 1);
    assert.equal(a.endLine, 3);
    assert.equal(b.endLine, 6);
    assert.equal(m.sectionAt(4), a);
    assert.equal(m.sectionAt(6), b);
    assert.equal(m.directiveAt(6)?.keyword, 'server');
    assert.equal(m.directiveAt(5)?.keyword, 'backend');
    assert.equal(m.directiveAt(2), undefined);
  });

  it('tokenizes every line as tokenizeLine does, sharing only equal plain words', () => {
    const text = [
      ...corpusFiles().map((f) => f.text),
      'frontend a\n  bind :80\n  acl x path /a # c\n  acl y "path" /a\n  acl x  path /a\nbackend b\n' +
        '  http-request set-var(txn.a) str("${HOME}")\n',
    ].join('\n');
    const m = parseConfig(text);
    const plain = new Map<string, unknown>();
    m.lines.forEach((line, i) => {
      const tk = m.tokens[i];
      assert.deepEqual(tk, tokenizeLine(line), `line ${i + 1}`);
      for (const w of tk.words) {
        if (w.quoted || w.raw !== w.value || w.raw.includes('\\')) continue; // read by the slow path: not shared
        const key = `${w.start}:${w.raw}`;
        const first = plain.get(key) ?? w;
        plain.set(key, first);
        assert.equal(w, first, `plain word ${key} shared`);
      }
    });
    // The words of one line are distinct objects.
    for (const tk of m.tokens) assert.equal(new Set(tk.words).size, tk.words.length);
  });

  it('never throws, whatever the input', () => {
    for (const text of [
      '',
      '\n',
      '"',
      "'\\",
      '\\',
      '${',
      '"${',
      '.if',
      '.endif\n.else',
      'frontend',
      '\u0000\u0001',
      '#',
      'a\rb\rc',
      '\t\t\n\n\r\n',
    ]) {
      assert.doesNotThrow(() => parseConfig(text));
    }
  });
});

describe('parseConfig: conditional blocks', () => {
  it('models branches, evaluates what it can, and skips lines HAProxy skips', () => {
    const text = [
      'global', //                        0
      '.if version_atleast(99.0)', //     1
      '  crt-store x', //                 2  skipped
      '.elif defined(FOO)', //            3
      '  maxconn 1', //                   4  depends on FOO
      '.else', //                         5
      '  maxconn 2', //                   6  depends on FOO
      '.endif', //                        7
      '  daemon', //                      8
      '',
    ].join('\n');
    const m = parseConfig(text, { haproxyVersion: '2.6' });
    assert.deepEqual(m.skippedLines, [2]);
    assert.deepEqual(
      m.sections[0].directives.map((d) => [d.line, d.active]),
      [
        [4, undefined],
        [6, undefined],
        [8, true],
      ],
    );
    assert.deepEqual(m.blocks, [{ ifLine: 1, branchLines: [3, 5], endLine: 7 }]);
    assert.equal(m.isReached(2), false);
    assert.equal(m.isReached(8), true);
  });

  it('reports the structure errors HAProxy reports', () => {
    const codes = (t: string): string[] => parseConfig(t).problems.map((p) => p.code);
    assert.deepEqual(codes('.if 1\n'), ['unterminated-if']);
    assert.deepEqual(codes('.endif\n'), ['lone-endif']);
    assert.deepEqual(codes('.if 1\n.else\n.elif 1\n.endif\n'), ['elif-after-else']);
    assert.deepEqual(codes('.foo\n'), ['unknown-directive']);
    assert.deepEqual(codes('.if 1\n.warning "w"\n.notice "n"\n.diag "d"\n.alert "a"\n.endif\n'), []);
    assert.match(parseConfig('.if bogus(1)\n.endif\n').conditionals[0].conditionError!.message, /unparsable/);
  });
});

describe('query API', () => {
  it('lists frontends, backends, binds and servers', () => {
    const m = parseConfig(corpus('tls-termination.cfg'));
    assert.deepEqual(
      m.frontends().map((s) => s.name?.value),
      ['https_in'],
    );
    assert.deepEqual(
      m.backends().map((s) => s.name?.value),
      ['app', 'static'],
    );
    const binds = m.bindsOf(m.frontends()[0]);
    assert.deepEqual(
      binds.map((b) => b.addressWord?.value),
      [':80', ':443', ':::8443'],
    );
    assert.deepEqual(
      binds[1].addresses.map((a) => a.address?.port?.low),
      [443],
    );
    assert.deepEqual(
      optionValues(binds[1].options, 'crt')?.map((w) => w.value),
      ['/etc/haproxy/certs/site.pem'],
    );
    assert.deepEqual(
      optionValues(binds[1].options, 'alpn')?.map((w) => w.value),
      ['h2,http/1.1'],
    );
    assert.equal(binds[2].addresses[0].address?.host, '::');
    const servers = m.serversOf(m.backends()[0]);
    assert.deepEqual(
      servers.map((s) => [s.name?.value, s.address?.address?.host, s.address?.address?.port?.low]),
      [
        ['app1', '192.168.1.10', 8443],
        ['app2', '192.168.1.11', 8443],
      ],
    );
    assert.deepEqual(
      optionValues(servers[0].options, 'verify')?.map((w) => w.value),
      ['required'],
    );
    assert.equal(
      servers[0].options.some((o) => o.name.value === 'check'),
      true,
    );
  });

  it('splits a bind address list and reads server-template counts', () => {
    const m = parseConfig(
      'frontend f\n  bind :80,:81,[::]:82 name web\nbackend b\n  server-template srv 3-5 app.local:80 check\n',
    );
    assert.deepEqual(
      m.bindsOf(m.sections[0])[0].addresses.map((a) => [a.text, a.start, a.end]),
      [
        [':80', 7, 10],
        [':81', 11, 14],
        ['[::]:82', 15, 22],
      ],
    );
    const t = m.serversOf(m.sections[1])[0];
    assert.equal(t.keyword, 'server-template');
    assert.equal(t.count?.value, '3-5');
    assert.equal(t.address?.address?.host, 'app.local');
  });

  it('answers quickly on a 10,000-server configuration', () => {
    const lines = ['backend big'];
    for (let i = 0; i < 10_000; i++)
      lines.push(`    server s${i} 10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}:80 check`);
    const m = parseConfig(lines.join('\n') + '\n');
    const servers = m.serversOf(m.backends()[0]);
    assert.equal(servers.length, 10_000);
    assert.equal(servers[9_999].name?.value, 's9999');
    assert.equal(servers[256].address?.address?.host, '10.0.1.0');
  });
});

describe('reparse', () => {
  it('gives the same model as a full parse after random edits (corpus and real-world files)', () => {
    const texts = [
      ...corpusFiles().map((f) => f.text),
      ...referenceFiles('valid')
        .slice(0, 20)
        .map((f) => f.text),
    ];
    const rnd = prng(42);
    const pieces = [
      'backend x',
      'frontend y',
      '  server s 1.2.3.4:80',
      '',
      '# c',
      '.if 1',
      '.endif',
      'defaults',
      '  acl a path /',
      '  ',
      'listen z',
      '"quoted',
    ];
    let edits = 0;
    for (let round = 0; round < 400; round++) {
      let text = texts[Math.floor(rnd() * texts.length)];
      let model = parseConfig(text);
      for (let e = 0; e < 5; e++) {
        const lines = text.split('\n');
        const at = Math.floor(rnd() * lines.length);
        if (rnd() < 0.3) lines[at] = lines[at].slice(0, Math.floor(rnd() * lines[at].length));
        else {
          const inserted = Array.from(
            { length: Math.floor(rnd() * 3) },
            () => pieces[Math.floor(rnd() * pieces.length)],
          );
          lines.splice(at, Math.floor(rnd() * 3), ...inserted);
        }
        text = lines.join('\n');
        model = reparse(model, text);
        assert.deepEqual(structure(model), structure(parseConfig(text)), `round ${round} edit ${e}`);
        edits++;
      }
    }
    assert.equal(edits, 2000);
  });

  it('keeps the tokens of unchanged lines and the sections away from the edit', () => {
    const text = corpus('edge-large.cfg');
    const before = parseConfig(text);
    const keptSections = before.sections.slice(-3);
    const lines = text.split('\n');
    lines[40] = lines[40] + ' # edited';
    const after = reparse(before, lines.join('\n'));
    assert.equal(after.tokens[0], before.tokens[0]);
    assert.equal(after.tokens[lines.length - 2], before.tokens[lines.length - 2]);
    assert.notEqual(after.tokens[40], undefined);
    assert.ok(
      after.sections.slice(-3).every((s, i) => s === keptSections[i]),
      'the last sections are the same objects',
    );
    assert.ok(after.rebuilt && after.rebuilt.rebuiltSections <= 3, `rebuilt ${after.rebuilt?.rebuiltSections}`);
  });
});
