// Adding or editing a connection: a multi-step QuickInput (name, URL, authentication, TLS) with
// back navigation and validation at every step. Commands can pass every answer as an argument
// instead (tests, automation): then no input is shown and the same validation applies.
import * as vscode from 'vscode';
import { OperationCancelledError, UserFacingError } from '../../shared/errors';
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

const BACK = Symbol('back');
type Step<T> = T | typeof BACK;

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
  if (problem) throw new UserFacingError(`Invalid connection: ${problem}`);
  const auth = a.auth ?? 'basic';
  return {
    settings: { id: id ?? connectionId(a.name, taken), name: a.name.trim(), url: a.url.trim(), auth, username: auth === 'basic' ? a.username : undefined, serverName: a.serverName || undefined, insecure: a.insecure ? true : undefined },
    secrets: { password: auth === 'basic' ? a.password : undefined, caPem: a.caPem, certPem: auth === 'mtls' ? a.certPem : undefined, keyPem: auth === 'mtls' ? a.keyPem : undefined },
  };
}

/** Runs the wizard; `initial` pre-fills it for editing. Throws OperationCancelledError on Escape. */
export async function connectionWizard(taken: ReadonlySet<string>, initial?: Connection): Promise<Connection> {
  const title = initial ? `Edit Data Plane Connection "${initial.settings.name}"` : 'Add Data Plane API Connection';
  const a: ConnectionArgs = {
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
  const steps: Array<() => Promise<Step<void>>> = [
    async () => set(await input({ title, step: 1, prompt: 'A name for this server', value: a.name, placeholder: 'prod load balancer', validate: checkName }), (v) => (a.name = v.trim())),
    async () => set(await input({ title, step: 2, prompt: 'URL of the Data Plane API (http or https, with its port)', value: a.url, placeholder: 'https://lb.example.com:5556', validate: checkUrl }), (v) => (a.url = v.trim())),
    async () =>
      set(
        await pick<AuthKind>({ title, step: 3, placeholder: 'How does the server authenticate clients?', items: [
          { label: '$(account) User and password', description: 'basic auth against the userlist', value: 'basic', picked: a.auth === 'basic' },
          { label: '$(lock) Client certificate', description: 'mutual TLS', value: 'mtls', picked: a.auth === 'mtls' },
        ] }),
        (v) => (a.auth = v),
      ),
    async () =>
      a.auth === 'basic'
        ? set(await input({ title, step: 4, prompt: 'User', value: a.username ?? '', validate: (s) => (s.trim() ? undefined : 'Enter the user name') }), (v) => (a.username = v.trim()))
        : set(await pemFile(title, 4, 'Client certificate (PEM file)', 'certificate'), (v) => (a.certPem = v)),
    async () =>
      a.auth === 'basic'
        ? set(await input({ title, step: 5, prompt: `Password for ${a.username}${initial?.secrets.password ? ' (leave empty to keep the stored one)' : ''}`, value: '', password: true, validate: (s) => (s || initial?.secrets.password ? undefined : 'Enter the password') }), (v) => (a.password = v || initial?.secrets.password))
        : set(await pemFile(title, 5, 'Client key (PEM file)', 'key'), (v) => (a.keyPem = v)),
    async () => {
      if (!a.url.startsWith('https:')) return undefined;
      const v = await pick<'system' | 'file' | 'insecure'>({ title, step: 6, placeholder: 'Which CA signs the server certificate?', items: [
        { label: '$(verified) Trusted system CAs', value: 'system', picked: !a.caPem && !a.insecure },
        { label: '$(file) A CA certificate file…', value: 'file', picked: !!a.caPem },
        { label: '$(warning) Do not verify (test servers only)', value: 'insecure', picked: !!a.insecure },
      ] });
      if (v === BACK) return BACK;
      a.insecure = v === 'insecure' ? true : undefined;
      if (v === 'file') {
        const pem = await pemFile(title, 6, 'CA certificate (PEM file)', 'certificate');
        if (pem === BACK) return BACK;
        a.caPem = pem;
      } else a.caPem = undefined;
      return undefined;
    },
    async () => {
      if (!a.url.startsWith('https:') || a.insecure) return undefined;
      return set(await input({ title, step: 7, prompt: 'TLS server name to verify (empty: the host of the URL)', value: a.serverName ?? '', validate: (s) => (/^[A-Za-z0-9.*-]*$/.test(s.trim()) ? undefined : 'A DNS name') }), (v) => (a.serverName = v.trim() || undefined));
    },
  ];
  for (let i = 0; i < steps.length; ) {
    const r = await steps[i]!();
    i = r === BACK ? Math.max(0, i - 1) : i + 1;
  }
  return connectionFromArgs(a, taken, initial?.settings.id);
}

function set<T>(v: Step<T>, apply: (v: T) => void): Step<void> {
  if (v === BACK) return BACK;
  apply(v);
  return undefined;
}

const TOTAL = 7;

function input(o: { title: string; step: number; prompt: string; value: string; placeholder?: string; password?: boolean; validate: (s: string) => string | undefined }): Promise<Step<string>> {
  return new Promise((resolve, reject) => {
    const box = vscode.window.createInputBox();
    Object.assign(box, { title: o.title, step: o.step, totalSteps: TOTAL, prompt: o.prompt, value: o.value, placeholder: o.placeholder, password: !!o.password, ignoreFocusOut: true });
    if (o.step > 1) box.buttons = [vscode.QuickInputButtons.Back];
    let done = false;
    const finish = (f: () => void) => {
      done = true;
      f();
      box.dispose();
    };
    box.onDidChangeValue((v) => (box.validationMessage = v ? o.validate(v) : undefined));
    box.onDidTriggerButton(() => finish(() => resolve(BACK)));
    box.onDidAccept(() => {
      const msg = o.validate(box.value);
      if (msg) box.validationMessage = msg;
      else finish(() => resolve(box.value));
    });
    box.onDidHide(() => {
      if (!done) finish(() => reject(new OperationCancelledError()));
    });
    box.show();
  });
}

function pick<T>(o: { title: string; step: number; placeholder: string; items: Array<vscode.QuickPickItem & { value: T }> }): Promise<Step<T>> {
  return new Promise((resolve, reject) => {
    const qp = vscode.window.createQuickPick<vscode.QuickPickItem & { value: T }>();
    Object.assign(qp, { title: o.title, step: o.step, totalSteps: TOTAL, placeholder: o.placeholder, items: o.items, ignoreFocusOut: true });
    qp.activeItems = o.items.filter((i) => i.picked);
    if (o.step > 1) qp.buttons = [vscode.QuickInputButtons.Back];
    let done = false;
    const finish = (f: () => void) => {
      done = true;
      f();
      qp.dispose();
    };
    qp.onDidTriggerButton(() => finish(() => resolve(BACK)));
    qp.onDidAccept(() => {
      const item = qp.activeItems[0];
      if (item) finish(() => resolve(item.value));
    });
    qp.onDidHide(() => {
      if (!done) finish(() => reject(new OperationCancelledError()));
    });
    qp.show();
  });
}

async function pemFile(title: string, step: number, label: string, kind: 'certificate' | 'key'): Promise<Step<string>> {
  const choice = await pick<'choose'>({ title, step, placeholder: label, items: [{ label: `$(folder-opened) Choose ${label}…`, value: 'choose' }] });
  if (choice === BACK) return BACK;
  const uris = await vscode.window.showOpenDialog({ title: label, canSelectMany: false, openLabel: 'Use', filters: { PEM: ['pem', 'crt', 'cer', 'key'], All: ['*'] } });
  if (!uris?.[0]) throw new OperationCancelledError();
  const text = Buffer.from(await vscode.workspace.fs.readFile(uris[0])).toString('utf8');
  const problem = checkPem(text, kind);
  if (problem) throw new UserFacingError(`${uris[0].fsPath}: ${problem}`);
  return text;
}
