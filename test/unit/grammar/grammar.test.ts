import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { IGrammar } from 'vscode-textmate';
import { grammarPath, loadGrammar, loadScript, splitLines, tokenizeLines, type Token } from './textmate';
import { grammarCorpus, type CorpusData } from '../../support/grammar-corpus';

let grammar: IGrammar;

before(async () => {
  grammar = await loadGrammar();
});

/** Tokens of the last line of `lines` (earlier lines give the context, e.g. a section header). */
function lastLine(...lines: string[]): Token[] {
  const all = tokenizeLines(grammar, lines);
  return all[all.length - 1];
}

/** The token whose text is exactly `text` (the n-th one), with a readable failure. */
function tok(tokens: Token[], text: string, nth = 0): Token {
  const found = tokens.filter((t) => t.text === text);
  assert.ok(found.length > nth, `no token ${JSON.stringify(text)} in ${JSON.stringify(tokens.map((t) => t.text))}`);
  return found[nth];
}

/** The token containing `text` (for words that carry no scope of their own and merge with blanks). */
function tokWith(tokens: Token[], text: string): Token {
  const t = tokens.find((x) => x.text.includes(text));
  assert.ok(t, `no token containing ${JSON.stringify(text)} in ${JSON.stringify(tokens.map((x) => x.text))}`);
  return t;
}

function hasScope(t: Token, prefix: string): boolean {
  return t.scopes.some((s) => s === prefix || s.startsWith(`${prefix}.`));
}

function assertScope(tokens: Token[], text: string, prefix: string, nth = 0): void {
  const t = tok(tokens, text, nth);
  assert.ok(hasScope(t, prefix), `${JSON.stringify(text)} should be ${prefix}, has ${t.scopes.join(' ')}`);
}

function assertNotScope(tokens: Token[], text: string, prefix: string, nth = 0): void {
  const t = tok(tokens, text, nth);
  assert.ok(!hasScope(t, prefix), `${JSON.stringify(text)} should not be ${prefix}, has ${t.scopes.join(' ')}`);
}

function anyScope(tokens: Token[], prefix: string): boolean {
  return tokens.some((t) => hasScope(t, prefix));
}

describe('section headers', () => {
  test('every section kind HAProxy 2.6 knows opens a section, with its name', () => {
    const kinds = [
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
    ];
    for (const kind of kinds) {
      const tokens = lastLine(`${kind} my_name`);
      assertScope(tokens, kind, 'entity.name.section');
      if (kind !== 'global') assertScope(tokens, 'my_name', 'entity.name.type');
    }
  });

  test('named defaults and `from`, indented headers, trailing comment', () => {
    let tokens = lastLine('defaults base');
    assertScope(tokens, 'base', 'entity.name.type');
    tokens = lastLine('  frontend fe from base # public');
    assertScope(tokens, 'frontend', 'entity.name.section');
    assertScope(tokens, 'fe', 'entity.name.type');
    assertScope(tokens, 'from', 'keyword.other.from');
    assertScope(tokens, 'base', 'entity.name.type.defaults');
    assertScope(tokens, ' public', 'comment.line.number-sign');
  });

  test('old `listen name address` headers; words after a header name are not directives', () => {
    let tokens = lastLine('listen l35 :35000');
    assertScope(tokens, '35000', 'constant.numeric.port');
    tokens = lastLine('defaults mydefaults    mode http');
    assert.ok(!hasScope(tokWith(tokens, 'mode'), 'keyword.other.directive'), JSON.stringify(tokens));
  });

  test('a keyword is scoped by the section it is in', () => {
    assertScope(lastLine('backend b', '    balance roundrobin'), 'balance', 'keyword.other.directive');
    // `balance` is not a frontend keyword: no directive scope there.
    assert.ok(
      !hasScope(tokWith(lastLine('frontend f', '    balance roundrobin'), 'balance'), 'keyword.other.directive'),
    );
    assertScope(lastLine('resolvers dns', '    nameserver dns1 127.0.0.1:53'), 'nameserver', 'keyword.other.directive');
    assertScope(lastLine('global', '    tune.bufsize 32768'), 'tune.bufsize', 'keyword.other.directive');
  });
});

describe('comments, quotes and escapes', () => {
  test('a # inside quotes is not a comment; after the quotes it is', () => {
    const tokens = lastLine('frontend f', '    http-request set-header X-Tag "a#b" # real comment');
    assertScope(tokens, 'a#b', 'string.quoted.double');
    assertNotScope(tokens, 'a#b', 'comment');
    assertScope(tokens, ' real comment', 'comment.line.number-sign');
  });

  test('an escaped \\# is part of the argument, not a comment', () => {
    const tokens = lastLine('frontend f', '    acl frag path_beg /a\\#b');
    assertScope(tokens, '\\#', 'constant.character.escape');
    assert.ok(!anyScope(tokens, 'comment'), 'no comment on the line');
  });

  test('a backslash-escaped space keeps one argument: stats realm Haproxy\\ Statistics', () => {
    const tokens = lastLine('listen stats', '    stats realm Haproxy\\ Statistics');
    assertScope(tokens, 'stats realm', 'keyword.other.directive');
    assertScope(tokens, '\\ ', 'constant.character.escape');
    assert.ok(!anyScope(tokens, 'comment'));
  });

  test("single quotes interpret nothing: no variable in '${X}'", () => {
    const tokens = lastLine('global', "    setenv A '${X}'");
    assertScope(tokens, '${X}', 'string.quoted.single');
    assertScope(tokens, "'", 'punctuation.definition.string.begin');
    assert.ok(!anyScope(tokens, 'variable.other.environment'));
  });

  test('double quotes expand ${VAR}, ${VAR-default} and $VAR', () => {
    let tokens = lastLine('defaults', '    timeout client "${TIMEOUT-5s}"');
    assertScope(tokens, 'TIMEOUT', 'variable.other.environment');
    assertScope(tokens, '-', 'keyword.operator.default');
    assertScope(tokens, '5s', 'string.unquoted.default');
    assertScope(tokens, '${', 'punctuation.definition.variable.begin');
    tokens = lastLine('global', '    log "$LOG_HOST" local0');
    assertScope(tokens, 'LOG_HOST', 'variable.other.environment');
  });

  test('HAProxy has no line continuation: a trailing backslash is literal and the next line stands alone', () => {
    const lines = tokenizeLines(grammar, ['frontend f', '    http-request deny \\', '    if TRUE', '    bind :80']);
    assertScope(lines[1], '\\', 'constant.character.literal-backslash');
    assert.ok(!lines[1].some((t) => t.scopes.some((s) => /continuation/.test(s))));
    // The next line is a line of its own: `if` is not a condition of the previous rule.
    assert.ok(!anyScope(lines[2], 'meta.directive.rule'), JSON.stringify(lines[2]));
    assert.ok(!anyScope(lines[2], 'keyword.control.conditional'));
    assertScope(lines[3], 'bind', 'keyword.other.directive');
  });

  test('CRLF line ends change nothing', () => {
    const text = 'global\r\n    maxconn 100 # max\r\nfrontend fe\r\n    bind :80\r\n';
    const lines = tokenizeLines(grammar, splitLines(text));
    assert.equal(lines.length, 4);
    assertScope(lines[0], 'global', 'entity.name.section');
    assertScope(lines[1], 'maxconn', 'keyword.other.directive');
    assertScope(lines[1], ' max', 'comment.line.number-sign');
    assertScope(lines[2], 'frontend', 'entity.name.section');
    assertScope(lines[3], '80', 'constant.numeric.port');
    // A stray CR left at the end of a line (text not split by an editor) is a blank.
    const raw = tokenizeLines(grammar, ['frontend fe\r', '    bind :80\r']);
    assertScope(raw[0], 'frontend', 'entity.name.section');
    assertScope(raw[1], 'bind', 'keyword.other.directive');
  });
});

describe('ACLs and conditions', () => {
  test('an ACL named like a keyword or a fetch does not break', () => {
    const lines = tokenizeLines(grammar, ['frontend f', '    acl path path_beg /x', '    use_backend b if path']);
    assertScope(lines[1], 'acl', 'keyword.other.directive');
    assertScope(lines[1], 'path', 'entity.name.function.acl');
    assertScope(lines[1], 'path_beg', 'support.function.fetch');
    assertScope(lines[1], '/x', 'string.unquoted.pattern');
    assertScope(lines[2], 'use_backend', 'keyword.other.directive');
    assertScope(lines[2], 'b', 'entity.name.type.backend');
    assertScope(lines[2], 'if', 'keyword.control.conditional');
    assertScope(lines[2], 'path', 'variable.other.acl');
  });

  test('criteria with flags, match methods, files and comparison operators', () => {
    let tokens = lastLine('frontend f', '    acl api hdr(host),lower -i -m beg api. -f /etc/haproxy/hosts.lst');
    assertScope(tokens, 'hdr', 'support.function.fetch');
    assertScope(tokens, 'host', 'variable.parameter.argument');
    assertScope(tokens, 'lower', 'support.function.converter');
    assertScope(tokens, '-i', 'constant.language.flag');
    assertScope(tokens, '-m', 'constant.language.flag');
    assertScope(tokens, 'beg', 'support.constant.match-method');
    assertScope(tokens, '-f', 'constant.language.flag');
    assertScope(tokens, '/etc/haproxy/hosts.lst', 'string.unquoted.filename');
    tokens = lastLine('frontend f', '    acl busy fe_conn gt 100');
    assertScope(tokens, 'gt', 'keyword.operator.comparison');
    assertScope(tokens, '100', 'constant.numeric');
    tokens = lastLine('frontend f', '    acl lan src 10.0.0.0/8 2001:db8::/32');
    assertScope(tokens, '10.0.0.0', 'constant.numeric.ip');
    assertScope(tokens, '2001:db8::', 'constant.numeric.ip');
  });

  test('conditions: if/unless, !, ||, or, predefined ACLs and anonymous ACLs', () => {
    const tokens = lastLine(
      'frontend f',
      '    http-request deny if !{ ssl_fc } || bad or METH_POST { req.hdr(x) -m found }',
    );
    assertScope(tokens, 'if', 'keyword.control.conditional');
    assertScope(tokens, '!', 'keyword.operator.logical');
    assertScope(tokens, '{', 'punctuation.section.block.begin');
    assertScope(tokens, 'ssl_fc', 'support.function.fetch');
    assertScope(tokens, '}', 'punctuation.section.block.end');
    assertScope(tokens, '||', 'keyword.operator.logical');
    assertScope(tokens, 'bad', 'variable.other.acl');
    assertScope(tokens, 'or', 'keyword.operator.logical');
    assertScope(tokens, 'METH_POST', 'constant.language.acl');
    assertScope(tokens, 'req.hdr', 'support.function.fetch');
    assertScope(tokens, 'found', 'support.constant.match-method');
  });
});

describe('rules and sample expressions', () => {
  test('actions of http-request, http-response, tcp-request and tcp-response', () => {
    let tokens = lastLine('frontend f', '    http-request set-header X-Forwarded-Proto https if { ssl_fc }');
    assertScope(tokens, 'http-request', 'keyword.other.directive');
    assertScope(tokens, 'set-header', 'support.function.action');
    assertScope(tokens, 'X-Forwarded-Proto', 'support.type.property-name.header');
    tokens = lastLine('backend b', '    http-response set-status 503');
    assertScope(tokens, 'set-status', 'support.function.action');
    tokens = lastLine('frontend f', '    tcp-request content track-sc1 src');
    assertScope(tokens, 'tcp-request', 'keyword.other.directive');
    assertScope(tokens, 'content', 'keyword.other.directive');
    assertScope(tokens, 'track-sc1', 'support.function.action');
    assertScope(tokens, 'src', 'support.function.fetch');
    tokens = lastLine('backend b', '    tcp-response content close');
    assertScope(tokens, 'close', 'support.function.action');
    // set-status exists for http-response, not for http-request.
    tokens = lastLine('frontend f', '    http-request set-status 503');
    assert.ok(!hasScope(tokWith(tokens, 'set-status'), 'support.function.action'));
  });

  test('set-var takes a sample expression: fetch, arguments, converters', () => {
    const tokens = lastLine('frontend f', '    http-request set-var(txn.host) req.hdr(host),lower,field(1,:)');
    assertScope(tokens, 'set-var', 'support.function.action');
    assertScope(tokens, 'txn.host', 'variable.parameter.argument');
    assertScope(tokens, 'req.hdr', 'support.function.fetch');
    assertScope(tokens, 'lower', 'support.function.converter');
    assertScope(tokens, 'field', 'support.function.converter');
    assertScope(tokens, ',', 'punctuation.separator.converter');
  });

  test('log-format: variables, %[...] with fetches and converters, inside double quotes', () => {
    const tokens = lastLine('frontend f', '    log-format "%ci:%cp [%tr] %[req.hdr(host),lower]"');
    assertScope(tokens, 'log-format', 'keyword.other.directive');
    assertScope(tokens, 'ci', 'variable.language.log-format');
    assertScope(tokens, 'cp', 'variable.language.log-format');
    assertScope(tokens, 'tr', 'variable.language.log-format');
    assertScope(tokens, '[', 'punctuation.section.embedded.begin', 0);
    assertScope(tokens, 'req.hdr', 'support.function.fetch');
    assertScope(tokens, 'lower', 'support.function.converter');
    assertScope(tokens, ']', 'punctuation.section.embedded.end');
    assert.ok(
      tokens.every(
        (t) => t.text === '    ' || t.text === 'log-format' || t.text === ' ' || hasScope(t, 'string.quoted.double'),
      ),
    );
  });

  test('%[...] in an unquoted argument and in a double-quoted string of a rule', () => {
    const tokens = lastLine('frontend f', '    http-request add-header X-Client %[src] if { path "/a b" }');
    assertScope(tokens, 'src', 'support.function.fetch');
    const glued = lastLine('frontend f', '    http-request redirect location /new%[path] code 302');
    assertScope(glued, '/new', 'string.unquoted.path');
    assertScope(glued, 'path', 'support.function.fetch');
    assertScope(glued, 'code', 'entity.other.attribute-name');
    const quoted = lastLine('frontend f', '    http-request set-header X "%[src,ipmask(24)]"');
    assertScope(quoted, 'src', 'support.function.fetch');
    assertScope(quoted, 'ipmask', 'support.function.converter');
  });

  test('option and no option', () => {
    let tokens = lastLine('defaults', '    option httplog');
    assertScope(tokens, 'option', 'keyword.other.directive');
    assertScope(tokens, 'httplog', 'support.constant.option');
    tokens = lastLine('defaults', '    no option http-buffer-request');
    assertScope(tokens, 'no', 'keyword.other.negation');
    assertScope(tokens, 'http-buffer-request', 'support.constant.option');
  });

  test('multi-word keywords, numbers with units and literal values', () => {
    let tokens = lastLine('defaults', '    timeout client 30s');
    assertScope(tokens, 'timeout client', 'keyword.other.directive');
    assertScope(tokens, '30', 'constant.numeric');
    assertScope(tokens, 's', 'keyword.other.unit');
    tokens = lastLine('backend b', '    stick-table type ip size 100k expire 30m');
    assertScope(tokens, '100', 'constant.numeric');
    assertScope(tokens, 'k', 'keyword.other.unit');
    assertScope(tokens, 'ip', 'support.constant.value');
    tokens = lastLine('backend b', '    http-reuse safe');
    assertScope(tokens, 'safe', 'support.constant.value');
  });

  test('deprecated and removed keywords', () => {
    const dep = lastLine('backend b', '    transparent');
    assertScope(dep, 'transparent', 'invalid.deprecated');
    const removed = lastLine('defaults', '    clitimeout 5s');
    assertScope(removed, 'clitimeout', 'invalid.illegal.removed');
  });
});

describe('addresses, binds and servers', () => {
  test('bind [::1]:8443 ssl crt /x.pem alpn h2,http/1.1', () => {
    const tokens = lastLine('frontend f', '    bind [::1]:8443 ssl crt /x.pem alpn h2,http/1.1');
    assertScope(tokens, 'bind', 'keyword.other.directive');
    assertScope(tokens, '[', 'punctuation.definition.address.begin');
    assertScope(tokens, '::1', 'constant.numeric.ip');
    assertScope(tokens, '8443', 'constant.numeric.port');
    assertScope(tokens, 'ssl', 'entity.other.attribute-name');
    assertScope(tokens, 'crt', 'entity.other.attribute-name');
    assertScope(tokens, '/x.pem', 'string.unquoted.path');
    assertScope(tokens, 'alpn', 'entity.other.attribute-name');
  });

  test('address forms: :::443, *:80, port ranges, prefixes', () => {
    let tokens = lastLine('frontend f', '    bind :::443 v4v6');
    assertScope(tokens, '::', 'constant.numeric.ip');
    assertScope(tokens, '443', 'constant.numeric.port');
    tokens = lastLine('frontend f', '    bind *:80');
    assertScope(tokens, '*', 'constant.language.wildcard');
    tokens = lastLine('frontend f', '    bind 10.0.0.1:8000-8010');
    assertScope(tokens, '10.0.0.1', 'constant.numeric.ip');
    assertScope(tokens, '8000', 'constant.numeric.port');
    assertScope(tokens, '-', 'punctuation.separator.range');
    assertScope(tokens, '8010', 'constant.numeric.port');
    tokens = lastLine('frontend f', '    bind mptcp@[::]:443');
    assertScope(tokens, 'mptcp@', 'storage.type.address-prefix');
    assertScope(tokens, '::', 'constant.numeric.ip');
    for (const [addr, prefix, rest, scope] of [
      ['unix@/run/haproxy.sock', 'unix@', '/run/haproxy.sock', 'string.unquoted.path'],
      ['abns@haproxy-peers', 'abns@', 'haproxy-peers', 'string.unquoted.hostname'],
      ['ipv4@127.0.0.1:80', 'ipv4@', '127.0.0.1', 'constant.numeric.ip'],
      ['ipv6@[::1]:80', 'ipv6@', '::1', 'constant.numeric.ip'],
    ]) {
      tokens = lastLine('frontend f', `    bind ${addr}`);
      assertScope(tokens, prefix, 'storage.type.address-prefix');
      assertScope(tokens, rest, scope);
    }
    tokens = lastLine('frontend f', '    bind fd@${FD_APP1}');
    assertScope(tokens, 'fd@', 'storage.type.address-prefix');
    assertScope(tokens, 'FD_APP1', 'variable.other.environment');
    tokens = lastLine('frontend f', '    bind "$SOCKET_PATH" mode 600');
    assertScope(tokens, 'SOCKET_PATH', 'variable.other.environment');
    assertScope(tokens, 'mode', 'entity.other.attribute-name');
  });

  test('server names may contain a colon: server singleton:8080 ...', () => {
    const tokens = lastLine('backend b', '    server singleton:8080 10.0.0.5:8080 check inter 2s weight 10');
    assertScope(tokens, 'server', 'keyword.other.directive');
    assertScope(tokens, 'singleton:8080', 'variable.other.server');
    assertScope(tokens, '10.0.0.5', 'constant.numeric.ip');
    assertScope(tokens, '8080', 'constant.numeric.port');
    assertScope(tokens, 'check', 'entity.other.attribute-name');
    assertScope(tokens, 'inter', 'entity.other.attribute-name');
    assertScope(tokens, '2', 'constant.numeric');
    assertScope(tokens, 'weight', 'entity.other.attribute-name');
  });

  test('default-server has options only; server-template takes a count', () => {
    let tokens = lastLine('backend b', '    default-server inter 3s fall 3');
    assertScope(tokens, 'inter', 'entity.other.attribute-name');
    assertNotScope(tokens, 'inter', 'string.unquoted.hostname');
    tokens = lastLine('backend b', '    server-template web 1-3 app.example.com:80 check');
    assertScope(tokens, 'web', 'variable.other.server');
    assertScope(tokens, '1-3', 'constant.numeric');
    assertScope(tokens, 'app.example.com', 'string.unquoted.hostname');
  });
});

describe('conditional blocks', () => {
  test('.if version_atleast(2.5), .elif, .else, .endif and messages', () => {
    const lines = tokenizeLines(grammar, [
      '.if version_atleast(2.5) && !feature(OPENSSL)',
      '    .notice "new enough"',
      '.elif defined(HAPROXY_MWORKER) || streq("$A",yes)',
      '.else',
      '    .alert "too old"',
      '.endif',
    ]);
    assertScope(lines[0], '.if', 'keyword.control.conditional');
    assertScope(lines[0], 'version_atleast', 'support.function.predicate');
    assertScope(lines[0], '2.5', 'constant.numeric');
    assertScope(lines[0], '&&', 'keyword.operator.logical');
    assertScope(lines[0], '!', 'keyword.operator.logical');
    assertScope(lines[0], 'feature', 'support.function.predicate');
    assertScope(lines[1], '.notice', 'keyword.other.message');
    assertScope(lines[1], 'new enough', 'string.quoted.double');
    assertScope(lines[2], '.elif', 'keyword.control.conditional');
    assertScope(lines[2], 'A', 'variable.other.environment');
    assertScope(lines[3], '.else', 'keyword.control.conditional');
    assertScope(lines[4], '.alert', 'keyword.other.message');
    assertScope(lines[5], '.endif', 'keyword.control.conditional');
  });

  test('a conditional block inside a section keeps the section', () => {
    const lines = tokenizeLines(grammar, [
      'backend b',
      '.if defined(X)',
      '    balance leastconn',
      '.endif',
      '    server s1 10.0.0.1:80',
    ]);
    assertScope(lines[2], 'balance', 'keyword.other.directive');
    assertScope(lines[4], 'server', 'keyword.other.directive');
  });
});

// Real configurations HAProxy 2.6 accepted: the grammar must never call them wrong.
describe('real-world configurations HAProxy accepts', async () => {
  const { haproxyConfigsDir } = await import('../../support/paths');
  const dir = path.join(haproxyConfigsDir, 'valid');
  const files = fs.existsSync(dir)
    ? fs
        .readdirSync(dir)
        .filter((f) => f.endsWith('.cfg'))
        .sort()
    : [];
  const sectionRe =
    /^\s*(global|defaults|frontend|backend|listen|userlist|peers|resolvers|mailers|program|http-errors|ring|cache|fcgi-app|log-forward)(\s|#|$)/;

  test('the reference corpus is present', (t) => {
    if (files.length === 0) t.skip(`no configurations in ${dir}`);
    else assert.ok(files.length > 10);
  });

  for (const file of files) {
    test(file, () => {
      const lines = splitLines(fs.readFileSync(path.join(dir, file), 'utf8'));
      const tokens = tokenizeLines(grammar, lines);
      lines.forEach((line, i) => {
        const where = `${file}:${i + 1}: ${line}`;
        for (const t of tokens[i])
          assert.ok(!hasScope(t, 'invalid.illegal'), `invalid.illegal on ${JSON.stringify(t.text)} at ${where}`);
        if (sectionRe.test(line)) {
          const first = tokens[i].find((t) => t.text.trim() !== '');
          assert.ok(first && hasScope(first, 'entity.name.section'), `section header not scoped at ${where}`);
        }
        const comment = /^\s*#/.test(line);
        if (comment) {
          const first = tokens[i].find((t) => t.text.trim() !== '');
          assert.ok(first && hasScope(first, 'comment.line.number-sign'), `comment not scoped at ${where}`);
        }
      });
    });
  }
});

describe('fast paths', () => {
  test('the one-match shortcuts give exactly the scopes of the general rules', async () => {
    const { buildGrammar, loadData } = await loadScript<{
      buildGrammar(data: unknown, options?: { fastPaths: boolean }): object;
      loadData(): CorpusData;
    }>('generate-grammar.js');
    const { generateConfig } = await import('../../support/generate-config');
    const { haproxyConfigsDir } = await import('../../support/paths');
    const data = loadData();
    const fast = await loadGrammar(buildGrammar(data));
    const general = await loadGrammar(buildGrammar(data, { fastPaths: false }));
    const docs: [string, string[]][] = [
      ['generated', splitLines(generateConfig(3000, 3))],
      ...grammarCorpus(data).map(([name, text]): [string, string[]] => [name, splitLines(text)]),
    ];
    const dir = path.join(haproxyConfigsDir, 'valid');
    if (fs.existsSync(dir)) {
      for (const f of fs.readdirSync(dir).filter((x) => x.endsWith('.cfg')))
        docs.push([f, splitLines(fs.readFileSync(path.join(dir, f), 'utf8'))]);
    }
    // Adjacent tokens with the same scopes are one token for a theme.
    const merged = (tokens: Token[]): string[] => {
      const out: Token[] = [];
      for (const t of tokens) {
        const last = out[out.length - 1];
        if (last && last.scopes.join(' ') === t.scopes.join(' ')) last.text += t.text;
        else out.push({ text: t.text, scopes: t.scopes });
      }
      return out.map((t) => `${JSON.stringify(t.text)} ${t.scopes.join(' ')}`);
    };
    for (const [name, lines] of docs) {
      const a = tokenizeLines(fast, lines);
      const b = tokenizeLines(general, lines);
      lines.forEach((line, i) => assert.deepEqual(merged(a[i]), merged(b[i]), `${name}:${i + 1}: ${line}`));
    }
  });
});

// What keeps the common lines fast in vscode-textmate + vscode-oniguruma (npm run bench measures it).
describe('shape for speed', () => {
  interface Rule {
    begin?: string;
    match?: string;
    end?: string;
    while?: string;
    patterns?: { include?: string }[];
  }
  const raw = () => JSON.parse(fs.readFileSync(grammarPath, 'utf8')) as { repository: Record<string, Rule> };
  /** Capture groups of an Oniguruma pattern (`(` not followed by `?`, outside classes). */
  const groups = (re: string): number => {
    let n = 0;
    let inClass = false;
    for (let i = 0; i < re.length; i++) {
      if (re[i] === '\\') i++;
      else if (inClass) inClass = re[i] !== ']';
      else if (re[i] === '[') inClass = true;
      else if (re[i] === '(' && re[i + 1] !== '?') n++;
    }
    return n;
  };

  test('a rules begin has few capture groups: vscode-oniguruma makes an object of each on every match', () => {
    const rules = Object.entries(raw().repository).filter(([id]) => id.startsWith('rules-'));
    assert.ok(rules.length >= 4);
    // One alternative per rule set had ~190 groups.
    for (const [id, r] of rules) assert.ok(groups(r.begin ?? '') <= 40, `${id}: ${groups(r.begin ?? '')} groups`);
    assert.equal(groups(String.raw`(a)(?:b)\(c\)[(]((?<=x)d)`), 2);
  });

  test('a section whose header has only names ends at the next header: no while check on each line', () => {
    const repo = raw().repository;
    for (const kind of ['global', 'defaults', 'frontend', 'backend', 'listen', 'peers', 'resolvers']) {
      assert.ok(repo[`section-${kind}`].end && !repo[`section-${kind}`].while, kind);
      assert.match(repo[`section-${kind}`].begin ?? '', /\\n$/, `${kind}: the header takes its line end`);
      assert.ok(repo[`section-${kind}-open`].while, `${kind}: other headers keep the while form`);
    }
  });

  test('each directive of a section starts with the anchor and a first-character lookahead', () => {
    const repo = raw().repository;
    const lead = '\\G(?=[\\t -~])';
    let checked = 0;
    for (const [id, section] of Object.entries(repo).filter(
      ([k]) => /^section-[\w-]+$/.test(k) && !k.endsWith('-open'),
    )) {
      for (const p of section.patterns ?? []) {
        const rule = p.include ? repo[p.include.slice(1)] : (p as Rule);
        const re = rule.begin ?? rule.match ?? '';
        // An unknown directive may start with any character; it is tried last.
        if (p.include === '#directive-unknown') continue;
        assert.ok(re.startsWith(lead), `${id} ${p.include ?? ''}: ${re.slice(0, 40)}`);
        checked++;
      }
    }
    assert.ok(checked > 100, `${checked}`);
  });
});

describe('generated artifact', () => {
  test('syntaxes/haproxy.tmLanguage.json is what scripts/generate-grammar.js produces', async () => {
    const { buildGrammar, serialize, loadData } = await loadScript<{
      buildGrammar(data: unknown): object;
      serialize(g: object): string;
      loadData(version?: string): unknown;
    }>('generate-grammar.js');
    const expected = serialize(buildGrammar(loadData()));
    assert.equal(fs.readFileSync(grammarPath, 'utf8'), expected, 'stale grammar: run node scripts/generate-grammar.js');
  });

  test('the grammar says it is generated', () => {
    const raw = JSON.parse(fs.readFileSync(grammarPath, 'utf8')) as {
      information_for_contributors: string[];
      scopeName: string;
    };
    assert.equal(raw.scopeName, 'source.haproxy');
    assert.match(raw.information_for_contributors.join(' '), /generated by scripts\/generate-grammar\.js/);
  });
});
