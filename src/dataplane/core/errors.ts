// Errors of the Data Plane API client. Each message names the connection and says what to do:
// the UI shows them as-is.
import { truncateForMessage } from '../../shared/limits';
import { UserFacingError } from '../../shared/errors';

/** The server answered with an HTTP status the caller did not expect. */
export class DataPlaneHttpError extends UserFacingError {
  constructor(
    message: string,
    readonly status: number,
    /** The server's own text (`message` of `{code,message}` or the raw body), for logs and diffs. */
    readonly serverMessage: string,
    detail?: string,
  ) {
    super(message, detail);
    this.name = 'DataPlaneHttpError';
  }
}

/** 409 `version mismatch`: someone else changed the configuration since we read its version. */
export class VersionConflictError extends DataPlaneHttpError {
  constructor(connection: string, serverMessage: string) {
    super(
      `The configuration on "${connection}" was changed by someone else meanwhile (${serverMessage}). Reload it and ` +
        `apply your change again.`,
      409,
      serverMessage,
    );
    this.name = 'VersionConflictError';
  }
}

/**
 * The transaction is outdated: another commit landed first. 406 on commit, or 400 "transaction
 * does not exist" on a change inside it (the real server drops outdated transactions at once).
 */
export class TransactionOutdatedError extends DataPlaneHttpError {
  constructor(connection: string, serverMessage: string, status = 406) {
    super(`The change on "${connection}" was overtaken by another change (${serverMessage}).`, status, serverMessage);
    this.name = 'TransactionOutdatedError';
  }
}

/** 429 on opening a transaction: the server's limit of open transactions is reached. */
export class TooManyTransactionsError extends DataPlaneHttpError {
  constructor(connection: string, serverMessage: string) {
    super(
      `Too many transactions are open on "${connection}" (${serverMessage}). Discard the stale ones under its ` +
        `Transactions node, then try again.`,
      429,
      serverMessage,
    );
    this.name = 'TooManyTransactionsError';
  }
}

/** 400 on a configuration write: the server (HAProxy) rejected the configuration. */
export class ConfigurationRejectedError extends DataPlaneHttpError {
  constructor(connection: string, serverMessage: string) {
    const reason = truncateForMessage(rejectionReason(serverMessage));
    super(`"${connection}" rejected the configuration: ${reason}`, 400, serverMessage);
    this.name = 'ConfigurationRejectedError';
  }

  /** HAProxy's fatal lines, without the non-fatal ALERTs listed before them. */
  get fatal(): string[] {
    return fatalLines(this.serverMessage);
  }
}

// HAProxy 2.6 prints this ALERT for every proxy the API wrote with `from`; it does not fail the check.
const NON_FATAL = [
  /implicitly used here/,
  /^config Error\(s\) found in configuration file/,
  /^config Fatal errors found in configuration/,
];

/**
 * HAProxy's fatal lines from a validation answer (`msg="config …"` lines) or a reload response
 * (`[ALERT] (pid) : …` lines), in file order, without the non-fatal ALERTs and summary lines.
 * Falls back to every ALERT, then to the text itself, when nothing else is left.
 */
/** `[ALERT] (pid) : text`; the blanks and the text cannot overlap, so no backtracking. */
const ALERT_LINE = /^\[ALERT\][ \t]*(?:\(\d+\)[ \t]*)?:[ \t]*(\S.*)?$/;

/** The value of a trailing `msg="…"` field (at the start or after a blank), read without a regex. */
function quotedMsg(line: string): string | undefined {
  const at = line.indexOf('msg="');
  if (at < 0 || (at > 0 && !/\s/.test(line[at - 1]!))) return undefined;
  const end = line.trimEnd();
  return end.length > at + 5 && end.endsWith('"') ? end.slice(at + 5, -1) : undefined;
}

export function fatalLines(text: string): string[] {
  const lines: string[] = [];
  for (const raw of text.split(/\r?\n/)) {
    // The first one follows `validation error: exit status 1: ` on the same line (v3 only_validate).
    const msg = quotedMsg(raw);
    if (msg !== undefined) lines.push(msg.replace(/\\"/g, '"'));
    else {
      const alert = ALERT_LINE.exec(raw.trim());
      if (alert) lines.push(alert[1] ?? '');
    }
  }
  const fatal = lines.filter((l) => !NON_FATAL.some((re) => re.test(l)));
  return fatal.length > 0 ? fatal : lines;
}

/**
 * One readable reason for a 400. v2 answers a validation-only POST with nothing but
 * `validation error: exit status 1`: say so rather than pretend to know why.
 */
export function rejectionReason(serverMessage: string): string {
  const text = serverMessage.trim();
  if (/^validation error: exit status \d+$/.test(text)) {
    return (
      `${text}. HAProxy found an error, but this Data Plane API (v2) does not pass its output on for a check; ` +
      'saving the configuration shows the cause.'
    );
  }
  const fatal = fatalLines(text);
  return fatal.length > 0 ? firstLines(fatal.join('\n'), 6) : firstLines(text, 6);
}

/** A raw configuration save hit a newer version: carries their text so the UI can show a diff. */
export class RawConfigConflictError extends UserFacingError {
  constructor(
    connection: string,
    readonly theirVersion: number,
    readonly theirText: string,
  ) {
    super(
      `The configuration on "${connection}" changed meanwhile (now version ${theirVersion}). Compare and choose ` +
        `which to keep.`,
    );
    this.name = 'RawConfigConflictError';
  }
}

/** The answer did not have the shape the specification promises. */
export class InvalidAnswerError extends UserFacingError {
  constructor(connection: string, what: string, problem: string) {
    super(`"${connection}" sent an unexpected answer for ${what}: ${problem}. Is this a Data Plane API server?`);
    this.name = 'InvalidAnswerError';
  }
}

/** Network or TLS failure before any HTTP answer. */
export class DataPlaneConnectError extends UserFacingError {
  constructor(
    message: string,
    readonly code: string,
    detail?: string,
  ) {
    super(message, detail);
    this.name = 'DataPlaneConnectError';
  }
}

/** Node and OpenSSL error codes of a failed TLS handshake or certificate check. */
export function isTlsCode(code: string): boolean {
  return /CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_/.test(code);
}

export function firstLines(text: string, n: number): string {
  const lines = text.trim().split(/\r?\n/);
  return lines.length <= n ? lines.join('\n') : `${lines.slice(0, n).join('\n')}\n…`;
}
