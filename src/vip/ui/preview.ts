// Read-only documents for the VIP preview: the live haproxy.cfg of a server and the same with the
// planned sections, shown side by side in a diff editor before anything is written.
import * as vscode from 'vscode';

export const PREVIEW_SCHEME = 'haproxy-vip-preview';

export class PreviewDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly texts = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private sequence = 0;

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.toString()) ?? '';
  }

  /** A fresh pair of URIs (each preview its own, so an older diff is never rewritten under the user). */
  pair(connectionId: string, fileName = 'haproxy.cfg'): { before: vscode.Uri; after: vscode.Uri } {
    const id = ++this.sequence;
    return {
      before: vscode.Uri.from({ scheme: PREVIEW_SCHEME, path: `/${id}/${connectionId}/live/${fileName}` }),
      after: vscode.Uri.from({ scheme: PREVIEW_SCHEME, path: `/${id}/${connectionId}/planned/${fileName}` }),
    };
  }

  single(name: string): vscode.Uri {
    return vscode.Uri.from({ scheme: PREVIEW_SCHEME, path: `/${++this.sequence}/${name}` });
  }

  set(uri: vscode.Uri, text: string): void {
    this.texts.set(uri.toString(), text);
    this.changed.fire(uri);
  }

  /** Drops the text of documents that were closed. */
  forget(uri: vscode.Uri): void {
    this.texts.delete(uri.toString());
  }

  dispose(): void {
    this.changed.dispose();
    this.texts.clear();
  }
}
