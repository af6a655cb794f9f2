// The language settings under `haproxyGateway.*`, read and validated in one place.

import * as vscode from 'vscode';

export interface LanguageSettings {
  /** haproxy executable; empty: look it up in PATH. */
  readonly haproxyPath: string;
  /** Keyword data version (`2.6`); empty: detect from the haproxy binary, else the newest. */
  readonly keywordVersion: string;
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
  return typeof value === 'number' && Number.isFinite(value) ? Math.min(max, Math.max(min, Math.round(value))) : fallback;
}

function str(value: unknown, fallback = ''): string {
  return typeof value === 'string' ? value.trim() : fallback;
}

function bool(value: unknown, fallback: boolean): boolean {
  return typeof value === 'boolean' ? value : fallback;
}

export function readSettings(scope?: vscode.ConfigurationScope): LanguageSettings {
  const c = vscode.workspace.getConfiguration(SETTING_PREFIX, scope);
  return {
    haproxyPath: str(c.get('haproxy.path')),
    keywordVersion: str(c.get('haproxy.keywordVersion')),
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
