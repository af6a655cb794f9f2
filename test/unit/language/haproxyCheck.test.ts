import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { checkMessagesToDiagnostics } from '../../../src/language/core/haproxy/checkDiagnostics';
import { locateMessage, parseCheckOutput } from '../../../src/language/core/haproxy/checkOutput';
import { namesCheckedFile } from '../../../src/language/core/haproxy/runCheck';
import { parseVersionOutput } from '../../../src/language/core/haproxy/version';
import { parseConfig } from '../../../src/shared/haproxy-config/parser';

/** Output of HAProxy 2.6.12, as printed for the files named in each message. */
const OUTPUT = [
  '[NOTICE]   (11385) : haproxy version is 2.6.12-1+deb12u4',
  '[NOTICE]   (11385) : path to executable is /usr/sbin/haproxy',
  '[ALERT]    (11385) : config : parsing [/tmp/x/haproxy.cfg:10] : error detected while parsing an ' +
    "'http-request deny' condition : no such ACL : 'bar'.",
  "[ALERT]    (11388) : config : Parsing [/tmp/x/haproxy.cfg:5]: frontend 'x' has the same name as " +
    "proxy 'x' declared at /tmp/x/haproxy.cfg:3.",
  '[ALERT]    (12069) : config : parsing [/tmp/x/haproxy.cfg:11]: forbidden first char in environment ' +
    'variable name at position 8:',
  '  "foo$1 bar" x',
  '       ^',
  "[ALERT]    (5957) : config : [/tmp/x/haproxy.cfg:8] : parsing [/tmp/x/haproxy.cfg:8] : 'server' not " +
    "allowed because frontend 'f' has no backend capability.",
  "[WARNING]  (11400) : config : missing timeouts for frontend 'f'.",
  '   | While not properly invalid, you will certainly encounter various problems',
  '   | with such a configuration.',
  "[ALERT]    (11567) : config : Proxy 'fe': unable to find required default_backend: 'nope'.",
  "[ALERT]    (5561) : config : 'ca-file' : unable to load /etc/haproxy/ca.pem.",
  '[ALERT]    (11567) : config : Error(s) found in configuration file : /tmp/x/haproxy.cfg',
  '[ALERT]    (11567) : config : Fatal errors found in configuration.',
  'Warnings were found.',
  '',
].join('\n');

describe('parseCheckOutput', () => {
  const messages = parseCheckOutput(OUTPUT);

  it('reads severity, file, line and message, and drops the summary lines', () => {
    assert.deepEqual(
      messages.map((m) => [m.severity, m.file ?? null, m.line ?? null, m.message]),
      [
        [
          'alert',
          '/tmp/x/haproxy.cfg',
          10,
          "error detected while parsing an 'http-request deny' condition : no such ACL : 'bar'.",
        ],
        [
          'alert',
          '/tmp/x/haproxy.cfg',
          5,
          "frontend 'x' has the same name as proxy 'x' declared at /tmp/x/haproxy.cfg:3.",
        ],
        ['alert', '/tmp/x/haproxy.cfg', 11, 'forbidden first char in environment variable name at position 8'],
        ['alert', '/tmp/x/haproxy.cfg', 8, "'server' not allowed because frontend 'f' has no backend capability."],
        ['warning', null, null, "missing timeouts for frontend 'f'."],
        ['alert', null, null, "Proxy 'fe': unable to find required default_backend: 'nope'."],
        ['alert', null, null, "'ca-file' : unable to load /etc/haproxy/ca.pem."],
      ],
    );
  });

  it('keeps the column HAProxy points to and the continuation lines', () => {
    assert.equal(messages[2].column, 7);
    assert.deepEqual(messages[2].detail, ['  "foo$1 bar" x', '       ^']);
    assert.equal(messages[4].detail.length, 2);
  });

  it('reads older formats with a date before the pid', () => {
    const old = parseCheckOutput(
      "[ALERT] 123/045612 (4242) : parsing [cfg:3] : unknown keyword 'x' in 'global' section\n",
    );
    assert.deepEqual(
      old.map((m) => [m.line, m.message]),
      [[3, "unknown keyword 'x' in 'global' section"]],
    );
  });
});

describe('locateMessage and checkMessagesToDiagnostics', () => {
  const text = [
    'defaults', //                                  0
    '  timeout client 1s', //                       1
    'frontend fe', //                               2
    '  bind :80', //                                3
    '  http-request deny', //                       4
    '  default_backend nope', //                    5
    'backend be', //                                6
    '  server s1 127.0.0.1:80 resolvers nores', //  7
    '  use-server s3 if TRUE', //                   8
    '  stick-table type ip size 1m peers nopeers', //9
    '',
  ].join('\n');
  const model = parseConfig(text);

  it('places post-parse messages on the line they are about', () => {
    const at = (m: string): number | undefined => locateMessage(m, model)?.line;
    assert.equal(at("Proxy 'fe': unable to find required default_backend: 'nope'."), 5);
    assert.equal(at("backend 'be', server 's1': unable to find required resolvers 'nores'"), 7);
    assert.equal(at("backend 'be' : unable to find server 's3' referenced in a 'use-server' rule."), 8);
    assert.equal(at("Proxy 'be': unable to find sync peers 'nopeers'."), 9);
    assert.equal(at("'http-request' rules ignored for frontend 'fe' as they require HTTP mode."), 4);
    assert.equal(at("missing timeouts for frontend 'fe'."), 2);
    assert.equal(at('something about nothing'), undefined);
  });

  it('turns messages into diagnostics of the checked file only', () => {
    const msgs = parseCheckOutput(
      "[ALERT]    (1) : config : parsing [/tmp/d/haproxy.cfg:4] : 'bind :80' unknown keyword 'x'.\n" +
        '[ALERT]    (1) : config : parsing [/etc/other.cfg:2] : elsewhere\n' +
        "[WARNING]  (1) : config : missing timeouts for frontend 'fe'.\n   | detail line\n" +
        '[ALERT]    (1) : config : a message about no known section\n',
    );
    const diags = checkMessagesToDiagnostics(msgs, model, (m) => namesCheckedFile(m, '/tmp/d/haproxy.cfg'));
    assert.deepEqual(
      diags.map((d) => [d.line, d.start, d.end, d.severity, d.code]),
      [
        [3, 2, 10, 'error', 'haproxy'],
        [2, 9, 11, 'warning', 'haproxy'],
        [0, 0, 8, 'error', 'haproxy'],
      ],
    );
    assert.equal(diags[1].message, "missing timeouts for frontend 'fe'.\ndetail line");
  });
});

describe('parseVersionOutput', () => {
  it('reads the version line of haproxy -v', () => {
    assert.equal(
      parseVersionOutput('HAProxy version 2.6.12-1+deb12u4 2026/10/17 - https://haproxy.org/\nStatus: long-term'),
      '2.6.12-1+deb12u4',
    );
    assert.equal(parseVersionOutput('nothing'), undefined);
  });
});
