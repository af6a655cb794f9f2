// Which HAProxy version a document targets, and which executable may judge it: pure decisions,
// the editor glue gathers the inputs (settings, the Data Plane API server, `haproxy -v`).

import { compareVersions } from './index';

/** Where the targeted version came from, in the order they are consulted. */
export type VersionSource = 'setting' | 'server' | 'executable' | 'newest';

export interface TargetInputs {
  /** `haproxyGateway.haproxy.version` for the document's folder (`3.4`, `2.8.5`); empty: not set. */
  readonly setting?: string;
  /** The version a Data Plane API server reports for a live configuration (`3.2.4-...`). */
  readonly server?: string;
  /** `haproxy -v` of the executable the workspace may run (trusted workspaces only). */
  readonly executable?: string;
  /** Versions with keyword data (`2.6`, `2.8`, ...), any order. */
  readonly available: readonly string[];
}

export interface TargetVersion {
  /** A version with keyword data (`major.minor`). */
  readonly version: string;
  readonly source: VersionSource;
  /** The version as reported or set, when it differs from `version` (`3.1` -> data of `3.0`). */
  readonly reported?: string;
}

/** `major.minor` of a version string, or undefined when it is not one. */
export function majorMinor(version: string | undefined): string | undefined {
  const m = /^\s*v?(\d+)\.(\d+)/.exec(version ?? '');
  return m ? `${Number(m[1])}.${Number(m[2])}` : undefined;
}

/** The newest version with data that is not newer than `version`; the oldest when all are newer. */
export function closestAvailable(version: string, available: readonly string[]): string | undefined {
  const sorted = [...available].sort(compareVersions);
  if (sorted.length === 0) return undefined;
  const notNewer = sorted.filter((v) => compareVersions(v, version) <= 0);
  return notNewer.length > 0 ? notNewer[notNewer.length - 1] : sorted[0];
}

/** The setting first, then the server's version, then the executable's, else the newest data. */
export function resolveTargetVersion(inputs: TargetInputs): TargetVersion {
  const candidates: [VersionSource, string | undefined][] = [
    ['setting', inputs.setting],
    ['server', inputs.server],
    ['executable', inputs.executable],
  ];
  for (const [source, raw] of candidates) {
    const mm = majorMinor(raw);
    if (!mm) continue;
    const version = closestAvailable(mm, inputs.available);
    if (!version) break;
    return version === mm ? { version, source } : { version, source, reported: mm };
  }
  const newest = [...inputs.available].sort(compareVersions).pop();
  if (!newest) throw new Error('no HAProxy keyword data is bundled');
  return { version: newest, source: 'newest' };
}

export interface ExecutableChoice {
  /** The executable that may judge the document, or undefined when none matches its version. */
  readonly binary?: string;
  /** Why there is none, for the language status item. */
  readonly missing?: string;
}

/**
 * The executable for a targeted version: `haproxyGateway.haproxy.paths[version]`, else the default
 * `haproxy` when its version is the targeted one. Never another version's binary.
 */
export function executableFor(
  version: string,
  paths: Readonly<Record<string, string>>,
  defaultBinary: string,
  defaultVersion: string | undefined,
): ExecutableChoice {
  for (const [key, binary] of Object.entries(paths)) {
    if (majorMinor(key) === version && binary.trim()) return { binary: binary.trim() };
  }
  if (defaultVersion === undefined) return { binary: defaultBinary };
  if (majorMinor(defaultVersion) === version) return { binary: defaultBinary };
  return {
    missing:
      `No HAProxy ${version} executable (${defaultBinary} is ${majorMinor(defaultVersion)}): ` +
      'haproxy -c is off; see haproxyGateway.haproxy.paths.',
  };
}
