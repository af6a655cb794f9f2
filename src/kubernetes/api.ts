// The published surface of the Kubernetes capability: the only file other capabilities import
// from it (enforced by eslint.config.mjs). Values come from the pure core only; editor types are
// imported as types, so a core module of another capability may import this file.
import type * as vscode from 'vscode';
import type { NodeTreeProvider, TreeNode } from '../shell/tree';
import type { KubernetesService } from './core/service';
import type { ObjectRef } from './core/types';

export type { KubernetesService } from './core/service';
export type { KubeObject, ObjectRef } from './core/types';
export type { EndpointView, GatewayView, RouteView, ServiceView } from './core/model';
// The pure model builders, for a reader that lists objects itself (the doctor reads fresh lists).
export { buildGatewayModel, indexServices } from './core/model';
export { ROUTE_KINDS } from './core/kinds';

/**
 * Another capability's contribution to a Service row of the tree (e.g. the VIP feature marks the
 * Services that carry its record). Called on every redraw: keep it cheap and pure.
 */
export type ServiceDecorator = (service: {
  metadata: { name: string; namespace?: string; annotations?: Record<string, string> };
}) => ServiceDecoration | undefined;

export interface ServiceDecoration {
  /** Added to the row's contextValue (true: the flag is present), for package.json `when` clauses. */
  contextFlags?: Record<string, boolean>;
  /** Appended to the row's description. */
  description?: string;
  /** Appended to the row's tooltip (Markdown). */
  tooltip?: string;
}

/** A tree row that stands for one Kubernetes object (what the resource commands act on). */
export interface ResourceTarget {
  readonly ref: ObjectRef;
  readonly context: string;
}

/** What other capabilities (the VIP feature) and the integration tests use. */
export interface KubernetesApi {
  /**
   * Contexts, models, reads and writes (servicesWithEndpoints, patchServiceStatus,
   * patchServiceAnnotations, create...).
   */
  readonly service: KubernetesService;
  /** The tree's data provider (tests read its children). */
  readonly tree: NodeTreeProvider;
  readonly view: vscode.TreeView<TreeNode>;
  /** Re-reads the kubeconfig and redraws. */
  refresh(): void;
  /** The Kubernetes object a tree row stands for, if it stands for one. */
  resourceOf(node: unknown): ResourceTarget | undefined;
  /** Opens an object's YAML (read-only) in the current context, as Open YAML does for a tree row. */
  openYaml(ref: ObjectRef): Promise<void>;
  /** Adds flags, description and tooltip to Service rows; redraws the tree (and again on dispose). */
  decorateServices(decorator: ServiceDecorator): vscode.Disposable;
}
