// A haproxy.cfg over LARGE_DOCUMENT_CHARS in the real extension host: its first model is parsed in
// time slices and its outline and links are built a few sections at a time (issue 13). The answers
// must be those of a small document: every section, the links down to the last line, hover.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { parseConfig } from '../../../src/shared/haproxy-config/parser';
import { LARGE_DOCUMENT_CHARS } from '../../../src/shared/limits';
import { generateConfig } from '../../support/generate-config';
import { activatedApi } from '../support';

describe('language features: large documents', () => {
  it('answers outline, links, folding, hover and highlights of a document over 1 MiB', async () => {
    await activatedApi();
    const tail =
      'frontend files_fe\n  bind :9999\n  default_backend files\n' +
      'backend files\n  errorfile 503 /etc/haproxy/errors/503.http\n  server s1 10.0.0.1:80\n';
    const text = generateConfig(40000, 11) + tail;
    assert.ok(text.length > LARGE_DOCUMENT_CHARS, 'the document is large');
    const document = await vscode.workspace.openTextDocument({ language: 'haproxy', content: text });
    const errorfileLine = document.lineCount - 3;
    assert.ok(document.lineAt(errorfileLine).text.includes('errorfile'));
    // Asked together, as the editor does on open: they share one parse.
    const [symbols, links, folds] = await Promise.all([
      vscode.commands.executeCommand<vscode.DocumentSymbol[]>('vscode.executeDocumentSymbolProvider', document.uri),
      vscode.commands.executeCommand<vscode.DocumentLink[]>('vscode.executeLinkProvider', document.uri),
      vscode.commands.executeCommand<vscode.FoldingRange[]>('vscode.executeFoldingRangeProvider', document.uri),
    ]);
    const model = parseConfig(text);
    assert.deepEqual(
      symbols.map((s) => s.name),
      model.sections.map((s) => s.name?.value ?? s.kind),
    );
    assert.deepEqual(
      symbols.at(-1)?.children.map((c) => c.name),
      ['s1'],
    );
    const link = links.find((l) => l.range.start.line === errorfileLine);
    assert.ok(link, `a link on the last section's errorfile line (${links.length} links)`);
    assert.ok(folds.length > model.sections.length / 2, `${folds.length} folding ranges`);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
      'vscode.executeHoverProvider',
      document.uri,
      new vscode.Position(errorfileLine, 4),
    );
    const markdown = hovers
      .flatMap((h) => h.contents)
      .map((c) => (typeof c === 'string' ? c : c.value))
      .join('\n');
    assert.match(markdown, /errorfile/);
    // Highlights read every section's names (built in slices first on a large model).
    const useLine = document.lineCount - 5;
    const highlights = await vscode.commands.executeCommand<vscode.DocumentHighlight[]>(
      'vscode.executeDocumentHighlights',
      document.uri,
      new vscode.Position(useLine, document.lineAt(useLine).text.indexOf('files') + 1),
    );
    assert.deepEqual(
      highlights.map((h) => h.range.start.line).sort((a, b) => a - b),
      [useLine, document.lineCount - 4],
    );
  });
});
