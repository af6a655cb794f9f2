// Diagnostics as plain data: a stable code (for suppression comments and quick fixes), a severity,
// a message, and a one-line range.

export type Severity = 'error' | 'warning' | 'information' | 'hint';

export type DiagnosticCode =
  | 'unmatched-quote'
  | 'unmatched-brace'
  | 'invalid-hex'
  | 'invalid-env-name'
  | 'too-many-words'
  | 'missing-final-newline'
  | 'conditional-syntax'
  | 'invalid-condition'
  | 'out-of-section'
  | 'invalid-section-header'
  | 'missing-name'
  | 'invalid-name'
  | 'duplicate-section'
  | 'undefined-defaults'
  | 'ambiguous-defaults'
  | 'section-rejected'
  | 'unknown-keyword'
  | 'keyword-not-allowed'
  | 'removed-keyword'
  | 'newer-keyword'
  | 'deprecated-keyword'
  | 'unsupported-modifier'
  | 'unknown-option'
  | 'unknown-action'
  | 'missing-argument'
  | 'invalid-value'
  | 'unknown-bind-option'
  | 'unknown-server-option'
  | 'invalid-address'
  | 'unknown-fetch'
  | 'unknown-converter'
  | 'invalid-sample'
  | 'invalid-variable-name'
  | 'undefined-acl'
  | 'undefined-backend'
  | 'undefined-frontend'
  | 'undefined-server'
  | 'undefined-table'
  | 'undefined-userlist'
  | 'undefined-resolvers'
  | 'undefined-peers'
  | 'undefined-cache'
  | 'undefined-http-errors'
  | 'undefined-mailers'
  | 'undefined-fcgi-app'
  | 'undefined-ring'
  | 'duplicate-server'
  | 'duplicate-setting'
  | 'missing-bind'
  | 'missing-timeouts'
  | 'requires-http-mode'
  | 'ignored-in-section'
  | 'incomplete-section'
  | 'feature-not-built'
  | 'unused-backend';

export type QuickFixData =
  | { readonly kind: 'create-section'; readonly sectionKind: string; readonly name: string }
  | { readonly kind: 'replace'; readonly text: string; readonly title: string }
  | { readonly kind: 'insert-final-newline' }
  /** Change the HAProxy version the document targets (a command in the editor). */
  | { readonly kind: 'set-version'; readonly version: string; readonly title: string };

export interface ConfigDiagnostic {
  readonly code: DiagnosticCode;
  readonly severity: Severity;
  readonly message: string;
  readonly line: number;
  readonly start: number;
  readonly end: number;
  readonly tags?: readonly ('unnecessary' | 'deprecated')[];
  readonly fixes?: readonly QuickFixData[];
  /** Where the other half of a duplicate is, for related information. */
  readonly related?: readonly {
    readonly line: number;
    readonly start: number;
    readonly end: number;
    readonly message: string;
  }[];
}

/** A diagnostic without its line, cached with the tokenized line it belongs to. */
export type LineDiagnostic = Omit<ConfigDiagnostic, 'line'>;
