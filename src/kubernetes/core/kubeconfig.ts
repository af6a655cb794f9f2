// kubeconfig files found and merged as kubectl does, read with @kubernetes/client-node. The
// extension's own context choice never rewrites them; only an explicit "also make it kubectl's
// current context" writes `current-context`, in the file kubectl itself would write.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type * as k8s from '@kubernetes/client-node';
import { clientNode } from './clientNode';
import { parseDocument, stringify } from 'yaml';
import { yamlErrorPosition } from '../../shared/yamlErrors';
import { UserFacingError } from '../../shared/errors';

export interface KubeconfigLocation {
  /** Files in precedence order (the first to define a name or current-context wins). */
  files: string[];
  source: 'setting' | 'KUBECONFIG' | 'default';
}

/** A path from the setting wins; else `KUBECONFIG` (several files, platform separator); else ~/.kube/config. */
export function locateKubeconfig(
  setting: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
  home = os.homedir(),
): KubeconfigLocation {
  const expand = (p: string): string => (p.startsWith('~') ? path.join(home, p.slice(1)) : p);
  if (setting && setting.trim() !== '') return { files: [path.resolve(expand(setting.trim()))], source: 'setting' };
  const list = (env.KUBECONFIG ?? '')
    .split(path.delimiter)
    .map((p) => p.trim())
    .filter((p) => p !== '');
  if (list.length > 0) return { files: [...new Set(list.map((p) => path.resolve(expand(p))))], source: 'KUBECONFIG' };
  return { files: [path.join(home, '.kube', 'config')], source: 'default' };
}

export interface ContextInfo {
  name: string;
  cluster: string;
  user: string;
  namespace?: string;
  server?: string;
  /** kubectl's current-context. */
  isKubectlCurrent: boolean;
}

export class Kubeconfig {
  private constructor(
    readonly location: KubeconfigLocation,
    /** Files that exist and were read. */
    readonly loadedFiles: string[],
    private readonly clusters: k8s.Cluster[],
    private readonly users: k8s.User[],
    private readonly contextList: k8s.Context[],
    readonly kubectlCurrentContext: string | undefined,
  ) {}

  /** Reads and merges the files; missing files are skipped as kubectl does, broken ones reported. */
  static load(location: KubeconfigLocation): Kubeconfig {
    const clusters = new Map<string, k8s.Cluster>();
    const users = new Map<string, k8s.User>();
    const contexts = new Map<string, k8s.Context>();
    let current: string | undefined;
    const loaded: string[] = [];
    for (const file of location.files) {
      if (!fs.existsSync(file)) continue;
      const text = fs.readFileSync(file, 'utf8');
      loaded.push(file);
      if (text.trim() === '') continue;
      const kc = new (clientNode().KubeConfig)();
      try {
        kc.loadFromString(text);
        kc.makePathsAbsolute(path.dirname(file));
      } catch (err) {
        throw new UserFacingError(
          `Cannot read the kubeconfig ${file}: ${err instanceof Error ? err.message : String(err)}`,
        );
      }
      for (const c of kc.getClusters()) if (!clusters.has(c.name)) clusters.set(c.name, c);
      for (const u of kc.getUsers()) if (!users.has(u.name)) users.set(u.name, u);
      for (const c of kc.getContexts()) if (!contexts.has(c.name)) contexts.set(c.name, c);
      const fileCurrent = kc.getCurrentContext();
      if (!current && fileCurrent) current = fileCurrent;
    }
    return new Kubeconfig(
      location,
      loaded,
      [...clusters.values()],
      [...users.values()],
      [...contexts.values()],
      current,
    );
  }

  contexts(): ContextInfo[] {
    return this.contextList.map((c) => ({
      name: c.name,
      cluster: c.cluster,
      user: c.user,
      namespace: c.namespace,
      server: this.clusters.find((x) => x.name === c.cluster)?.server,
      isKubectlCurrent: c.name === this.kubectlCurrentContext,
    }));
  }

  hasContext(name: string): boolean {
    return this.contextList.some((c) => c.name === name);
  }

  /** A client-node KubeConfig for one context, independent of kubectl's current-context. */
  forContext(name: string): k8s.KubeConfig {
    const ctx = this.contextList.find((c) => c.name === name);
    if (!ctx) throw new UserFacingError(`The kubeconfig has no context "${name}".`);
    if (!this.clusters.some((c) => c.name === ctx.cluster))
      throw new UserFacingError(
        `Context "${name}" refers to cluster "${ctx.cluster}", which the kubeconfig does not define.`,
      );
    if (!this.users.some((u) => u.name === ctx.user))
      throw new UserFacingError(
        `Context "${name}" refers to user "${ctx.user}", which the kubeconfig does not define.`,
      );
    const kc = new (clientNode().KubeConfig)();
    kc.loadFromOptions({
      clusters: this.clusters,
      users: this.users,
      contexts: this.contextList,
      currentContext: name,
    });
    return kc;
  }
}

/**
 * The file kubectl writes `current-context` to (clientcmd's GetDefaultFilename): the explicit file;
 * else the only KUBECONFIG file, or the first that exists, or the last; else ~/.kube/config.
 */
export function kubectlWriteTarget(location: KubeconfigLocation): string {
  const files = location.files;
  if (location.source !== 'KUBECONFIG' || files.length === 1) return files[0];
  return files.find((f) => fs.existsSync(f)) ?? files[files.length - 1];
}

/** Sets kubectl's current-context, changing only that line (comments and layout are kept). */
export function setKubectlCurrentContext(location: KubeconfigLocation, name: string): string {
  const target = kubectlWriteTarget(location);
  const text = fs.existsSync(target) ? fs.readFileSync(target, 'utf8') : 'apiVersion: v1\nkind: Config\n';
  const doc = parseDocument(text);
  if (doc.errors.length > 0)
    throw new UserFacingError(
      `Cannot update ${target}: it is not valid YAML (error at ${yamlErrorPosition(doc.errors[0])}).`,
    );
  const line = `current-context: ${stringify(name).trim()}`;
  const next = /^current-context:.*$/m.test(text)
    ? text.replace(/^current-context:.*$/m, line)
    : `${text}${text.endsWith('\n') || text === '' ? '' : '\n'}${line}\n`;
  if (parseDocument(next).get('current-context') !== name)
    throw new UserFacingError(`Cannot update current-context in ${target}: its layout is not the usual one.`);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const mode = fs.existsSync(target) ? fs.statSync(target).mode & 0o777 : 0o600;
  fs.writeFileSync(target, next, { mode });
  return target;
}
