// Adding or editing a connection: a multi-step QuickInput (name, URL, authentication, TLS) on the
// shell's wizard engine, with back navigation and validation at every step. Commands can pass
// every answer as an argument
// instead (tests, automation): then no input is shown and the same validation applies.
import * as vscode from 'vscode';
import { OperationCancelledError, UserFacingError } from '../../shared/errors';
import {
  BACK,
  inputText,
  pickOne,
  runWizard,
  type StepPosition,
  type StepResult,
  type WizardStep,
} from '../../shell/wizard/quickInput';
import { checkName, checkPem, checkUrl, connectionId, type AuthKind, type Connection } from '../core/connection';

export interface ConnectionArgs {
  name: string;
  url: string;
  auth?: AuthKind;
  username?: string;
  password?: string;
  caPem?: string;
  certPem?: string;
  keyPem?: string;
  serverName?: string;
  insecure?: boolean;
}

/** Builds a connection from arguments, validating them as the wizard would. */
export function connectionFromArgs(a: ConnectionArgs, taken: ReadonlySet<string>, id?: string): Connection {
  const problem =
    (typeof a?.name !== 'string' ? 'name is required' : checkName(a.name)) ??
    (typeof a.url !== 'string' ? 'url is required' : checkUrl(a.url)) ??
    (a.auth !== undefined && a.auth !== 'basic' && a.auth !== 'mtls' ? 'auth must be "basic" or "mtls"' : undefined) ??
    ((a.auth ?? 'basic') === 'basic' && !a.username ? 'username is required for basic auth' : undefined) ??
    (a.auth === 'mtls' && (!a.certPem || !a.keyPem) ? 'mutual TLS needs certPem and keyPem' : undefined) ??
    (a.certPem ? checkPem(a.certPem, 'certificate') : undefined) ??
    (a.keyPem ? checkPem(a.keyPem, 'key') : undefined) ??
    (a.caPem ? checkPem(a.caPem, 'certificate') : undefined);
  if (problem) throw new UserFacingError(vscode.l10n.t('Invalid connection: {0}', problem));
  const auth = a.auth ?? 'basic';
  return {
    settings: {
      id: id ?? connectionId(a.name, taken),
      name: a.name.trim(),
      url: a.url.trim(),
      auth,
      username: auth === 'basic' ? a.username : undefined,
      serverName: a.serverName || undefined,
      insecure: a.insecure ? true : undefined,
    },
    secrets: {
      password: auth === 'basic' ? a.password : undefined,
      caPem: a.caPem,
      certPem: auth === 'mtls' ? a.certPem : undefined,
      keyPem: auth === 'mtls' ? a.keyPem : undefined,
    },
  };
}

type State = ConnectionArgs & { caChoice?: 'system' | 'file' | 'insecure' };

const https = (s: State) => s.url.startsWith('https:');

/** The steps: name, URL, authentication, user or certificate, password or key, CA, TLS server name. */
function connectionSteps(initial: Connection | undefined): WizardStep<State>[] {
  const always = () => true;
  return [
    {
      shouldPrompt: always,
      prompt: async (a, at) =>
        set(
          await inputText(at, {
            prompt: vscode.l10n.t('A name for this server'),
            value: a.name,
            placeholder: 'prod load balancer',
            validate: (s) => checkName(s),
          }),
          (v) => (a.name = v.trim()),
        ),
    },
    {
      shouldPrompt: always,
      prompt: async (a, at) =>
        set(
          await inputText<State>(at, {
            prompt: vscode.l10n.t('URL of the Data Plane API (http or https, with its port)'),
            value: a.url,
            placeholder: 'https://lb.example.com:5556',
            validate: (s) => checkUrl(s),
            preview: (url) => ({ url: url.trim() }),
          }),
          (v) => (a.url = v.trim()),
        ),
    },
    { shouldPrompt: always, prompt: askAuth },
    {
      shouldPrompt: always,
      prompt: async (a, at) =>
        a.auth === 'basic'
          ? set(
              await inputText(at, {
                prompt: vscode.l10n.t('User'),
                value: a.username ?? '',
                validate: (s) => (s.trim() ? undefined : vscode.l10n.t('Enter the user name')),
              }),
              (v) => (a.username = v.trim()),
            )
          : set(
              await pemFile(at, vscode.l10n.t('Client certificate (PEM file)'), 'certificate'),
              (v) => (a.certPem = v),
            ),
    },
    {
      shouldPrompt: always,
      prompt: async (a, at) => {
        const stored = initial?.secrets.password;
        return a.auth === 'basic'
          ? set(
              await inputText(at, {
                prompt: stored
                  ? vscode.l10n.t('Password for {0} (leave empty to keep the stored one)', a.username ?? '')
                  : vscode.l10n.t('Password for {0}', a.username ?? ''),
                value: '',
                password: true,
                validate: (s) => (s || stored ? undefined : vscode.l10n.t('Enter the password')),
              }),
              (v) => (a.password = v || stored),
            )
          : set(await pemFile(at, vscode.l10n.t('Client key (PEM file)'), 'key'), (v) => (a.keyPem = v));
      },
    },
    { shouldPrompt: https, prompt: askCa },
    {
      shouldPrompt: (a) => https(a) && !a.insecure,
      prompt: async (a, at) =>
        set(
          await inputText(at, {
            prompt: vscode.l10n.t('TLS server name to verify (empty: the host of the URL)'),
            value: a.serverName ?? '',
            validate: (s) => (/^[A-Za-z0-9.*-]*$/.test(s.trim()) ? undefined : vscode.l10n.t('A DNS name')),
          }),
          (v) => (a.serverName = v.trim() || undefined),
        ),
    },
  ];
}

/** How the server authenticates clients: user and password, or a client certificate. */
async function askAuth(a: State, at: StepPosition<State>): Promise<StepResult> {
  return set(
    await pickOne<State, AuthKind>(at, {
      placeholder: vscode.l10n.t('How does the server authenticate clients?'),
      items: [
        {
          label: vscode.l10n.t('$(account) User and password'),
          description: vscode.l10n.t('basic auth against the userlist'),
          value: 'basic',
          picked: a.auth === 'basic',
        },
        {
          label: vscode.l10n.t('$(lock) Client certificate'),
          description: vscode.l10n.t('mutual TLS'),
          value: 'mtls',
          picked: a.auth === 'mtls',
        },
      ],
    }),
    (v) => (a.auth = v),
  );
}

/** Which CA signs the server certificate (a file is asked for next when that is the answer). */
async function askCa(a: State, at: StepPosition<State>): Promise<StepResult> {
  const v = await pickOne<State, 'system' | 'file' | 'insecure'>(at, {
    placeholder: vscode.l10n.t('Which CA signs the server certificate?'),
    preview: (choice) => ({ insecure: choice === 'insecure' ? true : undefined }),
    items: [
      { label: vscode.l10n.t('$(verified) Trusted system CAs'), value: 'system', picked: !a.caPem && !a.insecure },
      { label: vscode.l10n.t('$(file) A CA certificate file…'), value: 'file', picked: !!a.caPem },
      { label: vscode.l10n.t('$(warning) Do not verify (test servers only)'), value: 'insecure', picked: !!a.insecure },
    ],
  });
  if (v === BACK) return BACK;
  a.insecure = v === 'insecure' ? true : undefined;
  if (v === 'file') {
    const pem = await pemFile(at, 'CA certificate (PEM file)', 'certificate');
    if (pem === BACK) return BACK;
    a.caPem = pem;
  } else a.caPem = undefined;
  return undefined;
}

/** Runs the wizard; `initial` pre-fills it for editing. Throws OperationCancelledError on Escape. */
export async function connectionWizard(taken: ReadonlySet<string>, initial?: Connection): Promise<Connection> {
  const title = initial
    ? vscode.l10n.t('Edit Data Plane Connection "{0}"', initial.settings.name)
    : vscode.l10n.t('Add Data Plane API Connection');
  const state: State = {
    name: initial?.settings.name ?? '',
    url: initial?.settings.url ?? 'https://',
    auth: initial?.settings.auth ?? 'basic',
    username: initial?.settings.username ?? 'admin',
    password: initial?.secrets.password,
    caPem: initial?.secrets.caPem,
    certPem: initial?.secrets.certPem,
    keyPem: initial?.secrets.keyPem,
    serverName: initial?.settings.serverName,
    insecure: initial?.settings.insecure,
  };
  const a = await runWizard(connectionSteps(initial), state, { title: () => title });
  return connectionFromArgs(a, taken, initial?.settings.id);
}

function set<T>(v: T | typeof BACK, apply: (v: T) => void): StepResult {
  if (v === BACK) return BACK;
  apply(v);
  return undefined;
}

async function pemFile(
  at: StepPosition<State>,
  label: string,
  kind: 'certificate' | 'key',
): Promise<string | typeof BACK> {
  const choice = await pickOne<State, 'choose'>(at, {
    placeholder: label,
    items: [{ label: vscode.l10n.t('$(folder-opened) Choose {0}…', label), value: 'choose' }],
  });
  if (choice === BACK) return BACK;
  const uris = await vscode.window.showOpenDialog({
    title: label,
    canSelectMany: false,
    openLabel: 'Use',
    filters: { PEM: ['pem', 'crt', 'cer', 'key'], All: ['*'] },
  });
  if (!uris?.[0]) throw new OperationCancelledError();
  const text = Buffer.from(await vscode.workspace.fs.readFile(uris[0])).toString('utf8');
  const problem = checkPem(text, kind);
  if (problem) throw new UserFacingError(`${uris[0].fsPath}: ${problem}`);
  return text;
}
