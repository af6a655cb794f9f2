// Conversions between the core's plain positions and VS Code's classes.

import * as vscode from 'vscode';
import type { ConfigDiagnostic, Severity } from '../core/analysis/types';

export const LANGUAGE_ID = 'haproxy';
export const SELECTOR: vscode.DocumentSelector = { language: LANGUAGE_ID };

export function range(line: number, start: number, end: number, endLine = line): vscode.Range {
  return new vscode.Range(line, start, endLine, end);
}

const SEVERITY: Readonly<Record<Severity, vscode.DiagnosticSeverity>> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  information: vscode.DiagnosticSeverity.Information,
  hint: vscode.DiagnosticSeverity.Hint,
};

export function toDiagnostic(
  d: Omit<ConfigDiagnostic, 'code'> & { code: string },
  uri: vscode.Uri,
  source: string,
): vscode.Diagnostic {
  const diag = new vscode.Diagnostic(range(d.line, d.start, d.end), d.message, SEVERITY[d.severity]);
  diag.source = source;
  diag.code = d.code;
  if (d.tags?.length) {
    diag.tags = d.tags.map((t) =>
      t === 'unnecessary' ? vscode.DiagnosticTag.Unnecessary : vscode.DiagnosticTag.Deprecated,
    );
  }
  if (d.related?.length) {
    diag.relatedInformation = d.related.map(
      (r) =>
        new vscode.DiagnosticRelatedInformation(new vscode.Location(uri, range(r.line, r.start, r.end)), r.message),
    );
  }
  return diag;
}
