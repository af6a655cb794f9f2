import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { tokenizeLine } from '../../../src/shared/haproxy-config/tokenizer';

const values = (line: string): string[] => tokenizeLine(line).words.map((w) => w.value);

describe('tokenizeLine', () => {
  it('splits on spaces and tabs and keeps exact ranges', () => {
    const t = tokenizeLine('  bind\t:80  ssl crt /a.pem');
    assert.deepEqual(
      t.words.map((w) => [w.raw, w.start, w.end]),
      [
        ['bind', 2, 6],
        [':80', 7, 10],
        ['ssl', 12, 15],
        ['crt', 16, 19],
        ['/a.pem', 20, 26],
      ],
    );
    assert.equal(t.commentStart, -1);
  });

  it('joins an escaped space into one argument, as `stats realm Haproxy\\ Statistics`', () => {
    assert.deepEqual(values('stats realm Haproxy\\ Statistics'), ['stats', 'realm', 'Haproxy Statistics']);
    assert.deepEqual(values('log-format %ci\\ %cp'), ['log-format', '%ci %cp']);
  });

  it('starts a comment at an unquoted, unescaped #, even glued to a word', () => {
    const t = tokenizeLine('mode http # comment "x"');
    assert.deepEqual(values('mode http # comment "x"'), ['mode', 'http']);
    assert.equal(t.commentStart, 10);
    assert.deepEqual(values('a#b x'), ['a']);
    assert.deepEqual(values('a\\#b x'), ['a#b', 'x']);
    assert.deepEqual(values('"a#b" x'), ['a#b', 'x']);
    assert.deepEqual(values("'a # b' # c"), ['a # b']);
  });

  it('keeps a comment after a quoted string', () => {
    const t = tokenizeLine('http-request set-header X "a b" # why');
    assert.deepEqual(
      t.words.map((w) => w.value),
      ['http-request', 'set-header', 'X', 'a b'],
    );
    assert.equal(t.commentStart, 32);
  });

  it('treats a trailing backslash as a literal character, not a continuation', () => {
    assert.deepEqual(values('http-request deny \\'), ['http-request', 'deny', '\\']);
    assert.deepEqual(values('bind :8080 \\\r'), ['bind', ':8080', '\\']);
  });

  it('joins quoted parts with adjacent text and keeps empty quoted arguments', () => {
    assert.deepEqual(values('foo"bar baz"qux'), ['foobar bazqux']);
    assert.deepEqual(values('""x x'), ['x', 'x']);
    assert.deepEqual(values('set-header X ""'), ['set-header', 'X', '']);
  });

  it('applies the escapes HAProxy knows and leaves the others', () => {
    assert.deepEqual(values('a\\tb\\x41 x'), ['a\tbA', 'x']);
    assert.deepEqual(values('a\\b'), ['a\\b']);
    assert.deepEqual(values('"a\\"b"'), ['a"b']);
    assert.deepEqual(values('\\"a'), ['"a']);
  });

  it('records environment references in double quotes only', () => {
    const dq = tokenizeLine('"${HOME}" "x$USER-y" "${T-5s}"').words;
    assert.deepEqual(
      dq.map((w) => w.envRefs?.map((r) => [r.name, r.defaultValue ?? null])),
      [[['HOME', null]], [['USER', null]], [['T', '5s']]],
    );
    assert.equal(dq[0].value, '${HOME}');
    const sq = tokenizeLine("'$HOME' un$HOME").words;
    assert.equal(sq[0].envRefs, undefined);
    assert.equal(sq[1].envRefs, undefined);
    assert.equal(tokenizeLine('"a\\$HOME"').words[0].value, 'a$HOME');
    assert.equal(tokenizeLine('"a\\$HOME"').words[0].envRefs, undefined);
  });

  it('reports the errors HAProxy reports, at the character it points to', () => {
    assert.deepEqual(pick(tokenizeLine('  set-header X "abc')), ['unmatched-quote', 15]);
    assert.deepEqual(pick(tokenizeLine('  x "${abc"')), ['unmatched-brace', 6]);
    assert.deepEqual(pick(tokenizeLine('  x "\\xZZ"')), ['invalid-hex', 5]);
    assert.deepEqual(pick(tokenizeLine('  "foo$1 bar" x')), ['invalid-env-name', 6]);
    assert.deepEqual(pick(tokenizeLine('x' + ' y'.repeat(64))), ['too-many-words', 128]);
    assert.equal(tokenizeLine('x' + ' y'.repeat(63)).error, undefined);
  });

  it('handles CRLF and empty lines', () => {
    assert.deepEqual(values('mode http\r'), ['mode', 'http']);
    assert.deepEqual(tokenizeLine('').words, []);
    assert.deepEqual(tokenizeLine('   \t\r').words, []);
    assert.equal(tokenizeLine('   # only').commentStart, 3);
  });
});

function pick(t: ReturnType<typeof tokenizeLine>): [string, number] | undefined {
  return t.error ? [t.error.kind, t.error.start] : undefined;
}
