import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { diagnose } from '../../../src/language/core/analysis/diagnostics';
import { parseSuppression, suppressionEdit } from '../../../src/language/core/analysis/suppression';
import type { ConfigDiagnostic } from '../../../src/language/core/analysis/types';
import { parseConfig, reparse } from '../../../src/shared/haproxy-config/parser';
import { corpusFiles, keywords, prng } from '../../support/corpus';

const DEFAULTS = 'defaults\n  mode http\n  timeout client 1s\n  timeout server 1s\n  timeout connect 1s\n';

function check(text: string, opts: { unusedBackends?: boolean } = {}): ConfigDiagnostic[] {
  return diagnose(parseConfig(text, { haproxyVersion: '2.6' }), {
    keywords,
    unusedBackends: opts.unusedBackends ?? false,
  });
}

/** `line:code` of every diagnostic, 1-based lines like HAProxy. */
function codes(text: string, severity?: ConfigDiagnostic['severity']): string[] {
  return check(text)
    .filter((d) => !severity || d.severity === severity)
    .map((d) => `${d.line + 1}:${d.code}`)
    .sort();
}

describe('diagnostics: syntax and structure', () => {
  it('reports tokenizer errors and the missing final line feed', () => {
    assert.deepEqual(codes('global\n  x "abc\n'), ['2:unmatched-quote']);
    assert.deepEqual(codes('global\n  x "${abc"\n'), ['2:unmatched-brace']);
    assert.deepEqual(codes('global\n  x "\\xZZ"\n'), ['2:invalid-hex']);
    assert.deepEqual(codes('global\n  x "a$1"\n'), ['2:invalid-env-name']);
    const missing = check('global\n  daemon');
    assert.deepEqual(
      missing.map((d) => [d.code, d.line, d.start]),
      [['missing-final-newline', 1, 8]],
    );
    assert.deepEqual(missing[0].fixes, [{ kind: 'insert-final-newline' }]);
  });

  it('treats a trailing backslash as HAProxy does: an argument, not a continuation', () => {
    const d = check(`${DEFAULTS}frontend fe\n  bind :8080 \\\n  default_backend b\nbackend b\n`);
    assert.deepEqual(
      d.map((x) => [x.line + 1, x.code, x.message]),
      [[7, 'unknown-bind-option', "Unknown bind option '\\'."]],
    );
  });

  it('reports conditional block errors and out-of-section lines', () => {
    assert.deepEqual(codes('.if 1\n'), ['1:conditional-syntax']);
    assert.deepEqual(codes('.if bogus(1)\n.endif\n'), ['1:invalid-condition']);
    assert.deepEqual(codes('maxconn 10\nglobal\n'), ['1:out-of-section']);
  });

  it('does not check lines HAProxy skips, and softens what depends on the environment', () => {
    assert.deepEqual(codes('global\n.if version_atleast(3.0)\n  tune.quic.socket-owner connection\n.endif\n'), []);
    const d = check('global\n.if defined(X)\n  no-such-keyword 1\n.endif\n');
    assert.deepEqual(
      d.map((x) => [x.code, x.severity]),
      [['unknown-keyword', 'warning']],
    );
  });
});

describe('diagnostics: keywords', () => {
  it('reports unknown keywords with a suggestion and a quick fix', () => {
    const d = check('global\n  tune.ssl.ssl-ctx-cache-timeout 10\n  maxconnn 10\n');
    assert.deepEqual(
      d.map((x) => [x.line, x.code]),
      [
        [1, 'unknown-keyword'],
        [2, 'unknown-keyword'],
      ],
    );
    assert.match(d[1].message, /did you mean 'maxconn'/);
    assert.deepEqual(d[1].fixes, [{ kind: 'replace', text: 'maxconn', title: "Replace with 'maxconn'" }]);
  });

  it('reports keywords in the wrong section as HAProxy does (error or warning)', () => {
    assert.deepEqual(codes(`${DEFAULTS}frontend f\n  bind :80\n  server s 1.2.3.4:80\n`), ['8:keyword-not-allowed']);
    assert.deepEqual(codes(`${DEFAULTS}backend b\n  maxconn 10\n`), ['7:ignored-in-section']);
    assert.deepEqual(codes(`${DEFAULTS}backend b\n  unique-id-header X-ID\n`), []);
    assert.deepEqual(codes('global\n  balance roundrobin\n'), ['2:keyword-not-allowed']);
    assert.deepEqual(codes(`${DEFAULTS}  acl a path /\n`), ['6:keyword-not-allowed']);
    assert.deepEqual(codes('defaults d\n  mode http\n  acl a path /\n'), []);
  });

  it('does not judge sections the keyword data does not describe', () => {
    assert.deepEqual(codes('namespace_list\n  namespace blue\n'), []);
  });

  it('reports removed and deprecated keywords', () => {
    const d = check(
      `${DEFAULTS}frontend f\n  bind :80\n  reqrep ^(.*) \\1\n  block if TRUE\n  option forceclose\n` +
        `  option http-use-htx\n  clitimeout 5s\n`,
    );
    assert.deepEqual(
      d.map((x) => [x.line + 1, x.code]),
      [
        [8, 'removed-keyword'],
        [9, 'removed-keyword'],
        [10, 'removed-keyword'],
        [11, 'removed-keyword'],
        [12, 'removed-keyword'],
      ],
    );
    assert.match(d[0].message, /removed in HAProxy 2\.1/);
    assert.deepEqual(d[1].fixes?.[0], {
      kind: 'replace',
      text: 'http-request deny',
      title: "Replace with 'http-request deny'",
    });
    const dep = check('global\n  tune.ssl.capture-cipherlist-size 100\n');
    assert.deepEqual(
      dep.map((x) => [x.code, x.severity, x.tags]),
      [['deprecated-keyword', 'warning', ['deprecated']]],
    );
    assert.deepEqual(codes('global\n  nbproc 2\n'), ['2:removed-keyword']);
  });

  it('checks the no/default prefix, options, actions and enumerated values', () => {
    assert.deepEqual(codes(`${DEFAULTS}frontend f\n  bind :80\n  no http-request deny\n`), ['8:unsupported-modifier']);
    assert.deepEqual(codes(`${DEFAULTS}frontend f\n  bind :80\n  option httplogg\n`), ['8:unknown-option']);
    assert.deepEqual(
      codes(
        `${DEFAULTS}frontend f\n  bind :80\n  http-request foo\n  tcp-request content bar\n  http-request lua.mine\n`,
      ),
      ['8:unknown-action', '9:unknown-action'],
    );
    assert.deepEqual(
      codes(
        `${DEFAULTS}backend b\n  tcp-request foo\n  mode health\n  mode foo\n  timeout client 1.5s\n` +
          `  timeout server 25d\n`,
      ),
      [
        '10:ignored-in-section',
        '10:invalid-value',
        '11:invalid-value',
        '7:invalid-value',
        '8:removed-keyword',
        '9:invalid-value',
      ],
    );
    assert.deepEqual(codes('global\n  tune.ssl.keylog 1\n  tune.idle-pool.shared on\n'), ['2:invalid-value']);
  });

  it('checks variable names, fetches and converters', () => {
    const d = codes(
      `${DEFAULTS}frontend f\n  bind :80\n  http-request set-var(x) src\n  http-request set-header X %[foo]\n` +
        `  http-request set-header Y %[src,bar]\n  acl a path,baz /x\n` +
        `  use_backend b if { var(http_host) -m found }\n  http-request set-header Z %[req.hdr(host)\n` +
        `  default_backend b\nbackend b\n`,
    );
    assert.deepEqual(d, [
      '10:unknown-converter',
      '11:unknown-converter',
      '12:invalid-variable-name',
      '13:invalid-sample',
      '8:invalid-variable-name',
      '9:unknown-fetch',
    ]);
    assert.deepEqual(
      codes(
        `${DEFAULTS}frontend f\n  bind :80\n  http-request set-var(txn.ok) src,lower\n` +
          `  http-request set-timeout server 3s\n  http-request sc-set-gpt0(0) 20\n` +
          `  http-request set-header X %[lua.custom]\n`,
      ),
      [],
    );
  });
});

describe('diagnostics: names and references', () => {
  it('reports undefined backends with a quick fix, and not dynamic ones', () => {
    const d = check(
      `${DEFAULTS}frontend f\n  bind :80\n  use_backend api if TRUE\n  use_backend %[req.hdr(host)]\n` +
        `  default_backend web\nbackend web\n`,
    );
    assert.deepEqual(
      d.map((x) => [x.line + 1, x.code]),
      [[8, 'undefined-backend']],
    );
    assert.deepEqual(d[0].fixes, [{ kind: 'create-section', sectionKind: 'backend', name: 'api' }]);
  });

  it('requires ACLs to be defined before use in the same section, and knows predefined ACLs', () => {
    const text =
      `${DEFAULTS}frontend f\n  bind :80\n  http-request deny if bar\n  acl bar path /x\n` +
      `  http-request deny if !bar || TRUE METH_GET HTTP_1.1\n  http-request deny if other\n`;
    const d = check(text);
    assert.deepEqual(
      d.map((x) => [x.line + 1, x.code]),
      [
        [8, 'undefined-acl'],
        [11, 'undefined-acl'],
      ],
    );
    assert.match(d[0].message, /used before its definition/);
    assert.deepEqual(
      d[0].related?.map((r) => r.line + 1),
      [9],
    );
    assert.equal(text.split('\n')[7].slice(d[0].start, d[0].end), 'bar');
  });

  it('treats an ACL whose definition is invalid as missing, as HAProxy does', () => {
    const d = check(
      `${DEFAULTS}frontend f\n  bind :80\n  acl is_health path_eq /health\n` +
        `  http-request return status 200 if is_health\n`,
    );
    assert.deepEqual(
      d.map((x) => [x.line + 1, x.code]),
      [
        [8, 'unknown-fetch'],
        [9, 'undefined-acl'],
      ],
    );
  });

  it('reports undefined userlists, resolvers, peers, caches, tables and servers', () => {
    const d = codes(
      `${DEFAULTS}frontend fe\n  bind :80\n  http-request deny if { http_auth(nolist) }\n` +
        `  http-request track-sc0 src table nope\n  http-request cache-use nocache\n  default_backend be\n` +
        `backend be\n  server s1 127.0.0.1:80 resolvers nores\n  stick-table type ip size 1m peers nopeers\n` +
        `  use-server s3 if TRUE\n  server s2 127.0.0.1:81 track other/s9\n`,
    );
    assert.deepEqual(d, [
      '10:undefined-cache',
      '13:undefined-resolvers',
      '14:undefined-peers',
      '15:undefined-server',
      '16:undefined-backend',
      '8:undefined-userlist',
      '9:undefined-table',
    ]);
  });

  it('follows HAProxy on duplicate names: frontend and backend may share one', () => {
    assert.deepEqual(
      codes(`${DEFAULTS}frontend x\n  bind :80\n  default_backend x\nbackend x\n  server s 1.2.3.4:80\n`),
      [],
    );
    assert.deepEqual(codes(`${DEFAULTS}listen x\n  bind :81\nfrontend x\n  bind :82\n`), ['8:duplicate-section']);
    assert.deepEqual(codes('peers a\n  peer p 127.0.0.1:1\npeers a\n  peer p 127.0.0.1:1\n'), ['3:duplicate-section']);
    assert.deepEqual(codes('userlist u\nuserlist u\n'), ['2:duplicate-section']);
    assert.equal(check('userlist u\nuserlist u\n')[0].severity, 'warning');
    assert.deepEqual(codes('defaults a\ndefaults a\n'), []);
    assert.deepEqual(codes('defaults a\ndefaults a\nbackend b from a\n'), ['3:ambiguous-defaults']);
    assert.deepEqual(codes(`${DEFAULTS}backend b\n  server s1 127.0.0.1:80\n  server s1 127.0.0.1:81\n`), [
      '8:duplicate-server',
    ]);
    assert.deepEqual(codes('frontend fe from nope\n', 'error'), ['1:undefined-defaults']);
    assert.deepEqual(codes('frontend fe from later\ndefaults later\n', 'error'), ['1:undefined-defaults']);
  });

  it('checks names, headers and addresses', () => {
    assert.deepEqual(
      codes(`${DEFAULTS}frontend f@e\n  bind :80\nbackend b\n  server s@ 1.2.3.4:80\n  acl x@ path /\n`),
      ['10:invalid-name', '6:invalid-name', '9:invalid-name'],
    );
    assert.deepEqual(codes('frontend\nglobal x\nuserlist u x\n'), [
      '1:missing-name',
      '2:invalid-section-header',
      '3:invalid-section-header',
    ]);
    assert.deepEqual(codes(`${DEFAULTS}listen l 127.0.0.1:8080\n  mode tcp\n  server s 1.2.3.4:80\n`), [
      '6:invalid-section-header',
      '7:section-rejected',
      '8:section-rejected',
    ]);
    assert.deepEqual(
      codes(
        `${DEFAULTS}frontend f\n  bind :99999\n  bind 1.2.3:80\n  bind :::443,[::]:444\n  bind mptcp@[::]:443\n` +
          `  bind 0.0.0.0:90-80\n`,
      ),
      ['10:newer-keyword', '11:invalid-address', '7:invalid-address'],
    );
    assert.deepEqual(
      codes(
        `${DEFAULTS}backend b\n  server s1 1.2.3.4:80-90\n  server s2 : source 0.0.0.1:+1\n` +
          `  server s3 : socks4 0.0.0.1\n  tcp-check connect addr 0.0.0.1:+19002\n`,
      ),
      ['10:invalid-address', '7:invalid-address', '8:invalid-address', '9:invalid-address'],
    );
    assert.deepEqual(codes('global\n  log 127.0.0.1:10001-10010 local0\n  log stdout local0\n  log ring@r local0\n'), [
      '2:invalid-address',
      '4:undefined-ring',
    ]);
  });
});

describe('diagnostics: HAProxy warnings and hints', () => {
  it('warns about a frontend without bind, missing timeouts, and HTTP rules in TCP mode', () => {
    assert.deepEqual(codes('frontend f\n  mode http\n  timeout client 1s\n'), ['1:missing-bind']);
    assert.deepEqual(codes('frontend f\n  bind :80\n'), ['1:missing-timeouts']);
    assert.deepEqual(
      codes('defaults\n  timeout connect 1s\n  timeout server 1s\nbackend b\n  server s 1.2.3.4:80\nbackend c\n'),
      [],
    );
    assert.deepEqual(codes('defaults\n  timeout connect 1s\n  timeout server 0\nbackend c\n  server s 1.2.3.4:80\n'), [
      '4:missing-timeouts',
    ]);
    assert.deepEqual(
      codes(
        'defaults\n  timeout client 1s\nfrontend f\n  bind :80\n  http-request deny\n  http-request deny\n' +
          '  option forwardfor\n',
      ),
      ['5:requires-http-mode', '7:requires-http-mode'],
    );
    assert.deepEqual(
      codes('defaults d1\n  mode http\ndefaults\n  timeout client 1s\nfrontend f from d1\n  bind :80\n'),
      ['5:missing-timeouts'],
    );
  });

  it('forbids sharing a defaults section with rules between frontends and backends', () => {
    assert.deepEqual(
      codes('defaults d\n  mode http\n  http-request deny\nfrontend f from d\n  bind :80\nbackend b from d\n'),
      ['4:missing-timeouts', '6:keyword-not-allowed'],
    );
    assert.deepEqual(
      codes('defaults d\n  mode http\n  http-request deny\n  timeout client 1s\nlisten l\n  bind :80\n'),
      ['5:keyword-not-allowed'],
    );
  });

  it('checks sections that need a setting', () => {
    assert.deepEqual(codes('cache c\nfcgi-app a\nprogram p\nresolvers r\nmailers m\n'), [
      '1:incomplete-section',
      '2:incomplete-section',
      '3:incomplete-section',
      '4:incomplete-section',
      '5:incomplete-section',
    ]);
  });

  it('hints at unused backends, unless a backend is chosen at run time', () => {
    const text =
      `${DEFAULTS}frontend f\n  bind :80\n  default_backend used\nbackend used\n  server s 1.2.3.4:80\n` +
      `backend unused\n  server s 1.2.3.4:80\n`;
    const d = diagnose(parseConfig(text), { keywords });
    assert.deepEqual(
      d.map((x) => [x.line + 1, x.code, x.severity, x.tags]),
      [[11, 'unused-backend', 'hint', ['unnecessary']]],
    );
    const dynamic = text.replace('default_backend used', 'use_backend %[req.hdr(host)]\n  default_backend used');
    assert.deepEqual(diagnose(parseConfig(dynamic), { keywords }), []);
  });
});

describe('suppression comments', () => {
  it('parses codes, a reason and the whole-line form', () => {
    assert.deepEqual(parseSuppression(' haproxy-gateway-disable-next-line unknown-keyword, invalid-value -- legacy'), {
      kind: 'next-line',
      codes: new Set(['unknown-keyword', 'invalid-value']),
    });
    assert.deepEqual(parseSuppression('haproxy-gateway-disable-line'), { kind: 'line', codes: 'all' });
    assert.equal(parseSuppression('haproxy-gateway-disable-next-lines'), undefined);
    assert.equal(parseSuppression('just a comment'), undefined);
  });

  it('suppresses diagnostics on the next line or the same line', () => {
    const text =
      'global\n  # haproxy-gateway-disable-next-line unknown-keyword\n  foo 1\n' +
      '  bar 2 # haproxy-gateway-disable-line\n  # haproxy-gateway-disable-next-line invalid-value\n  baz 3\n';
    assert.deepEqual(codes(text), ['6:unknown-keyword']);
  });

  it('builds the edit that adds or extends a suppression comment', () => {
    const m = parseConfig('global\n    foo 1\n  # haproxy-gateway-disable-next-line a\n  bar 2\n');
    assert.deepEqual(suppressionEdit(m, 1, 'unknown-keyword'), {
      line: 1,
      replaceWholeLine: false,
      text: '    # haproxy-gateway-disable-next-line unknown-keyword\n',
    });
    assert.deepEqual(suppressionEdit(m, 3, 'b'), {
      line: 2,
      replaceWholeLine: true,
      text: '  # haproxy-gateway-disable-next-line a, b',
    });
  });
});

describe('diagnostics: corpus and incremental updates', () => {
  it('finds nothing to report in our corpus', () => {
    for (const f of corpusFiles()) {
      const d = diagnose(parseConfig(f.text, { haproxyVersion: '2.6' }), { keywords });
      assert.deepEqual(
        d.map((x) => `${x.line + 1}:${x.code}: ${x.message}`),
        [],
        f.name,
      );
    }
  });

  it('gives after an edit the same diagnostics as a full check', () => {
    const files = corpusFiles();
    const rnd = prng(7);
    const pieces = [
      '  use_backend nowhere if TRUE',
      'backend extra',
      '  server dup 1.2.3.4:80',
      '  server dup 1.2.3.4:81',
      '  acl late path /',
      '  http-request deny if late',
      '  bogus 1',
      'frontend fx',
      '  bind :99999',
      '',
      'defaults',
      '  mode tcp',
    ];
    const sort = (d: ConfigDiagnostic[]): string[] =>
      d.map((x) => `${x.line}:${x.start}:${x.end}:${x.code}:${x.severity}:${x.message}`).sort();
    for (let round = 0; round < 150; round++) {
      let text = files[Math.floor(rnd() * files.length)].text;
      let model = parseConfig(text, { haproxyVersion: '2.6' });
      diagnose(model, { keywords });
      for (let e = 0; e < 4; e++) {
        const lines = text.split('\n');
        const at = Math.floor(rnd() * lines.length);
        lines.splice(
          at,
          Math.floor(rnd() * 2),
          ...Array.from({ length: Math.floor(rnd() * 3) }, () => pieces[Math.floor(rnd() * pieces.length)]),
        );
        text = lines.join('\n');
        model = reparse(model, text);
        assert.deepEqual(
          sort(diagnose(model, { keywords })),
          sort(diagnose(parseConfig(text, { haproxyVersion: '2.6' }), { keywords })),
          `round ${round} edit ${e}`,
        );
      }
    }
  });
});
