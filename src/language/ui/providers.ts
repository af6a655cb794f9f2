// The VS Code language providers: thin adapters from the core features to the editor's types.
// Every provider takes the shared model of the document version from the LanguageService.

import * as path from 'node:path';
import * as vscode from 'vscode';
import { codeActionsFor } from '../core/features/codeActions';
import { SELECT_VERSION_COMMAND } from './versionStatus';
import { complete, type CompletionKind } from '../core/features/completion';
import { foldingRanges } from '../core/features/folding';
import { formatConfig } from '../core/features/formatting';
import { hoverAt } from '../core/features/hover';
import { fileLinks } from '../core/features/links';
import { definitionsAt, highlightsAt, prepareRename, referencesAt, renameAt } from '../core/features/navigation';
import { outline, type OutlineSymbol } from '../core/features/outline';
import { signatureAt } from '../core/features/signature';
import type { LocalManual } from '../core/localManual';
import type { ConfigModel } from '../../shared/haproxy-config/configModel';
import type { LanguageService } from '../core/service';
import { range } from './convert';
import type { DiagnosticsController } from './diagnosticsController';
import { readSettings } from './settings';

export class HaproxyProviders
  implements
    vscode.DocumentSymbolProvider,
    vscode.FoldingRangeProvider,
    vscode.HoverProvider,
    vscode.CompletionItemProvider,
    vscode.SignatureHelpProvider,
    vscode.DefinitionProvider,
    vscode.ReferenceProvider,
    vscode.RenameProvider,
    vscode.DocumentHighlightProvider,
    vscode.DocumentFormattingEditProvider,
    vscode.DocumentRangeFormattingEditProvider,
    vscode.CodeActionProvider,
    vscode.DocumentLinkProvider
{
  constructor(
    private readonly service: LanguageService,
    private readonly diagnostics: DiagnosticsController,
    private readonly manual: () => LocalManual | undefined,
  ) {}

  private model(d: vscode.TextDocument): ConfigModel {
    return this.service.model(d.uri.toString(), d.version, () => d.getText());
  }

  provideDocumentSymbols(d: vscode.TextDocument): vscode.DocumentSymbol[] {
    return outline(this.model(d)).map(toSymbol);
  }

  provideFoldingRanges(d: vscode.TextDocument): vscode.FoldingRange[] {
    return foldingRanges(this.model(d)).map(
      (r) =>
        new vscode.FoldingRange(
          r.start,
          r.end,
          r.kind === 'comment'
            ? vscode.FoldingRangeKind.Comment
            : r.kind === 'region'
              ? vscode.FoldingRangeKind.Region
              : undefined,
        ),
    );
  }

  provideHover(d: vscode.TextDocument, p: vscode.Position): vscode.Hover | undefined {
    const keywords = this.service.keywordsFor(d.uri.toString());
    const manual = this.manual();
    const heading = manual && manual.version === keywords.version ? (a: string) => manual.heading(a) : undefined;
    const h = hoverAt(this.model(d), p.line, p.character, {
      keywords,
      ...(heading ? { localDocHeading: heading } : {}),
    });
    if (!h) return undefined;
    const md = new vscode.MarkdownString(h.markdown);
    md.isTrusted = false;
    return new vscode.Hover(md, range(h.line, h.start, h.end));
  }

  provideCompletionItems(d: vscode.TextDocument, p: vscode.Position): vscode.CompletionItem[] {
    return complete(this.model(d), p.line, p.character, { keywords: this.service.keywordsFor(d.uri.toString()) }).map(
      (e) => {
        const item = new vscode.CompletionItem(e.label, COMPLETION_KINDS[e.kind]);
        item.range = range(p.line, e.start, e.end);
        if (e.detail) item.detail = e.detail;
        if (e.documentation) item.documentation = new vscode.MarkdownString(e.documentation);
        if (e.insertText !== undefined) item.insertText = e.insertText;
        if (e.sortText) item.sortText = e.sortText;
        if (e.deprecated) item.tags = [vscode.CompletionItemTag.Deprecated];
        if (e.retrigger) item.command = { command: 'editor.action.triggerSuggest', title: 'Suggest' };
        return item;
      },
    );
  }

  provideSignatureHelp(d: vscode.TextDocument, p: vscode.Position): vscode.SignatureHelp | undefined {
    const s = signatureAt(this.model(d), p.line, p.character, this.service.keywordsFor(d.uri.toString()));
    if (!s) return undefined;
    const info = new vscode.SignatureInformation(
      s.label,
      s.documentation ? new vscode.MarkdownString(s.documentation) : undefined,
    );
    info.parameters = s.parameters.map((x) => new vscode.ParameterInformation(x.label, x.documentation));
    const help = new vscode.SignatureHelp();
    help.signatures = [info];
    help.activeSignature = 0;
    help.activeParameter = s.activeParameter;
    return help;
  }

  provideDefinition(d: vscode.TextDocument, p: vscode.Position): vscode.Location[] {
    return definitionsAt(this.model(d), p.line, p.character, this.service.keywordsFor(d.uri.toString())).map(
      (l) => new vscode.Location(d.uri, range(l.line, l.start, l.end)),
    );
  }

  provideReferences(d: vscode.TextDocument, p: vscode.Position, context: vscode.ReferenceContext): vscode.Location[] {
    return referencesAt(
      this.model(d),
      p.line,
      p.character,
      context.includeDeclaration,
      this.service.keywordsFor(d.uri.toString()),
    ).map((l) => new vscode.Location(d.uri, range(l.line, l.start, l.end)));
  }

  provideDocumentHighlights(d: vscode.TextDocument, p: vscode.Position): vscode.DocumentHighlight[] {
    return highlightsAt(this.model(d), p.line, p.character, this.service.keywordsFor(d.uri.toString())).map(
      (h) =>
        new vscode.DocumentHighlight(
          range(h.line, h.start, h.end),
          h.write ? vscode.DocumentHighlightKind.Write : vscode.DocumentHighlightKind.Read,
        ),
    );
  }

  prepareRename(d: vscode.TextDocument, p: vscode.Position): { range: vscode.Range; placeholder: string } {
    const r = prepareRename(this.model(d), p.line, p.character, this.service.keywordsFor(d.uri.toString()));
    if ('error' in r) throw new Error(r.error);
    return { range: range(r.range.line, r.range.start, r.range.end), placeholder: r.placeholder };
  }

  provideRenameEdits(d: vscode.TextDocument, p: vscode.Position, newName: string): vscode.WorkspaceEdit {
    const r = renameAt(this.model(d), p.line, p.character, newName, this.service.keywordsFor(d.uri.toString()));
    if ('error' in r) throw new Error(r.error);
    const edit = new vscode.WorkspaceEdit();
    for (const e of r.edits) edit.replace(d.uri, range(e.line, e.start, e.end), e.newText);
    return edit;
  }

  provideDocumentFormattingEdits(d: vscode.TextDocument, options: vscode.FormattingOptions): vscode.TextEdit[] {
    return this.format(d, options);
  }

  provideDocumentRangeFormattingEdits(
    d: vscode.TextDocument,
    r: vscode.Range,
    options: vscode.FormattingOptions,
  ): vscode.TextEdit[] {
    return this.format(d, options, r.start.line, r.end.line);
  }

  private format(
    d: vscode.TextDocument,
    options: vscode.FormattingOptions,
    startLine?: number,
    endLine?: number,
  ): vscode.TextEdit[] {
    const indent = options.insertSpaces ? ' '.repeat(Math.max(1, options.tabSize)) : '\t';
    const settings = readSettings(d.uri);
    return formatConfig(this.model(d), {
      indent,
      alignArguments: settings.alignArguments,
      ...(startLine !== undefined ? { startLine } : {}),
      ...(endLine !== undefined ? { endLine } : {}),
    }).map((e) => vscode.TextEdit.replace(range(e.line, e.start, e.end), e.newText));
  }

  provideDocumentLinks(d: vscode.TextDocument): vscode.DocumentLink[] {
    const dir = d.uri.scheme === 'file' ? path.dirname(d.uri.fsPath) : undefined;
    const out: vscode.DocumentLink[] = [];
    for (const l of fileLinks(this.model(d), this.service.keywordsFor(d.uri.toString()))) {
      // Relative paths only make sense next to a file on disk.
      if (!l.absolute && !dir) continue;
      const link = new vscode.DocumentLink(
        range(l.line, l.start, l.end),
        vscode.Uri.file(l.absolute ? l.path : path.join(dir!, l.path)),
      );
      link.tooltip = vscode.l10n.t('Open file');
      out.push(link);
    }
    return out;
  }

  provideCodeActions(
    d: vscode.TextDocument,
    _range: vscode.Range | vscode.Selection,
    context: vscode.CodeActionContext,
  ): vscode.CodeAction[] {
    const ours = context.diagnostics.filter((x) => x.source === 'haproxy-gateway');
    if (ours.length === 0) return [];
    const wanted = new Set(
      ours.map(
        (x) =>
          `${x.range.start.line}:${x.range.start.character}:` +
          `${String(typeof x.code === 'object' ? x.code.value : x.code)}`,
      ),
    );
    const core = this.diagnostics.coreDiagnostics(d).filter((x) => wanted.has(`${x.line}:${x.start}:${x.code}`));
    const model = this.model(d);
    const eol = d.eol === vscode.EndOfLine.CRLF ? '\r\n' : '\n';
    const editorIndent = vscode.workspace.getConfiguration('editor', d.uri);
    const indent = editorIndent.get<boolean>('insertSpaces', true)
      ? ' '.repeat(editorIndent.get<number>('tabSize', 4))
      : '\t';
    return codeActionsFor(model, core, { indent, eol }).map((a) => {
      const action = new vscode.CodeAction(a.title, vscode.CodeActionKind.QuickFix);
      const edit = new vscode.WorkspaceEdit();
      for (const e of a.edits) edit.replace(d.uri, range(e.line, e.start, e.end, e.endLine), e.newText);
      if (a.setVersion !== undefined)
        action.command = { title: a.title, command: SELECT_VERSION_COMMAND, arguments: [d.uri, a.setVersion] };
      else action.edit = edit;
      action.isPreferred = a.preferred === true;
      const match = ours.find(
        (x) => x.range.start.line === a.diagnostic.line && x.range.start.character === a.diagnostic.start,
      );
      if (match) action.diagnostics = [match];
      return action;
    });
  }
}

const COMPLETION_KINDS: Readonly<Record<CompletionKind, vscode.CompletionItemKind>> = {
  section: vscode.CompletionItemKind.Module,
  keyword: vscode.CompletionItemKind.Keyword,
  option: vscode.CompletionItemKind.Property,
  action: vscode.CompletionItemKind.Function,
  fetch: vscode.CompletionItemKind.Function,
  converter: vscode.CompletionItemKind.Method,
  acl: vscode.CompletionItemKind.Variable,
  backend: vscode.CompletionItemKind.Class,
  server: vscode.CompletionItemKind.Field,
  value: vscode.CompletionItemKind.EnumMember,
  parameter: vscode.CompletionItemKind.Property,
  directive: vscode.CompletionItemKind.Keyword,
  reference: vscode.CompletionItemKind.Reference,
};

const SECTION_SYMBOLS: Readonly<Record<string, vscode.SymbolKind>> = {
  global: vscode.SymbolKind.Namespace,
  defaults: vscode.SymbolKind.Namespace,
  frontend: vscode.SymbolKind.Interface,
  backend: vscode.SymbolKind.Class,
  listen: vscode.SymbolKind.Class,
  userlist: vscode.SymbolKind.Struct,
};

const CHILD_SYMBOLS: Readonly<Record<string, vscode.SymbolKind>> = {
  bind: vscode.SymbolKind.Event,
  server: vscode.SymbolKind.Object,
  'server-template': vscode.SymbolKind.Array,
  acl: vscode.SymbolKind.Boolean,
  user: vscode.SymbolKind.Key,
  group: vscode.SymbolKind.Key,
  peer: vscode.SymbolKind.Object,
  nameserver: vscode.SymbolKind.Object,
  mailer: vscode.SymbolKind.Object,
  table: vscode.SymbolKind.Struct,
  'backend-rule': vscode.SymbolKind.Operator,
};

function toSymbol(s: OutlineSymbol): vscode.DocumentSymbol {
  const kind =
    s.kind === 'section'
      ? (SECTION_SYMBOLS[s.sectionKind ?? ''] ?? vscode.SymbolKind.Module)
      : (CHILD_SYMBOLS[s.kind] ?? vscode.SymbolKind.Field);
  const sym = new vscode.DocumentSymbol(
    s.name,
    s.detail,
    kind,
    range(s.range.start.line, s.range.start.character, s.range.end.character, s.range.end.line),
    range(
      s.selectionRange.start.line,
      s.selectionRange.start.character,
      s.selectionRange.end.character,
      s.selectionRange.end.line,
    ),
  );
  sym.children = s.children.map(toSymbol);
  return sym;
}
