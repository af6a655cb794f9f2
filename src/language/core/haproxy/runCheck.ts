// Runs `haproxy -c -f <file>` with execFile (never a shell), a timeout and cancellation. Unsaved
// text is written to a private temporary directory first, under the document's own file name, and
// HAProxy runs in the document's directory so relative paths (maps, error files) resolve as they
// will in production. Node only: usable outside the editor.

import { MAX_CHECK_OUTPUT_BYTES } from '../../../shared/limits';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { OperationCancelledError, UserFacingError } from '../../../shared/errors';
import { parseCheckOutput, type CheckMessage } from './checkOutput';

export interface CheckRequest {
  /** The haproxy executable: a path or a name looked up in PATH. */
  readonly binary: string;
  /** The configuration text to check (written to a temporary file). */
  readonly text: string;
  /** The document's file name, used for the temporary copy (messages name it). */
  readonly fileName?: string;
  /** Working directory for HAProxy (the document's directory). */
  readonly cwd?: string;
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
}

export interface CheckResult {
  /** True when HAProxy accepted the configuration (exit code 0, or 2: valid but no listener). */
  readonly valid: boolean;
  readonly exitCode: number | null;
  readonly messages: readonly CheckMessage[];
  /** The path HAProxy was given: messages naming it belong to the checked text. */
  readonly checkedPath: string;
  readonly output: string;
  readonly durationMs: number;
}

const MAX_OUTPUT = MAX_CHECK_OUTPUT_BYTES;

export async function runHaproxyCheck(req: CheckRequest): Promise<CheckResult> {
  if (!req.binary.trim()) throw new UserFacingError('No haproxy executable is configured.');
  if (!(req.timeoutMs > 0)) throw new UserFacingError(`Invalid timeout for haproxy -c: ${req.timeoutMs} ms.`);
  if (req.signal?.aborted) throw new OperationCancelledError();
  const dir = await mkdtemp(path.join(os.tmpdir(), 'haproxy-gateway-check-'));
  const base = sanitizeFileName(req.fileName ?? 'haproxy.cfg');
  const file = path.join(dir, base);
  const started = performance.now();
  try {
    await writeFile(file, req.text, { encoding: 'utf8', mode: 0o600 });
    const { code, output } = await execCheck(req, file);
    return {
      valid: code === 0 || code === 2,
      exitCode: code,
      messages: parseCheckOutput(output),
      checkedPath: file,
      output,
      durationMs: performance.now() - started,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function execCheck(req: CheckRequest, file: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      req.binary,
      ['-c', '-f', file],
      {
        cwd: req.cwd,
        env: checkEnvironment(),
        timeout: req.timeoutMs,
        maxBuffer: MAX_OUTPUT,
        windowsHide: true,
        signal: req.signal,
        encoding: 'utf8',
      },
      (error, stdout, stderr) => {
        const output = `${stderr}${stdout}`;
        if (!error) return resolve({ code: 0, output });
        const e = error as NodeJS.ErrnoException & { code?: string | number; killed?: boolean; signal?: string };
        if (e.name === 'AbortError' || req.signal?.aborted) return reject(new OperationCancelledError());
        if (e.code === 'ENOENT')
          return reject(
            new UserFacingError(
              `haproxy was not found at '${req.binary}'.`,
              'Set haproxyGateway.haproxy.path to the haproxy executable.',
            ),
          );
        if (e.code === 'EACCES')
          return reject(new UserFacingError(`haproxy at '${req.binary}' cannot be executed (permission denied).`));
        if (e.code === 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER') {
          return reject(
            new UserFacingError(
              `haproxy -c printed more than ${MAX_OUTPUT / 1024 / 1024} MiB; its output was not read.`,
            ),
          );
        }
        if (e.killed && e.signal === 'SIGTERM')
          return reject(new UserFacingError(`haproxy -c did not finish within ${req.timeoutMs} ms.`));
        if (typeof e.code === 'number') return resolve({ code: e.code, output });
        // Crashed (a signal) or failed otherwise: report what it printed.
        return resolve({ code: null, output: output || String(error.message) });
      },
    );
    child.stdin?.end();
  });
}

/**
 * Only documents on disk are checked: another scheme (a live configuration of a Data Plane API
 * server, an untitled buffer) holds text the user did not write there, and a local check of it
 * would run a program on a server's answer.
 */
export function checksDocumentsOf(scheme: string): boolean {
  return scheme === 'file';
}

/**
 * The environment haproxy runs in: a configuration expands `${VAR}` from it (and may then resolve a
 * name that carries the value), so only what a program needs to start and to print is passed on,
 * never HOME, USER, tokens or proxies of the extension host.
 */
export function checkEnvironment(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = {};
  for (const name of CHECK_ENV) if (env[name] !== undefined) out[name] = env[name];
  return out;
}

const CHECK_ENV = ['PATH', 'LANG', 'LC_ALL', 'TZ', 'TMPDIR', 'SYSTEMROOT'];

/** A safe file name for the temporary copy: the document's base name, never a path. */
export function sanitizeFileName(name: string): string {
  const base = path.basename(name).replace(/[^A-Za-z0-9._-]/g, '_');
  return base === '' || base === '.' || base === '..' ? 'haproxy.cfg' : base;
}

/** True when a message's file is the checked copy (HAProxy may print it relative or absolute). */
export function namesCheckedFile(message: CheckMessage, checkedPath: string): boolean {
  if (message.file === undefined) return false;
  return (
    message.file === checkedPath ||
    path.resolve(message.file) === checkedPath ||
    path.basename(message.file) === path.basename(checkedPath)
  );
}
