// The language settings under `haproxyGateway.*`, read and validated in one place.

import * as vscode from 'vscode';

export interface LanguageSettings {
  /** haproxy executable; empty: look it up in PATH. */
  readonly haproxyPath: string;
  /**
   * The HAProxy version documents target (`3.4`), for the folder of `scope`; empty: the Data Plane
   * API server's, else the haproxy executable's, else the newest. `haproxy.keywordVersion` is its old name.
   */
  readonly version: string;
  /** One haproxy executable per version (`{ "3.4": "/opt/haproxy-3.4/sbin/haproxy" }`). */
  readonly paths: Readonly<Record<string, string>>;
  readonly validateOnSave: boolean;
  readonly validateOnType: boolean;
  readonly debounceMs: number;
  readonly timeoutMs: number;
  readonly staticChecks: boolean;
  readonly unusedBackends: boolean;
  readonly alignArguments: boolean;
  readonly localManualPath: string;
}

export const SETTING_PREFIX = 'haproxyGateway';

function clamp(value: unknown, min: number, max: number, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value)
    ? Math.min(max, Math.max(min, Math.round(value)))
    : fallback;
}

function str(value: unknown, fallback = ''): string {
  return typeof value === 'string' ? value.trim() : fallback;
}

function bool(value: unknown, fallback: boolean): boolean {
  return typeof value === 'boolean' ? value : fallback;
}

/** `{ "3.4": "/path" }` with version keys and non-empty string values only. */
function pathsOf(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!value || typeof value !== 'object' || Array.isArray(value)) return out;
  for (const [key, path] of Object.entries(value as Record<string, unknown>)) {
    if (/^\d+\.\d+$/.test(key) && typeof path === 'string' && path.trim()) out[key] = path.trim();
  }
  return out;
}

export function readSettings(scope?: vscode.ConfigurationScope): LanguageSettings {
  const c = vscode.workspace.getConfiguration(SETTING_PREFIX, scope);
  return {
    haproxyPath: str(c.get('haproxy.path')),
    version: str(c.get('haproxy.version')) || str(c.get('haproxy.keywordVersion')),
    paths: pathsOf(c.get('haproxy.paths')),
    validateOnSave: bool(c.get('validation.onSave'), true),
    validateOnType: bool(c.get('validation.onType'), false),
    debounceMs: clamp(c.get('validation.debounceMs'), 0, 10_000, 300),
    timeoutMs: clamp(c.get('validation.timeoutMs'), 500, 120_000, 10_000),
    staticChecks: bool(c.get('validation.staticChecks'), true),
    unusedBackends: bool(c.get('validation.unusedBackends'), true),
    alignArguments: bool(c.get('format.alignArguments'), false),
    localManualPath: str(c.get('hover.localManualPath'), '/usr/share/doc/haproxy-doc/html/configuration.html'),
  };
}

/** True when a configuration change touches one of the language settings. */
export function affectsLanguage(e: vscode.ConfigurationChangeEvent): boolean {
  return ['haproxy', 'validation', 'format', 'hover'].some((s) => e.affectsConfiguration(`${SETTING_PREFIX}.${s}`));
}
