import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { diagnose } from '../../../src/language/core/analysis/diagnostics';
import { codeActionsFor } from '../../../src/language/core/features/codeActions';
import { complete } from '../../../src/language/core/features/completion';
import { foldingRanges } from '../../../src/language/core/features/folding';
import { formatConfig, type LineEdit } from '../../../src/language/core/features/formatting';
import { hoverAt } from '../../../src/language/core/features/hover';
import { fileLinks } from '../../../src/language/core/features/links';
import {
  definitionsAt,
  highlightsAt,
  prepareRename,
  referencesAt,
  renameAt,
} from '../../../src/language/core/features/navigation';
import { outline } from '../../../src/language/core/features/outline';
import { signatureAt } from '../../../src/language/core/features/signature';
import { parseManual } from '../../../src/language/core/localManual';
import { parseConfig } from '../../../src/shared/haproxy-config/parser';
import { tokenizeLine } from '../../../src/shared/haproxy-config/tokenizer';
import { corpus, corpusFiles, cursor, keywords } from '../../support/corpus';

function applyEdits(text: string, edits: readonly LineEdit[]): string {
  const lines = text.split('\n');
  for (const e of edits) lines[e.line] = lines[e.line].slice(0, e.start) + e.newText + lines[e.line].slice(e.end);
  return lines.join('\n');
}

function labels(textWithCursor: string): string[] {
  const c = cursor(textWithCursor);
  return complete(parseConfig(c.text), c.line, c.character, { keywords }).map((e) => e.label);
}

describe('outline', () => {
  it('lists sections with their binds, servers and ACLs', () => {
    const symbols = outline(parseConfig(corpus('http-basic.cfg')));
    assert.deepEqual(
      symbols.map((s) => [s.name, s.kind, s.sectionKind]),
      [
        ['global', 'section', 'global'],
        ['defaults', 'section', 'defaults'],
        ['www', 'section', 'frontend'],
        ['web', 'section', 'backend'],
        ['api', 'section', 'backend'],
      ],
    );
    const www = symbols[2];
    assert.deepEqual(
      www.children.map((c) => [c.kind, c.name]),
      [
        ['bind', ':8080'],
        ['acl', 'is_api'],
        ['backend-rule', '→ api'],
        ['backend-rule', '→ web'],
      ],
    );
    assert.deepEqual(
      symbols[3].children.map((c) => [c.name, c.detail]),
      [
        ['web1', '127.0.0.1:9001 check'],
        ['web2', '127.0.0.1:9002 check'],
      ],
    );
    for (const s of symbols) {
      assert.ok(s.range.start.line <= s.selectionRange.start.line && s.selectionRange.end.line <= s.range.end.line);
      for (const c of s.children)
        assert.ok(
          c.range.start.line >= s.range.start.line && c.range.end.line <= s.range.end.line,
          `${c.name} inside ${s.name}`,
        );
    }
  });
});

describe('folding', () => {
  it('folds sections, conditional blocks and their branches, and comment runs', () => {
    const text =
      '# one\n# two\nglobal\n  daemon\n.if defined(X)\n  maxconn 1\n.else\n  maxconn 2\n.endif\n\nbackend b\n' +
      '  server s 1.2.3.4:80\n';
    const ranges = foldingRanges(parseConfig(text));
    assert.deepEqual(ranges, [
      { start: 0, end: 1, kind: 'comment' },
      { start: 2, end: 7 },
      { start: 4, end: 8, kind: 'region' },
      { start: 4, end: 5, kind: 'region' },
      { start: 6, end: 7, kind: 'region' },
      { start: 10, end: 11 },
    ]);
  });
});

describe('hover', () => {
  const hover = (textWithCursor: string): string | undefined => {
    const c = cursor(textWithCursor);
    return hoverAt(parseConfig(c.text), c.line, c.character, { keywords })?.markdown;
  };

  it('explains a keyword with our summary, its syntax and a link to the manual of the version', () => {
    const md = hover('backend b\n  bal|ance roundrobin\n')!;
    assert.match(md, /^\*\*balance\*\*: Chooses how/);
    assert.match(md, /balance <algorithm> \[ <arguments> \]/);
    assert.match(md, /\(https:\/\/docs\.haproxy\.org\/2\.6\/configuration\.html#4\.2-balance\)/);
    assert.match(hover('defaults\n  time|out client 5s\n')!, /Followed by `check`, `client`/);
    const sub = hover('defaults\n  timeout cli|ent 5s\n')!;
    assert.match(sub, /timeout client <timeout>/);
    assert.match(sub, /#4\.2-timeout%20client\)/);
  });

  it('shows the local manual chapter when a heading source is given', () => {
    const c = cursor('backend b\n  bal|ance roundrobin\n');
    const md = hoverAt(parseConfig(c.text), c.line, c.character, {
      keywords,
      localDocHeading: () => '4.2. Keywords',
    })!.markdown;
    assert.match(md, /\[HAProxy 2\.6 manual: 4\.2\. Keywords\]/);
  });

  it('shows the servers of a backend a rule names', () => {
    const md = hover(corpus('http-basic.cfg').replace('default_backend web', 'default_backend w|eb'))!;
    assert.match(md, /\*\*backend web\*\*/);
    assert.match(md, /\| web1 \| `127\.0\.0\.1:9001` \| check \|/);
    assert.match(md, /\| web2 \|/);
  });

  it('explains ACLs, fetches, converters, options, actions and environment variables', () => {
    assert.match(
      hover('frontend f\n  acl is_api path_beg /api\n  http-request deny if is_a|pi\n')!,
      /acl is_api[\s\S]*path_beg \/api/,
    );
    assert.match(hover('frontend f\n  http-request deny if METH_|POST\n')!, /predefined ACL/);
    assert.match(
      hover('frontend f\n  http-request set-header X %[req.h|dr(host),lower]\n')!,
      /\*\*req\.hdr\(\[string\], \[integer\]\)\*\* → string \(sample fetch\)/,
    );
    assert.match(
      hover('frontend f\n  http-request set-header X %[req.hdr(host),lo|wer]\n')!,
      /\*\*lower\*\* str → str \(converter\)/,
    );
    assert.match(hover('frontend f\n  option http|log\n')!, /option httplog \[ clf \]/);
    assert.match(hover('frontend f\n  http-request set-he|ader X y\n')!, /http-request set-header <name> <fmt>/);
    assert.match(hover('global\n  maxconn "${MAX|CONN-100}"\n')!, /Environment variable\*\* `MAXCONN`, default `100`/);
    assert.match(hover('frontend f\n  bind :::4|43 ssl crt /x.pem\n')!, /`:::443`: ::, port 443/);
    assert.match(hover('frontend f\n  bind :443 ss|l crt /x.pem\n')!, /bind … ssl/);
  });

  it('says so when a name is not defined', () => {
    assert.match(hover('frontend f\n  use_backend nowh|ere\n')!, /no backend of that name/);
  });
});

describe('completion', () => {
  it('offers the keywords of the current section and section names', () => {
    const inBackend = labels('backend b\n  |\n');
    assert.ok(inBackend.includes('server') && inBackend.includes('balance') && inBackend.includes('frontend'));
    assert.ok(!inBackend.includes('bind') || labels('frontend f\n  |\n').includes('bind'));
    assert.ok(!labels('frontend f\n  |\n').includes('server'));
    assert.ok(labels('global\n  tune.ssl.|\n').includes('tune.ssl.default-dh-param'));
    assert.deepEqual(
      labels('|\n').filter((l) => l === 'global' || l === 'server'),
      ['global'],
    );
  });

  it('offers options, actions, timeouts and enumerated values', () => {
    assert.ok(labels('defaults\n  option |\n').includes('httplog'));
    assert.ok(labels('defaults\n  no option |\n').includes('httplog'));
    assert.ok(labels('frontend f\n  http-request |\n').includes('set-header'));
    assert.ok(labels('frontend f\n  tcp-request |\n').includes('content'));
    assert.ok(labels('frontend f\n  tcp-request content |\n').includes('accept'));
    assert.ok(labels('frontend f\n  timeout |\n').includes('client'));
    assert.deepEqual(labels('frontend f\n  mode |\n'), ['http', 'tcp']);
    assert.ok(labels('backend b\n  balance |\n').includes('leastconn'));
    assert.deepEqual(labels('global\n  tune.ssl.keylog |\n'), ['on', 'off']);
  });

  it('offers backends, servers and ACL names defined before the line', () => {
    const text =
      'frontend f\n  acl a1 path /a\n  use_backend |\n  acl a2 path /b\nbackend be1\n  server s1 1.2.3.4:80\n' +
      '  server s2 1.2.3.4:81\nlisten li\n';
    assert.deepEqual(labels(text), ['be1', 'li']);
    assert.deepEqual(labels('backend be1\n  server s1 1.2.3.4:80\n  server s2 1.2.3.4:81\n  use-server |\n'), [
      's1',
      's2',
    ]);
    const acls = labels('frontend f\n  acl a1 path /a\n  http-request deny if |\n  acl a2 path /b\n');
    assert.ok(acls.includes('a1') && !acls.includes('a2') && acls.includes('METH_GET') && acls.includes('{'));
    const negated = cursor('frontend f\n  acl a1 path /a\n  http-request deny if !|\n');
    const items = complete(parseConfig(negated.text), negated.line, negated.character, { keywords });
    const a1 = items.find((i) => i.label === 'a1')!;
    assert.equal(a1.start, negated.character);
  });

  it('offers fetches and converters in conditions, ACLs and %[...] blocks, with the right range', () => {
    assert.ok(labels('frontend f\n  http-request deny if { |\n').includes('req.hdr'));
    const acl = labels('frontend f\n  acl x path_b|\n');
    assert.ok(acl.includes('path_beg') && acl.includes('src'));
    const c = cursor('frontend f\n  http-request set-header X %[req.hdr(host),low|]\n');
    const items = complete(parseConfig(c.text), c.line, c.character, { keywords });
    const lower = items.find((i) => i.label === 'lower')!;
    assert.equal(lower.kind, 'converter');
    assert.equal(c.text.split('\n')[c.line].slice(lower.start, lower.end), 'low');
    assert.ok(labels('frontend f\n  http-request set-header X %[|]\n').includes('src'));
    assert.ok(labels('frontend f\n  http-request set-var(txn.x) |\n').includes('req.hdr'));
    assert.deepEqual(
      labels('backend b\n  server s 1.2.3.4:80\nfrontend f\n  http-request set-header X %[nbsrv(|)]\n'),
      ['b'],
    );
  });

  it('offers bind and server options, and names after resolvers', () => {
    assert.ok(labels('frontend f\n  bind :443 |\n').includes('ssl'));
    assert.ok(labels('backend b\n  server s 1.2.3.4:80 |\n').includes('check'));
    assert.deepEqual(labels('resolvers dns\n  nameserver n 1.1.1.1:53\nbackend b\n  server s app:80 resolvers |\n'), [
      'dns',
    ]);
    assert.deepEqual(labels('backend b\n  server s 1.2.3.4:80 weight |\n'), []);
  });

  it('offers `from` and the defaults declared before a proxy', () => {
    assert.deepEqual(labels('defaults base\nfrontend f |\n'), ['from']);
    assert.deepEqual(labels('defaults base\ndefaults other\nfrontend f from |\ndefaults later\n'), ['base', 'other']);
  });

  it('offers predicates after .if and nothing inside comments', () => {
    assert.ok(labels('.if |\n').includes('version_atleast'));
    assert.deepEqual(labels('global\n  # maxc|\n'), []);
  });
});

describe('signature help', () => {
  it('shows argument types and names, and the active argument', () => {
    const c = cursor('frontend f\n  http-request set-header X %[req.hdr(host,|)]\n');
    const s = signatureAt(parseConfig(c.text), c.line, c.character, keywords)!;
    assert.equal(s.label, 'req.hdr([name: string], [occ: integer]) → string');
    assert.equal(s.activeParameter, 1);
    assert.equal(s.label.slice(...s.parameters[1].label), '[occ: integer]');
    const conv = cursor('frontend f\n  acl x req.hdr(host),map(|) -m found\n');
    assert.match(
      signatureAt(parseConfig(conv.text), conv.line, conv.character, keywords)!.label,
      /^map\(map_file: string, \[default_value: string\]\) str → str$/,
    );
    const none = cursor('frontend f\n  mode h|ttp\n');
    assert.equal(signatureAt(parseConfig(none.text), none.line, none.character, keywords), undefined);
  });
});

describe('navigation', () => {
  const text = corpus('http-basic.cfg');
  const model = parseConfig(text);
  const lines = text.split('\n');
  const pos = (line: number, word: string, nth = 0): { line: number; character: number } => {
    let at = -1;
    for (let i = 0; i <= nth; i++) at = lines[line].indexOf(word, at + 1);
    return { line, character: at + 1 };
  };
  const lineOf = (s: string): number => lines.findIndex((l) => l.trimStart().startsWith(s));

  it('goes from a reference to the backend, the ACL and the server', () => {
    const useApi = lineOf('use_backend api');
    const p = pos(useApi, 'api ');
    assert.deepEqual(definitionsAt(model, p.line, p.character, keywords), [
      { line: lineOf('backend api'), start: 8, end: 11 },
    ]);
    const acl = pos(useApi, 'is_api');
    assert.deepEqual(
      definitionsAt(model, acl.line, acl.character, keywords).map((l) => l.line),
      [lineOf('acl is_api')],
    );
  });

  it('finds references and highlights, declaration included or not', () => {
    const header = pos(lineOf('backend web'), 'web');
    const refs = referencesAt(model, header.line, header.character, true, keywords);
    assert.deepEqual(
      refs.map((r) => r.line),
      [lineOf('default_backend web'), lineOf('backend web')],
    );
    assert.deepEqual(
      referencesAt(model, header.line, header.character, false, keywords).map((r) => r.line),
      [lineOf('default_backend web')],
    );
    const hl = highlightsAt(model, header.line, header.character, keywords);
    assert.deepEqual(
      hl.map((h) => [h.line, h.write]),
      [
        [lineOf('backend web'), true],
        [lineOf('default_backend web'), false],
      ],
    );
  });

  it('renames a backend everywhere, sample fetch arguments included', () => {
    const src =
      'frontend f\n  bind :80\n  use_backend be if { nbsrv(be) gt 0 }\n' +
      '  http-request set-header X %[srv_is_up(be/s1)]\n  default_backend be\nbackend be\n' +
      '  server s1 1.2.3.4:80\n';
    const m = parseConfig(src);
    const p = prepareRename(m, 5, 9, keywords);
    assert.deepEqual(p, { range: { line: 5, start: 8, end: 10 }, placeholder: 'be' });
    const r = renameAt(m, 5, 9, 'api', keywords);
    assert.ok('edits' in r);
    const out = applyEdits(
      src,
      r.edits.map((e) => ({ line: e.line, start: e.start, end: e.end, newText: e.newText })),
    );
    assert.equal(out, src.replace(/\bbe\b/g, 'api'));
  });

  it('renames a server, including track and srv_* references from other backends', () => {
    const src =
      'backend a\n  server s1 1.2.3.4:80 check\n  use-server s1 if TRUE\nbackend b\n' +
      '  server t1 1.2.3.5:80 track a/s1\nbackend c\n  server s1 1.2.3.6:80\n';
    const r = renameAt(parseConfig(src), 1, 10, 'web1', keywords);
    assert.ok('edits' in r);
    const out = applyEdits(
      src,
      r.edits.map((e) => ({ ...e })),
    );
    assert.equal(
      out,
      'backend a\n  server web1 1.2.3.4:80 check\n  use-server web1 if TRUE\nbackend b\n' +
        '  server t1 1.2.3.5:80 track a/web1\nbackend c\n  server s1 1.2.3.6:80\n',
    );
  });

  it('refuses renames it cannot do safely', () => {
    const m = parseConfig('frontend f\n  http-request deny if TRUE\n  use_backend "b"e\nbackend be\n');
    assert.ok('error' in prepareRename(m, 1, 23, keywords));
    assert.ok('error' in prepareRename(m, 3, 9, keywords), 'a quoted occurrence blocks the rename');
    assert.ok('error' in prepareRename(m, 1, 4, keywords));
    const ok = parseConfig('backend a\nbackend b\nfrontend f\n  default_backend a\n');
    assert.ok('error' in renameAt(ok, 0, 9, 'b', keywords));
    assert.ok('error' in renameAt(ok, 0, 9, 'with space', keywords));
    assert.ok('error' in renameAt(ok, 0, 9, 'bad@name', keywords));
  });
});

describe('formatting', () => {
  it('indents directives, keeps comments and blank lines, and never changes words', () => {
    const text =
      '# head\nglobal\nmaxconn   10   # limit\n      daemon\n\n# about the backend\n   backend  b\n\t# inside\n' +
      ' server s1 1.2.3.4:80   check\n   stats realm Haproxy\\ Statistics\n  http-request set-header X "a  b"\n';
    const out = applyEdits(text, formatConfig(parseConfig(text), { indent: '    ' }));
    assert.equal(
      out,
      '# head\nglobal\n    maxconn 10   # limit\n    daemon\n\n# about the backend\nbackend b\n    # inside\n' +
        '    server s1 1.2.3.4:80 check\n    stats realm Haproxy\\ Statistics\n' +
        '    http-request set-header X "a  b"\n',
    );
  });

  it('aligns the first argument of consecutive directives when asked', () => {
    const text = 'defaults\n  mode http\n  timeout connect 5s\n  option httplog\n\n  log global\n';
    const out = applyEdits(text, formatConfig(parseConfig(text), { indent: '  ', alignArguments: true }));
    assert.equal(out, 'defaults\n  mode    http\n  timeout connect 5s\n  option  httplog\n\n  log global\n');
  });

  it('leaves lines HAProxy would reject alone, formats ranges, and is idempotent on the corpus', () => {
    const bad = 'global\n     x "unterminated\n';
    assert.deepEqual(formatConfig(parseConfig(bad), { indent: '  ' }), []);
    const text = 'global\nmaxconn 1\ndaemon\n';
    assert.deepEqual(
      formatConfig(parseConfig(text), { indent: '  ', startLine: 2, endLine: 2 }).map((e) => e.line),
      [2],
    );
    for (const f of corpusFiles()) {
      const once = applyEdits(f.text, formatConfig(parseConfig(f.text), { indent: '    ' }));
      assert.deepEqual(formatConfig(parseConfig(once), { indent: '    ' }), [], f.name);
      const before = f.text.split('\n').map((l) => tokenizeLine(l).words.map((w) => w.value));
      const after = once.split('\n').map((l) => tokenizeLine(l).words.map((w) => w.value));
      assert.deepEqual(after, before, f.name);
    }
  });
});

describe('code actions', () => {
  const opts = { indent: '    ', eol: '\n' as const };

  it('creates a missing backend after the last one, keeping the HTTP mode', () => {
    const text =
      'frontend f\n    mode http\n    bind :80\n    default_backend api\nbackend web\n    server s 1.2.3.4:80\n';
    const m = parseConfig(text);
    const d = diagnose(m, { keywords, unusedBackends: false }).filter((x) => x.code === 'undefined-backend');
    const actions = codeActionsFor(m, d, opts);
    const create = actions.find((a) => a.title === "Create backend 'api'")!;
    const e = create.edits[0];
    const out = applyEdits(text, [{ line: e.line, start: e.start, end: e.end, newText: e.newText }]);
    assert.equal(
      out,
      'frontend f\n    mode http\n    bind :80\n    default_backend api\nbackend web\n    server s 1.2.3.4:80\n\n' +
        'backend api\n    mode http\n',
    );
    assert.equal(
      diagnose(parseConfig(out), { keywords, unusedBackends: false }).filter((x) => x.code === 'undefined-backend')
        .length,
      0,
    );
  });

  it('replaces a misspelled keyword and suppresses a diagnostic with a comment', () => {
    const text = 'global\n    maxconnn 10\n';
    const m = parseConfig(text);
    const d = diagnose(m, { keywords });
    const actions = codeActionsFor(m, d, opts);
    assert.deepEqual(
      actions.map((a) => a.title),
      ["Replace with 'maxconn'", "Suppress 'unknown-keyword' on this line"],
    );
    const suppress = actions[1].edits[0];
    const out = applyEdits(text, [
      { line: suppress.line, start: suppress.start, end: suppress.end, newText: suppress.newText },
    ]);
    assert.equal(out, 'global\n    # haproxy-gateway-disable-next-line unknown-keyword\n    maxconnn 10\n');
    assert.deepEqual(diagnose(parseConfig(out), { keywords }), []);
  });

  it('adds the missing final line feed', () => {
    const m = parseConfig('global\n    daemon');
    const fix = codeActionsFor(m, diagnose(m, { keywords }), { indent: '  ', eol: '\r\n' }).find(
      (a) => a.title === 'Add the final line feed',
    )!;
    assert.deepEqual(fix.edits, [{ line: 1, start: 10, endLine: 1, end: 10, newText: '\r\n' }]);
  });
});

describe('file links', () => {
  it('links maps, pattern files, certificates (with crt-base / ca-base), error files and Lua scripts', () => {
    const text = [
      'global',
      '    crt-base /etc/ssl/private',
      '    ca-base /etc/ssl/certs',
      '    lua-load /etc/haproxy/hello.lua',
      'frontend f',
      '    bind :443 ssl crt site.pem ca-file ca.pem',
      '    acl blocked src -f /etc/haproxy/blocked.lst',
      '    http-request set-header X %[req.hdr(host),map(hosts.map,none)]',
      '    errorfile 503 errors/503.http',
      '    http-request set-map(/etc/haproxy/dyn.map) %[src] 1',
      '    http-request deny if { src -f "${LIST}" }',
      '',
    ].join('\n');
    const links = fileLinks(parseConfig(text), keywords);
    const lines = text.split('\n');
    assert.deepEqual(
      links.map((l) => [l.line, lines[l.line].slice(l.start, l.end), l.path, l.absolute]),
      [
        [3, '/etc/haproxy/hello.lua', '/etc/haproxy/hello.lua', true],
        [5, 'site.pem', '/etc/ssl/private/site.pem', true],
        [5, 'ca.pem', '/etc/ssl/certs/ca.pem', true],
        [6, '/etc/haproxy/blocked.lst', '/etc/haproxy/blocked.lst', true],
        [7, 'hosts.map', 'hosts.map', false],
        [8, 'errors/503.http', 'errors/503.http', false],
        [9, '/etc/haproxy/dyn.map', '/etc/haproxy/dyn.map', true],
      ],
    );
  });
});

describe('local manual', () => {
  it('reads chapter titles from the HTML and maps anchors to them', () => {
    const html =
      '<title>x</title><p>HAProxy 2.6.12 – Configuration Manual</p><h2 id="chapter-4.2" data-target="4.2">' +
      '<small><a class="small" href="#4.2">4.2.</a></small> Alphabetically sorted keywords &amp; more</h2>';
    const manual = parseManual(html)!;
    assert.equal(manual.version, '2.6');
    assert.equal(manual.heading('4.2-timeout%20client'), '4.2. Alphabetically sorted keywords & more');
    assert.equal(manual.heading('9.9-x'), undefined);
    assert.equal(parseManual('<html>not a manual</html>'), undefined);
  });
});
