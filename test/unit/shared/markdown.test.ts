// Server and cluster text in tooltip Markdown renders as text: no image, no link, no table cell or
// line of its own. Rendered with markdown-it (CommonMark, with GFM tables and bare-URL autolinks),
// the parser vsce also uses; VS Code's renderer follows the same rules for escapes and code spans.
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderReloadState } from '../../../src/dataplane/core/presentation';
import { conditionsMarkdown } from '../../../src/kubernetes/core/tooltips';
import { escapeMarkdown, markdownCode } from '../../../src/shared/markdown';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const MarkdownIt = require('markdown-it') as (options: Record<string, unknown>) => { render(src: string): string };
const md = MarkdownIt({ html: false, linkify: true });
const render = (s: string): string => md.render(s);

const HOSTILE = [
  '![](https://evil.example/pixel.png)',
  '[click](https://evil.example/)',
  'see https://evil.example/x or www.evil.example or ops@evil.example',
  '<img src="https://evil.example/a.png">',
  '&#33;[](https://evil.example/e.png)',
  'a | b | c',
  'line one\n\n![](https://evil.example/second-line.png)',
  '    indented code',
  '$(error) **bold** _it_ `code` # heading',
  '`` ` ``![](https://evil.example/backticks.png)',
];

function assertInert(html: string, where: string): void {
  assert.doesNotMatch(html, /<img|<a |<h\d|<strong|<em|<pre/, `${where} renders markup: ${html}`);
}

describe('escapeMarkdown', () => {
  for (const text of HOSTILE) {
    it(`renders ${JSON.stringify(text)} as text`, () => {
      const html = render(`Message: ${escapeMarkdown(text)}`);
      assertInert(html, 'escaped text');
      assert.doesNotMatch(html, /<code/);
      assert.equal((html.match(/<p>/g) ?? []).length, 1, 'one paragraph');
    });
  }

  it('keeps plain text readable', () => {
    assert.equal(
      render(escapeMarkdown('Accepted: ready (gateway-1.example)')).trim(),
      '<p>Accepted: ready (gateway-1.example)</p>',
    );
  });
});

describe('markdownCode', () => {
  for (const text of HOSTILE) {
    it(`keeps ${JSON.stringify(text)} inside one code span`, () => {
      const html = render(`Address: ${markdownCode(text)} after`);
      assertInert(html, 'code span');
      assert.equal((html.match(/<code>/g) ?? []).length, 1, html);
      assert.match(html, /<\/code> after<\/p>/, html);
    });
  }
});

describe('tooltip builders', () => {
  it('escapes every cell of a conditions table', () => {
    const msg = 'failed ![](https://evil.example/x.png) | extra cell\n\n# heading';
    const html = render(
      `**Gateway** x${conditionsMarkdown([{ type: 'Programmed', status: 'False', reason: '[r](https://evil.example)', message: msg, stale: false }])}`,
    );
    assertInert(html.replace(/<strong>Gateway<\/strong>/, ''), 'conditions table');
    assert.equal((html.match(/<td>/g) ?? []).length, 4, `one row of four cells: ${html}`);
  });

  it('keeps a reload id and a connection name from the server as text', () => {
    const view = renderReloadState({
      kind: 'failed',
      connection: '![](https://evil.example/c.png)',
      reloadId: '`![](https://evil.example/r.png)`',
      at: 0,
      response: 'x',
    });
    const html = render(view.tooltip);
    assert.doesNotMatch(html, /<img|<a /, html);
  });
});
