// What other capabilities may use of the Kubernetes capability (minimal version of the VIP branch;
// the restructuring's full one adds to it). Import this file, never the capability's internals.
import type * as vscode from 'vscode';
import type { KubernetesApi as KubernetesUiApi } from './ui';

export { isResourceNode } from './ui/nodes';
export type { KubeObject, ObjectRef } from './core/types';

/** What a contribution adds to a Service row of the Kubernetes tree. */
export interface ServiceDecoration {
  /** Flags added to the row's contextValue (menus' `when` clauses read them). */
  contextFlags?: Record<string, boolean>;
  description?: string;
  tooltip?: string;
}

/** Called for every Service row; undefined adds nothing. */
export type ServiceDecorator = (service: {
  metadata: { name: string; namespace?: string; annotations?: Record<string, string> };
}) => ServiceDecoration | undefined;

export type KubernetesApi = KubernetesUiApi & {
  /** Adds VIP state (and the like) to Service rows; optional until the tree offers the hook. */
  decorateServices?(decorator: ServiceDecorator): vscode.Disposable;
};
