import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  SnippetSyntaxError,
  choicesOf,
  expandSnippet,
  loadSnippetFile,
  parseSnippet,
  prefixesOf,
  tabstopsOf,
} from '../../support/snippets';

test('plain tab stops and the final tab stop expand to nothing', () => {
  assert.equal(expandSnippet('a$1b${2}c$0'), 'abc');
});

test('placeholders expand to their default text', () => {
  assert.equal(expandSnippet('bind ${1:*}:${2:80}'), 'bind *:80');
});

test('a choice expands to its first option unless another is picked', () => {
  const body = 'balance ${1|roundrobin,leastconn,source|}';
  assert.equal(expandSnippet(body), 'balance roundrobin');
  assert.equal(expandSnippet(body, { choices: { 1: 2 } }), 'balance source');
  assert.throws(() => expandSnippet(body, { choices: { 1: 3 } }), /3 choices/);
  assert.throws(() => expandSnippet('${1:x}', { choices: { 1: 0 } }), /not a choice/);
});

test('choice options may contain escaped commas and pipes', () => {
  assert.deepEqual(choicesOf('${1|a\\,b,c\\|d,e f|}').get(1), ['a,b', 'c|d', 'e f']);
});

test('placeholders nest, and inner defaults are part of the outer default', () => {
  assert.equal(expandSnippet('server ${1:app ${2:10.0.0.1}:${3:80}} check'), 'server app 10.0.0.1:80 check');
  assert.equal(expandSnippet('server ${1:app ${2:10.0.0.1}}', { placeholders: { 2: '::1' } }), 'server app ::1');
  assert.equal(expandSnippet('server ${1:app ${2:10.0.0.1}}', { placeholders: { 1: 'web' } }), 'server web');
});

test('mirrors take the value of the first occurrence that has one', () => {
  assert.equal(
    expandSnippet('acl $1 path_beg /x\nuse_backend b if ${1:is_x}'),
    'acl is_x path_beg /x\nuse_backend b if is_x',
  );
  assert.equal(expandSnippet('${1:first} ${1:second}'), 'first first');
  assert.equal(expandSnippet('${1|a,b|} $1', { choices: { 1: 1 } }), 'b b');
  assert.equal(expandSnippet('${1:x} $1', { placeholders: { 1: 'typed' } }), 'typed typed');
});

test('escapes produce literal dollar signs, braces and backslashes', () => {
  assert.equal(expandSnippet('\\$5\\$salt \\} \\\\ ${1:a\\}b}'), '$5$salt } \\ a}b');
  // A backslash before any other character stays a backslash, as HAProxy's own escapes need.
  assert.equal(expandSnippet('stats realm Haproxy\\ Statistics'), 'stats realm Haproxy\\ Statistics');
});

test('a lone closing brace outside a placeholder is text', () => {
  assert.equal(expandSnippet('if { ssl_fc }'), 'if { ssl_fc }');
  assert.equal(expandSnippet('deny if { sc_http_req_rate(0) gt ${1:20} }'), 'deny if { sc_http_req_rate(0) gt 20 }');
});

test('malformed constructs fall back to literal text, as in VS Code', () => {
  assert.equal(expandSnippet('cost: $ 5'), 'cost: $ 5');
  assert.equal(expandSnippet('${1:unclosed'), '${1:unclosed');
  assert.equal(expandSnippet('${-x}'), '${-x}');
  assert.equal(expandSnippet('${1|a,b}'), '${1|a,b}');
});

test('known variables expand to their value, else their default, else nothing', () => {
  assert.equal(expandSnippet('name: $TM_FILENAME_BASE', { variables: { TM_FILENAME_BASE: 'web' } }), 'name: web');
  assert.equal(expandSnippet('name: ${TM_FILENAME_BASE:gateway}'), 'name: gateway');
  assert.equal(expandSnippet('[$TM_SELECTED_TEXT]'), '[]');
  assert.equal(expandSnippet('${1:${TM_FILENAME_BASE:svc}}-x'), 'svc-x');
});

test('unknown variables insert their own name, as VS Code does', () => {
  assert.equal(expandSnippet('peer $HOSTNAME'), 'peer HOSTNAME');
  assert.equal(expandSnippet('peer ${HOSTNAME:lb1}'), 'peer lb1');
});

test('transforms are refused instead of being expanded wrongly', () => {
  assert.throws(() => parseSnippet('${1/(.*)/${1:/upcase}/}'), SnippetSyntaxError);
  assert.throws(() => parseSnippet('${TM_FILENAME/[\\.]/_/g}'), SnippetSyntaxError);
});

test('a placeholder nested in itself does not recurse forever', () => {
  assert.equal(expandSnippet('${1:a$1b}'), 'ab');
});

test('bodies given as lines are joined with newlines', () => {
  assert.equal(expandSnippet(['frontend ${1:fe}', '\tbind :80']), 'frontend fe\n\tbind :80');
});

test('indentation follows the editor settings and the cursor line, as VS Code inserts it', () => {
  const body = ['backend ${1:be}', '\tserver a 10.0.0.1:80', '  \tserver b 10.0.0.2:80'];
  assert.equal(
    expandSnippet(body, { indentation: { insertSpaces: true, tabSize: 4 } }),
    'backend be\n    server a 10.0.0.1:80\n    server b 10.0.0.2:80',
  );
  assert.equal(
    expandSnippet(body, { indentation: { insertSpaces: false, tabSize: 4 } }),
    'backend be\n\tserver a 10.0.0.1:80\n\tserver b 10.0.0.2:80',
  );
  assert.equal(
    expandSnippet(['a:', '  b: ${1:x}'], { indentation: { base: '\t', insertSpaces: false, tabSize: 2 } }),
    'a:\n\t\tb: x',
  );
  assert.equal(
    expandSnippet(['a:', '  b: 1'], { indentation: { base: '  ', insertSpaces: true, tabSize: 2 } }),
    'a:\n    b: 1',
  );
});

test('tab stops and choices are listed', () => {
  assert.deepEqual(tabstopsOf('$0 ${2|a,b|} ${1:x ${3}}'), [0, 1, 2, 3]);
  assert.deepEqual([...choicesOf('${2|a,b|} ${1|c,d|} $2').keys()], [2, 1]);
});

test('loadSnippetFile rejects entries without prefix, body or description', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'snippet-file-'));
  try {
    const file = path.join(dir, 's.json');
    fs.writeFileSync(file, JSON.stringify({ ok: { prefix: ['a', 'b'], body: ['x'], description: 'd' } }));
    assert.deepEqual(prefixesOf(loadSnippetFile(file).ok), ['a', 'b']);
    fs.writeFileSync(file, JSON.stringify({ bad: { prefix: 'a', body: 'x' } }));
    assert.throws(() => loadSnippetFile(file), /"bad" lacks a valid description/);
    fs.writeFileSync(file, JSON.stringify({ bad: { prefix: [], body: [], description: 'd' } }));
    assert.throws(() => loadSnippetFile(file), /lacks a valid prefix, body/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
