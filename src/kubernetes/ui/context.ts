// What every Kubernetes command handler receives: the services the capability builds once.
import type * as vscode from 'vscode';
import type { NodeTreeProvider, TreeNode } from '../../shell/tree';
import type { ImportSecretArgs } from '../../dataplane/api';
import type { KubernetesService } from '../core/service';
import type { EditableDocuments, ReadOnlyDocuments } from './documents';

export const VIEW_ID = 'haproxyGateway.kubernetes';
export const STATE_CONTEXT = 'haproxyGateway.kubernetes.context';
export const STATE_NAMESPACES = 'haproxyGateway.kubernetes.namespaces';

export interface KubernetesContext {
  readonly log: vscode.LogOutputChannel;
  readonly service: KubernetesService;
  readonly tree: NodeTreeProvider;
  readonly view: vscode.TreeView<TreeNode>;
  readonly readOnly: ReadOnlyDocuments;
  readonly editable: EditableDocuments;
  /** Where the chosen context and namespace filter are kept. */
  readonly workspaceState: vscode.Memento;
  /** The Data Plane API capability's import (the two meet only through its API). */
  importDataplaneSecret(args: ImportSecretArgs): Promise<string[]>;
  /** Re-reads the kubeconfig and redraws. */
  refresh(): void;
}
