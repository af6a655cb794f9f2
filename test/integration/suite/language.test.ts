// haproxy.cfg language features inside the real extension host, through VS Code's own commands:
// diagnostics (ours and haproxy -c), completion, hover, signature help, symbols, folding,
// definition, references, highlights, rename, formatting and quick fixes.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { findInPath } from '../../support/binaries';
import { activatedApi, waitFor, workspaceFolder } from '../support';

const OUR_SOURCE = 'haproxy-gateway';
const HAPROXY_SOURCE = 'haproxy -c';

function fixture(name: string): vscode.Uri {
  return vscode.Uri.file(path.join(workspaceFolder(), 'language', name));
}

async function open(name: string): Promise<vscode.TextDocument> {
  const document = await vscode.workspace.openTextDocument(fixture(name));
  assert.equal(document.languageId, 'haproxy', `${name} opens as haproxy`);
  return document;
}

/** An unsaved haproxy document: tests that edit never touch the fixture files. */
async function scratch(content: string): Promise<vscode.TextDocument> {
  return vscode.workspace.openTextDocument({ language: 'haproxy', content });
}

function label(item: vscode.CompletionItem): string {
  return typeof item.label === 'string' ? item.label : item.label.label;
}

function lineOf(document: vscode.TextDocument, startsWith: string): number {
  for (let i = 0; i < document.lineCount; i++) if (document.lineAt(i).text.trimStart().startsWith(startsWith)) return i;
  throw new Error(`no line starting with '${startsWith}'`);
}

/** The position of the first occurrence of `word` on a line (optionally its n-th occurrence). */
function at(document: vscode.TextDocument, line: number, word: string, offset = 1): vscode.Position {
  const character = document.lineAt(line).text.indexOf(word);
  assert.ok(character >= 0, `'${word}' on line ${line + 1}`);
  return new vscode.Position(line, character + offset);
}

function ours(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === OUR_SOURCE);
}

function code(d: vscode.Diagnostic): string {
  return String(typeof d.code === 'object' ? d.code.value : d.code);
}

function applyEdits(text: string, edits: readonly vscode.TextEdit[], document: vscode.TextDocument): string {
  const sorted = [...edits].sort((a, b) => document.offsetAt(b.range.start) - document.offsetAt(a.range.start));
  let out = text;
  for (const e of sorted)
    out = out.slice(0, document.offsetAt(e.range.start)) + e.newText + out.slice(document.offsetAt(e.range.end));
  return out;
}

describe('language features', () => {
  before(async () => {
    await activatedApi();
    const commands = await vscode.commands.getCommands(true);
    assert.ok(
      commands.includes('haproxyGateway.validateWithHaproxy'),
      'haproxyGateway.validateWithHaproxy is not registered: ' +
        'src/extension.ts must call registerLanguageFeatures({ context, log, commands })',
    );
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  describe('diagnostics', () => {
    it('reports what HAProxy 2.6 rejects, on the right lines, with stable codes', async () => {
      const document = await open('haproxy-errors.cfg');
      const expected = [
        [lineOf(document, 'maxconnn'), 'unknown-keyword'],
        [lineOf(document, 'http-request deny if blocked'), 'undefined-acl'],
        [lineOf(document, 'use_backend missing_backend'), 'undefined-backend'],
        [lineOf(document, 'server web1'), 'invalid-address'],
      ];
      const diagnostics = await waitFor('our diagnostics of haproxy-errors.cfg', () => {
        const d = ours(document.uri);
        return d.length >= expected.length ? d : undefined;
      });
      const got = diagnostics.map((d) => [d.range.start.line, code(d)]).sort();
      assert.deepEqual(got, [...expected].sort());
      const unknown = diagnostics.find((d) => code(d) === 'unknown-keyword')!;
      assert.equal(unknown.severity, vscode.DiagnosticSeverity.Error);
      assert.match(unknown.message, /did you mean 'maxconn'/);
      assert.equal(document.getText(unknown.range), 'maxconnn');
    });

    it('finds nothing to report in a valid configuration', async () => {
      const document = await open('haproxy-features.cfg');
      // Diagnostics are published on open: wait until the document is known, then check it is clean.
      await new Promise((r) => setTimeout(r, 500));
      assert.deepEqual(
        ours(document.uri).map((d) => `${d.range.start.line + 1}: ${d.message}`),
        [],
      );
    });

    it('updates diagnostics after an edit, and marks an unused backend as unnecessary', async () => {
      const document = await scratch(
        'defaults\n  mode http\n  timeout client 1s\n  timeout server 1s\n  timeout connect 1s\n' +
          'frontend f\n  bind :8080\n  default_backend web\n' +
          'backend web\n  server s 127.0.0.1:80\n',
      );
      await vscode.window.showTextDocument(document);
      await new Promise((r) => setTimeout(r, 300));
      assert.deepEqual(ours(document.uri), []);
      const edit = new vscode.WorkspaceEdit();
      edit.insert(
        document.uri,
        new vscode.Position(document.lineCount - 1, 0),
        'backend spare\n  server t 127.0.0.1:81\n  bogus-keyword 1\n',
      );
      assert.ok(await vscode.workspace.applyEdit(edit));
      const diags = await waitFor('diagnostics after the edit', () => {
        const d = ours(document.uri);
        return d.some((x) => code(x) === 'unknown-keyword') && d.some((x) => code(x) === 'unused-backend')
          ? d
          : undefined;
      });
      const unused = diags.find((d) => code(d) === 'unused-backend')!;
      assert.equal(unused.severity, vscode.DiagnosticSeverity.Hint);
      assert.deepEqual(unused.tags, [vscode.DiagnosticTag.Unnecessary]);
      assert.equal(document.getText(unused.range), 'spare');
    });

    it('offers quick fixes: create the missing backend, replace the keyword, suppress with a comment', async () => {
      const document = await open('haproxy-errors.cfg');
      const diags = await waitFor('diagnostics', () =>
        ours(document.uri).length > 0 ? ours(document.uri) : undefined,
      );
      const missing = diags.find((d) => code(d) === 'undefined-backend')!;
      const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
        'vscode.executeCodeActionProvider',
        document.uri,
        missing.range,
        vscode.CodeActionKind.QuickFix.value,
      );
      const titles = actions.map((a) => a.title);
      assert.ok(titles.includes("Create backend 'missing_backend'"), titles.join(' | '));
      assert.ok(titles.includes("Suppress 'undefined-backend' on this line"), titles.join(' | '));
      const create = actions.find((a) => a.title === "Create backend 'missing_backend'")!;
      const edits = create.edit!.get(document.uri);
      assert.equal(edits.length, 1);
      assert.match(edits[0].newText, /^\n\nbackend missing_backend$/);

      const unknown = diags.find((d) => code(d) === 'unknown-keyword')!;
      const fixes = await vscode.commands.executeCommand<vscode.CodeAction[]>(
        'vscode.executeCodeActionProvider',
        document.uri,
        unknown.range,
        vscode.CodeActionKind.QuickFix.value,
      );
      const replace = fixes.find((a) => a.title === "Replace with 'maxconn'")!;
      assert.ok(replace, fixes.map((a) => a.title).join(' | '));
      assert.equal(replace.edit!.get(document.uri)[0].newText, 'maxconn');
      const suppress = fixes.find((a) => a.title === "Suppress 'unknown-keyword' on this line")!;
      assert.equal(
        suppress.edit!.get(document.uri)[0].newText,
        '    # haproxy-gateway-disable-next-line unknown-keyword\n',
      );
    });

    it('shows what haproxy -c says, on the lines it names, when haproxy is installed', async function () {
      if (!findInPath('haproxy')) this.skip();
      const document = await open('haproxy-errors.cfg');
      const result = await vscode.commands.executeCommand<{ errors: number; warnings: number; valid: boolean }>(
        'haproxyGateway.validateWithHaproxy',
        document.uri,
      );
      assert.ok(result, 'the command returns a summary in a trusted workspace');
      assert.equal(result.valid, false);
      const fromHaproxy = await waitFor('haproxy -c diagnostics', () => {
        const d = vscode.languages.getDiagnostics(document.uri).filter((x) => x.source === HAPROXY_SOURCE);
        return d.length >= 2 ? d : undefined;
      });
      const lines = fromHaproxy
        .filter((d) => d.severity === vscode.DiagnosticSeverity.Error)
        .map((d) => d.range.start.line);
      assert.ok(lines.includes(lineOf(document, 'maxconnn')), `haproxy -c errors on lines ${lines.map((l) => l + 1)}`);
      assert.ok(lines.includes(lineOf(document, 'http-request deny if blocked')));
      const valid = await vscode.commands.executeCommand<{ valid: boolean }>(
        'haproxyGateway.validateWithHaproxy',
        fixture('haproxy-features.cfg'),
      );
      assert.equal(valid.valid, true);
    });
  });

  describe('completion, hover and signature help', () => {
    it('completes keywords valid in the section, backends after use_backend, actions after http-request', async () => {
      const document = await scratch(
        'frontend f\n  \n  use_backend \n  http-request \nbackend be_one\nlisten li_two\n',
      );
      // Snippets and words of the document are offered too: keep our items by their kind.
      const items = async (line: number, character: number, kind?: vscode.CompletionItemKind): Promise<string[]> => {
        const list = await vscode.commands.executeCommand<vscode.CompletionList>(
          'vscode.executeCompletionItemProvider',
          document.uri,
          new vscode.Position(line, character),
        );
        return list.items.filter((i) => kind === undefined || i.kind === kind).map(label);
      };
      const keywords = await items(1, 2, vscode.CompletionItemKind.Keyword);
      assert.ok(keywords.includes('bind') && keywords.includes('default_backend'), 'frontend keywords');
      assert.ok(!keywords.includes('server'), 'no backend-only keyword in a frontend');
      const backends = await items(2, 14);
      assert.ok(backends.includes('be_one') && backends.includes('li_two'), backends.slice(0, 20).join(', '));
      const actions = await items(3, 15);
      assert.ok(actions.includes('set-header') && actions.includes('redirect'), 'http-request actions');
    });

    it('completes converters inside %[...] and shows the signature of a fetch', async () => {
      const document = await scratch('frontend f\n  http-request set-header X %[req.hdr(host),lo]\n');
      const list = await vscode.commands.executeCommand<vscode.CompletionList>(
        'vscode.executeCompletionItemProvider',
        document.uri,
        new vscode.Position(1, 45),
      );
      const lower = list.items.find((i) => label(i) === 'lower');
      assert.ok(lower, 'the lower converter is offered');
      assert.equal(lower.kind, vscode.CompletionItemKind.Method);
      const help = await vscode.commands.executeCommand<vscode.SignatureHelp>(
        'vscode.executeSignatureHelpProvider',
        document.uri,
        new vscode.Position(1, 39),
      );
      assert.ok(help && help.signatures.length === 1, 'signature help inside req.hdr(...)');
      assert.match(help.signatures[0].label, /^req\.hdr\(\[name: string\], \[occ: integer\]\)/);
    });

    it('explains a keyword with a link to the manual, and a backend with its servers', async () => {
      const document = await open('haproxy-features.cfg');
      const balance = lineOf(document, 'balance');
      const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
        'vscode.executeHoverProvider',
        document.uri,
        at(document, balance, 'balance'),
      );
      const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
      assert.match(text, /\*\*balance\*\*/);
      assert.match(text, /https:\/\/docs\.haproxy\.org\/\d+\.\d+\/configuration\.html#4\.2-balance/);
      const ref = lineOf(document, 'default_backend web');
      const backend = await vscode.commands.executeCommand<vscode.Hover[]>(
        'vscode.executeHoverProvider',
        document.uri,
        at(document, ref, 'web'),
      );
      const md = backend.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
      assert.match(md, /web1/);
      assert.match(md, /127\.0\.0\.1:9002/);
    });
  });

  describe('structure and navigation', () => {
    it('gives a symbol hierarchy: sections, then binds, servers and ACLs', async () => {
      const document = await open('haproxy-features.cfg');
      const symbols = await vscode.commands.executeCommand<vscode.DocumentSymbol[]>(
        'vscode.executeDocumentSymbolProvider',
        document.uri,
      );
      assert.deepEqual(
        symbols.map((s) => s.name),
        ['global', 'defaults', 'www', 'web', 'api'],
      );
      const www = symbols[2];
      assert.equal(www.kind, vscode.SymbolKind.Interface);
      assert.deepEqual(
        www.children.map((c) => c.name),
        [':8080', 'is_api', '→ api', '→ web'],
      );
      assert.deepEqual(
        symbols[3].children.map((c) => c.name),
        ['web1', 'web2'],
      );
    });

    it('folds sections', async () => {
      const document = await open('haproxy-features.cfg');
      const ranges = await vscode.commands.executeCommand<vscode.FoldingRange[]>(
        'vscode.executeFoldingRangeProvider',
        document.uri,
      );
      const www = lineOf(document, 'frontend www');
      assert.ok(
        ranges.some((r) => r.start === www && r.end === lineOf(document, 'default_backend web')),
        JSON.stringify(ranges),
      );
    });

    it('goes to the definition of a backend and an ACL, and finds references', async () => {
      const document = await open('haproxy-features.cfg');
      const use = lineOf(document, 'use_backend api');
      const defs = await vscode.commands.executeCommand<(vscode.Location | vscode.LocationLink)[]>(
        'vscode.executeDefinitionProvider',
        document.uri,
        at(document, use, 'api'),
      );
      const target = defs.map((d) => ('targetRange' in d ? d.targetRange : d.range))[0];
      assert.equal(target.start.line, lineOf(document, 'backend api'));
      const acl = await vscode.commands.executeCommand<vscode.Location[]>(
        'vscode.executeDefinitionProvider',
        document.uri,
        at(document, use, 'is_api'),
      );
      assert.equal(acl[0].range.start.line, lineOf(document, 'acl is_api'));
      const header = lineOf(document, 'backend web');
      const refs = await vscode.commands.executeCommand<vscode.Location[]>(
        'vscode.executeReferenceProvider',
        document.uri,
        at(document, header, 'web'),
      );
      assert.deepEqual(
        refs.map((r) => r.range.start.line).sort((a, b) => a - b),
        [lineOf(document, 'default_backend web'), header],
      );
      const highlights = await vscode.commands.executeCommand<vscode.DocumentHighlight[]>(
        'vscode.executeDocumentHighlights',
        document.uri,
        at(document, header, 'web'),
      );
      assert.equal(highlights.length, 2);
    });

    it('links the files a configuration names', async () => {
      const document = await scratch(
        'global\n    crt-base /etc/ssl/private\n    lua-load /etc/haproxy/hello.lua\n' +
          'frontend f\n    bind :443 ssl crt site.pem\n',
      );
      const links = await vscode.commands.executeCommand<vscode.DocumentLink[]>(
        'vscode.executeLinkProvider',
        document.uri,
      );
      assert.deepEqual(
        links.map((l) => [l.range.start.line, l.target?.path]),
        [
          [2, '/etc/haproxy/hello.lua'],
          [4, '/etc/ssl/private/site.pem'],
        ],
      );
    });

    it('renames a backend with its references, and refuses a predefined ACL', async () => {
      const document = await open('haproxy-features.cfg');
      const header = lineOf(document, 'backend web');
      const edit = await vscode.commands.executeCommand<vscode.WorkspaceEdit>(
        'vscode.executeDocumentRenameProvider',
        document.uri,
        at(document, header, 'web'),
        'website',
      );
      const edits = edit.get(document.uri);
      assert.deepEqual(
        edits.map((e) => [e.range.start.line, e.newText]).sort(),
        [
          [header, 'website'],
          [lineOf(document, 'default_backend web'), 'website'],
        ].sort(),
      );
      const scratchDoc = await scratch('frontend f\n  http-request deny if TRUE\n');
      await assert.rejects(
        Promise.resolve(
          vscode.commands.executeCommand(
            'vscode.executeDocumentRenameProvider',
            scratchDoc.uri,
            new vscode.Position(1, 24),
            'X',
          ),
        ),
        /predefined ACL/,
      );
    });
  });

  describe('formatting', () => {
    it('indents directives and keeps comments, words and quoted spaces', async () => {
      const text =
        'global\nmaxconn   10   # limit\n# about b\n' +
        '   backend  b\n server s1 1.2.3.4:80   check\n http-request set-header X "a  b"\n';
      const document = await scratch(text);
      const edits = await vscode.commands.executeCommand<vscode.TextEdit[]>(
        'vscode.executeFormatDocumentProvider',
        document.uri,
        { insertSpaces: true, tabSize: 4 },
      );
      assert.equal(
        applyEdits(text, edits, document),
        'global\n    maxconn 10   # limit\n# about b\n' +
          'backend b\n    server s1 1.2.3.4:80 check\n    http-request set-header X "a  b"\n',
      );
    });
  });
});
