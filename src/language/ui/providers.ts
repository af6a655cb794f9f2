// The VS Code language providers: thin adapters from the core features to the editor's types.
// Every provider takes the shared model of the document version from the LanguageService, without
// blocking the extension host: a large document's first model is parsed in time slices, and its
// outline and links are built a few sections at a time (src/shared/slices.ts).

import * as path from 'node:path';
import * as vscode from 'vscode';
import { codeActionsFor } from '../core/features/codeActions';
import { SELECT_VERSION_COMMAND } from './versionStatus';
import { complete, type CompletionKind } from '../core/features/completion';
import { foldingRanges } from '../core/features/folding';
import { formatConfigInSlices } from '../core/features/formatting';
import { hoverAt } from '../core/features/hover';
import { fileLinker, type FileLink } from '../core/features/links';
import { definitionsAt, highlightsAt, prepareRename, referencesAt, renameAt } from '../core/features/navigation';
import { sectionSymbol, type OutlineSymbol } from '../core/features/outline';
import { signatureAt } from '../core/features/signature';
import type { LocalManual } from '../core/localManual';
import type { ConfigModel } from '../../shared/haproxy-config/configModel';
import { isCancellation } from '../../shared/errors';
import { mapInSlices } from '../../shared/slices';
import { abortSignalFor } from '../../shell/cancellation';
import { isLargeModel, type LanguageService } from '../core/service';
import { SymbolIndex } from '../core/analysis/symbolIndex';
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

  /**
   * Runs `f` on the model of the document's current version. A cancelled request (or one whose model
   * was dropped: document closed) ends in a CancellationError, which VS Code drops silently.
   */
  private async withModel<R>(
    d: vscode.TextDocument,
    token: vscode.CancellationToken | undefined,
    f: (model: ConfigModel, signal: AbortSignal) => R | Promise<R>,
    /** `f` reads the symbol tables of every section (see indexed()). */
    allSections = false,
  ): Promise<R> {
    const abort = abortSignalFor(token);
    try {
      const model = await this.service.modelAsync(d.uri.toString(), d.version, () => d.getText(), abort.signal);
      if (allSections) await this.indexed(d, model, abort.signal);
      return await f(model, abort.signal);
    } catch (err) {
      if (isCancellation(err)) throw new vscode.CancellationError();
      throw err;
    } finally {
      abort.dispose();
    }
  }

  /**
   * `fn` on every section of a model, in time slices. A change of the document stops it: the change
   * re-parses the model in place (its sections move), and VS Code asks again for the new version.
   */
  private sliced<R>(
    d: vscode.TextDocument,
    model: ConfigModel,
    fn: (section: ConfigModel['sections'][number]) => R,
    signal: AbortSignal,
  ): Promise<R[]> {
    const version = d.version;
    return mapInSlices(
      model.sections,
      (section) => {
        if (d.version !== version) throw new vscode.CancellationError();
        return fn(section);
      },
      { signal },
    );
  }

  /**
   * A large model's symbol tables (what each section defines and refers to) built in slices, before a
   * feature that reads them all (highlights, references, rename) would build them in one go (a 10 MB
   * file: 100-170 ms). They are kept with the sections, also across edits.
   */
  private async indexed(d: vscode.TextDocument, model: ConfigModel, signal: AbortSignal): Promise<void> {
    if (!isLargeModel(model)) return;
    const index = SymbolIndex.of(model, this.service.keywordsFor(d.uri.toString()));
    await this.sliced(d, model, (s) => index.sectionSymbols(s), signal);
  }

  provideDocumentSymbols(d: vscode.TextDocument, token?: vscode.CancellationToken): Promise<vscode.DocumentSymbol[]> {
    return this.withModel(d, token, (model, signal) =>
      this.sliced(d, model, (s) => toSymbol(sectionSymbol(model, s)), signal),
    );
  }

  provideFoldingRanges(
    d: vscode.TextDocument,
    _context?: vscode.FoldingContext,
    token?: vscode.CancellationToken,
  ): Promise<vscode.FoldingRange[]> {
    return this.withModel(d, token, (model) =>
      foldingRanges(model).map(
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
      ),
    );
  }

  provideHover(
    d: vscode.TextDocument,
    p: vscode.Position,
    token?: vscode.CancellationToken,
  ): Promise<vscode.Hover | undefined> {
    return this.withModel(d, token, (model) => {
      const keywords = this.service.keywordsFor(d.uri.toString());
      const manual = this.manual();
      const heading = manual && manual.version === keywords.version ? (a: string) => manual.heading(a) : undefined;
      const h = hoverAt(model, p.line, p.character, {
        keywords,
        ...(heading ? { localDocHeading: heading } : {}),
      });
      if (!h) return undefined;
      const md = new vscode.MarkdownString(h.markdown);
      md.isTrusted = false;
      return new vscode.Hover(md, range(h.line, h.start, h.end));
    });
  }

  provideCompletionItems(
    d: vscode.TextDocument,
    p: vscode.Position,
    token?: vscode.CancellationToken,
  ): Promise<vscode.CompletionItem[]> {
    return this.withModel(d, token, (model) =>
      complete(model, p.line, p.character, { keywords: this.service.keywordsFor(d.uri.toString()) }).map((e) => {
        const item = new vscode.CompletionItem(e.label, COMPLETION_KINDS[e.kind]);
        item.range = range(p.line, e.start, e.end);
        if (e.detail) item.detail = e.detail;
        if (e.documentation) item.documentation = new vscode.MarkdownString(e.documentation);
        if (e.insertText !== undefined) item.insertText = e.insertText;
        if (e.sortText) item.sortText = e.sortText;
        if (e.deprecated) item.tags = [vscode.CompletionItemTag.Deprecated];
        if (e.retrigger) item.command = { command: 'editor.action.triggerSuggest', title: 'Suggest' };
        return item;
      }),
    );
  }

  provideSignatureHelp(
    d: vscode.TextDocument,
    p: vscode.Position,
    token?: vscode.CancellationToken,
  ): Promise<vscode.SignatureHelp | undefined> {
    return this.withModel(d, token, (model) => {
      const s = signatureAt(model, p.line, p.character, this.service.keywordsFor(d.uri.toString()));
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
    });
  }

  provideDefinition(
    d: vscode.TextDocument,
    p: vscode.Position,
    token?: vscode.CancellationToken,
  ): Promise<vscode.Location[]> {
    return this.withModel(d, token, (model) =>
      definitionsAt(model, p.line, p.character, this.service.keywordsFor(d.uri.toString())).map(
        (l) => new vscode.Location(d.uri, range(l.line, l.start, l.end)),
      ),
    );
  }

  provideReferences(
    d: vscode.TextDocument,
    p: vscode.Position,
    context: vscode.ReferenceContext,
    token?: vscode.CancellationToken,
  ): Promise<vscode.Location[]> {
    return this.withModel(
      d,
      token,
      (model) =>
        referencesAt(
          model,
          p.line,
          p.character,
          context.includeDeclaration,
          this.service.keywordsFor(d.uri.toString()),
        ).map((l) => new vscode.Location(d.uri, range(l.line, l.start, l.end))),
      true,
    );
  }

  provideDocumentHighlights(
    d: vscode.TextDocument,
    p: vscode.Position,
    token?: vscode.CancellationToken,
  ): Promise<vscode.DocumentHighlight[]> {
    return this.withModel(
      d,
      token,
      (model) =>
        highlightsAt(model, p.line, p.character, this.service.keywordsFor(d.uri.toString())).map(
          (h) =>
            new vscode.DocumentHighlight(
              range(h.line, h.start, h.end),
              h.write ? vscode.DocumentHighlightKind.Write : vscode.DocumentHighlightKind.Read,
            ),
        ),
      true,
    );
  }

  prepareRename(
    d: vscode.TextDocument,
    p: vscode.Position,
    token?: vscode.CancellationToken,
  ): Promise<{ range: vscode.Range; placeholder: string }> {
    return this.withModel(
      d,
      token,
      (model) => {
        const r = prepareRename(model, p.line, p.character, this.service.keywordsFor(d.uri.toString()));
        if ('error' in r) throw new Error(r.error);
        return { range: range(r.range.line, r.range.start, r.range.end), placeholder: r.placeholder };
      },
      true,
    );
  }

  provideRenameEdits(
    d: vscode.TextDocument,
    p: vscode.Position,
    newName: string,
    token?: vscode.CancellationToken,
  ): Promise<vscode.WorkspaceEdit> {
    return this.withModel(
      d,
      token,
      (model) => {
        const r = renameAt(model, p.line, p.character, newName, this.service.keywordsFor(d.uri.toString()));
        if ('error' in r) throw new Error(r.error);
        const edit = new vscode.WorkspaceEdit();
        for (const e of r.edits) edit.replace(d.uri, range(e.line, e.start, e.end), e.newText);
        return edit;
      },
      true,
    );
  }

  provideDocumentFormattingEdits(
    d: vscode.TextDocument,
    options: vscode.FormattingOptions,
    token?: vscode.CancellationToken,
  ): Promise<vscode.TextEdit[]> {
    return this.format(d, options, token);
  }

  provideDocumentRangeFormattingEdits(
    d: vscode.TextDocument,
    r: vscode.Range,
    options: vscode.FormattingOptions,
    token?: vscode.CancellationToken,
  ): Promise<vscode.TextEdit[]> {
    return this.format(d, options, token, r.start.line, r.end.line);
  }

  private format(
    d: vscode.TextDocument,
    options: vscode.FormattingOptions,
    token: vscode.CancellationToken | undefined,
    startLine?: number,
    endLine?: number,
  ): Promise<vscode.TextEdit[]> {
    const indent = options.insertSpaces ? ' '.repeat(Math.max(1, options.tabSize)) : '\t';
    const settings = readSettings(d.uri);
    return this.withModel(d, token, async (model, signal) => {
      const edits = await formatConfigInSlices(
        model,
        {
          indent,
          alignArguments: settings.alignArguments,
          ...(startLine !== undefined ? { startLine } : {}),
          ...(endLine !== undefined ? { endLine } : {}),
        },
        { signal },
      );
      return mapInSlices(edits, (e) => vscode.TextEdit.replace(range(e.line, e.start, e.end), e.newText), { signal });
    });
  }

  provideDocumentLinks(d: vscode.TextDocument, token?: vscode.CancellationToken): Promise<vscode.DocumentLink[]> {
    const dir = d.uri.scheme === 'file' ? path.dirname(d.uri.fsPath) : undefined;
    const toLink = (l: FileLink): vscode.DocumentLink[] => {
      // Relative paths only make sense next to a file on disk.
      if (!l.absolute && !dir) return [];
      const link = new vscode.DocumentLink(
        range(l.line, l.start, l.end),
        vscode.Uri.file(l.absolute ? l.path : path.join(dir!, l.path)),
      );
      link.tooltip = vscode.l10n.t('Open file');
      return [link];
    };
    return this.withModel(d, token, async (model, signal) => {
      const linksOf = fileLinker(model, this.service.keywordsFor(d.uri.toString()));
      const perSection = await this.sliced(d, model, (s) => linksOf(s).flatMap(toLink), signal);
      return perSection.flat();
    });
  }

  provideCodeActions(
    d: vscode.TextDocument,
    _range: vscode.Range | vscode.Selection,
    context: vscode.CodeActionContext,
    token?: vscode.CancellationToken,
  ): Promise<vscode.CodeAction[]> | vscode.CodeAction[] {
    const ours = context.diagnostics.filter((x) => x.source === 'haproxy-gateway');
    if (ours.length === 0) return [];
    return this.withModel(d, token, (model) => this.codeActions(d, model, ours));
  }

  private codeActions(d: vscode.TextDocument, model: ConfigModel, ours: vscode.Diagnostic[]): vscode.CodeAction[] {
    const wanted = new Set(
      ours.map(
        (x) =>
          `${x.range.start.line}:${x.range.start.character}:` +
          `${String(typeof x.code === 'object' ? x.code.value : x.code)}`,
      ),
    );
    const core = this.diagnostics.coreDiagnostics(d, model).filter((x) => wanted.has(`${x.line}:${x.start}:${x.code}`));
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
