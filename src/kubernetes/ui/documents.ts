// Kubernetes objects in editors: a read-only view (YAML or describe output) through a content
// provider, and an editable copy through a small file system whose save applies the edit to the
// cluster (as a merge patch guarded by the resourceVersion that was read).
import * as vscode from 'vscode';
import type { KubernetesService } from '../core/service';
import type { KubeObject, ObjectRef } from '../core/types';
import { objectToYaml } from '../core/actions';

export const VIEW_SCHEME = 'haproxygw-k8s';
export const EDIT_SCHEME = 'haproxygw-k8s-edit';

/** `scheme:/context/Kind/namespace/name.yaml` (namespace `_` for cluster-scoped objects). */
export function resourceUri(
  scheme: string,
  context: string,
  ref: ObjectRef,
  mode: 'yaml' | 'describe' = 'yaml',
): vscode.Uri {
  const parts = [
    context,
    ref.kind,
    ref.namespace ?? '_',
    `${ref.name}${mode === 'describe' ? '.describe.txt' : '.yaml'}`,
  ].map(encodeURIComponent);
  return vscode.Uri.from({ scheme, path: `/${parts.join('/')}` });
}

export function parseResourceUri(uri: vscode.Uri): { context: string; ref: ObjectRef; mode: 'yaml' | 'describe' } {
  const [context, kind, namespace, file] = uri.path.split('/').slice(1).map(decodeURIComponent);
  if (!context || !kind || !namespace || !file) throw vscode.FileSystemError.FileNotFound(uri);
  const mode = file.endsWith('.describe.txt') ? 'describe' : 'yaml';
  const name = file.replace(/\.describe\.txt$|\.yaml$/, '');
  return { context, ref: { kind, name, namespace: namespace === '_' ? undefined : namespace }, mode };
}

async function actionsFor(service: KubernetesService, context: string) {
  const session = await service.session();
  if (session.contextName !== context)
    throw new Error(
      vscode.l10n.t(
        'This document belongs to context "{0}", but the browser now shows "{1}". Switch back to read or apply it.',
        context,
        session.contextName,
      ),
    );
  return session.actions;
}

export class ReadOnlyDocuments implements vscode.TextDocumentContentProvider {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  constructor(private readonly service: KubernetesService) {}

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const { context, ref, mode } = parseResourceUri(uri);
    const actions = await actionsFor(this.service, context);
    return mode === 'describe' ? actions.describe(ref) : (await actions.getYaml(ref)).yaml;
  }

  refresh(uri: vscode.Uri): void {
    this.changed.fire(uri);
  }

  dispose(): void {
    this.changed.dispose();
  }
}

/** Editable YAML: reading fetches the object, writing applies the edit and reloads the result. */
export class EditableDocuments implements vscode.FileSystemProvider {
  private readonly emitter = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  readonly onDidChangeFile = this.emitter.event;
  private readonly originals = new Map<string, { object: KubeObject; text: string; mtime: number }>();

  constructor(
    private readonly service: KubernetesService,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  watch(): vscode.Disposable {
    return new vscode.Disposable(() => undefined);
  }

  async stat(uri: vscode.Uri): Promise<vscode.FileStat> {
    const entry = this.originals.get(uri.toString()) ?? (await this.fetch(uri));
    return { type: vscode.FileType.File, ctime: entry.mtime, mtime: entry.mtime, size: Buffer.byteLength(entry.text) };
  }

  async readFile(uri: vscode.Uri): Promise<Uint8Array> {
    return Buffer.from((await this.fetch(uri)).text, 'utf8');
  }

  private async fetch(uri: vscode.Uri): Promise<{ object: KubeObject; text: string; mtime: number }> {
    const { context, ref } = parseResourceUri(uri);
    const { object, yaml } = await (await actionsFor(this.service, context)).getYaml(ref);
    const prior = this.originals.get(uri.toString());
    const entry = { object, text: yaml, mtime: prior && prior.text === yaml ? prior.mtime : Date.now() };
    this.originals.set(uri.toString(), entry);
    return entry;
  }

  async writeFile(uri: vscode.Uri, content: Uint8Array): Promise<void> {
    const { context, ref } = parseResourceUri(uri);
    const actions = await actionsFor(this.service, context);
    const original = this.originals.get(uri.toString())?.object ?? (await this.fetch(uri)).object;
    const result = await actions.applyYaml(original, Buffer.from(content).toString('utf8'));
    if (!result.unchanged) {
      this.log.info(
        `Applied ${ref.kind} ${ref.namespace ? `${ref.namespace}/` : ''}${ref.name} on ` +
          `${context}${result.statusPatched ? ' (and its status)' : ''}`,
      );
    }
    const text = objectToYaml(result.object);
    this.originals.set(uri.toString(), { object: result.object, text, mtime: Date.now() });
    // The editor reloads the applied object (new resourceVersion, server defaults).
    this.emitter.fire([{ type: vscode.FileChangeType.Changed, uri }]);
  }

  forget(uri: vscode.Uri): void {
    this.originals.delete(uri.toString());
  }

  readDirectory(): [string, vscode.FileType][] {
    return [];
  }

  createDirectory(): void {
    throw vscode.FileSystemError.NoPermissions(vscode.l10n.t('Kubernetes objects are not folders'));
  }

  delete(): void {
    throw vscode.FileSystemError.NoPermissions(vscode.l10n.t('Delete Kubernetes objects from the tree'));
  }

  rename(): void {
    throw vscode.FileSystemError.NoPermissions(vscode.l10n.t('Kubernetes objects cannot be renamed'));
  }

  dispose(): void {
    this.emitter.dispose();
  }
}
