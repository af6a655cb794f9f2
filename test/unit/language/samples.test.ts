import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { findLogFormatSamples, parseCondition, parseSampleExpr } from '../../../src/shared/haproxy-config/samples';
import { tokenizeLine } from '../../../src/shared/haproxy-config/tokenizer';

describe('parseSampleExpr', () => {
  it('reads a fetch, its arguments and converters with offsets', () => {
    const text = 'req.hdr(host,1),lower,map(/etc/hosts.map,default)';
    const e = parseSampleExpr(text);
    assert.equal(e.error, undefined);
    assert.equal(e.fetch.name, 'req.hdr');
    assert.deepEqual(
      e.fetch.args.map((a) => a.text),
      ['host', '1'],
    );
    assert.deepEqual(
      e.converters.map((c) => c.name),
      ['lower', 'map'],
    );
    const map = e.converters[1];
    assert.equal(text.slice(map.args[0].start, map.args[0].end), '/etc/hosts.map');
  });

  it('reports unclosed argument lists and stray characters', () => {
    assert.match(parseSampleExpr('req.hdr(host').error!.message, /missing closing '\)'/);
    assert.match(parseSampleExpr('hdr(arg),ipmask(2))').error!.message, /unexpected character '\)'/);
    assert.match(parseSampleExpr('').error!.message, /missing fetch method/);
    assert.match(parseSampleExpr('src,').error!.message, /missing converter name/);
  });

  it('keeps quoted commas and parentheses inside an argument', () => {
    const e = parseSampleExpr('regsub("a,b",x)');
    assert.deepEqual(e.converters, []);
    assert.deepEqual(
      e.fetch.args.map((a) => a.text),
      ['"a,b"', 'x'],
    );
  });
});

describe('findLogFormatSamples', () => {
  it('finds %[...] blocks, with flags, and skips %%', () => {
    const text = '%ci %%[no] %{+Q}[src,ipmask(24)] %[req.hdr(host)]';
    const blocks = findLogFormatSamples(text);
    assert.deepEqual(
      blocks.map((b) => b.expr.fetch.name),
      ['src', 'req.hdr'],
    );
    assert.equal(blocks[0].expr.converters[0].name, 'ipmask');
    assert.equal(
      blocks.every((b) => b.closed),
      true,
    );
  });

  it('marks a block without its closing bracket', () => {
    const blocks = findLogFormatSamples('%[req.hdr(host)');
    assert.equal(blocks.length, 1);
    assert.equal(blocks[0].closed, false);
  });
});

describe('parseCondition', () => {
  const cond = (line: string) => {
    const words = tokenizeLine(line).words;
    const at = words.findIndex((w) => w.value === 'if' || w.value === 'unless');
    return parseCondition(words, at);
  };

  it('reads named ACLs, negations and OR operators', () => {
    const c = cond('http-request deny if !a b || !!c or d');
    const named = c.terms.filter((t) => t.kind === 'named');
    assert.deepEqual(
      named.map((t) => [t.name, t.negated]),
      [
        ['a', true],
        ['b', false],
        ['c', false],
        ['d', false],
      ],
    );
    assert.deepEqual(c.problems, []);
  });

  it('reads anonymous ACLs and reports a missing brace', () => {
    const c = cond('use_backend x if { path_beg /api } ! { src 10.0.0.0/8 }');
    const anon = c.terms.filter((t) => t.kind === 'anonymous');
    assert.equal(anon.length, 2);
    assert.equal(anon[0].kind === 'anonymous' && anon[0].words[0].value, 'path_beg');
    assert.equal(anon[1].negated, true);
    assert.match(cond('http-request deny if { path /a }}').problems[0].message, /missing closing '\}'/);
    assert.match(cond('http-request deny if { }').problems[0].message, /missing fetch method/);
    assert.match(cond('http-request deny if').problems[0].message, /missing condition/);
  });

  it('gives the exact range of a negated name', () => {
    const c = cond('http-request deny if !bad');
    const t = c.terms[0];
    assert.equal(t.kind, 'named');
    assert.equal(t.kind === 'named' && 'http-request deny if !bad'.slice(t.start, t.end), 'bad');
  });
});
