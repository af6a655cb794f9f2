// Errors of the Data Plane API client. Each message names the connection and says what to do:
// the UI shows them as-is.
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
      `The configuration on "${connection}" was changed by someone else meanwhile (${serverMessage}). Reload it and apply your change again.`,
      409,
      serverMessage,
    );
    this.name = 'VersionConflictError';
  }
}

/** 406 on commit: the transaction became outdated (another commit landed first) or failed. */
export class TransactionOutdatedError extends DataPlaneHttpError {
  constructor(connection: string, serverMessage: string) {
    super(`The change on "${connection}" was overtaken by another change (${serverMessage}).`, 406, serverMessage);
    this.name = 'TransactionOutdatedError';
  }
}

/** 429 on opening a transaction: the server's limit of open transactions is reached. */
export class TooManyTransactionsError extends DataPlaneHttpError {
  constructor(connection: string, serverMessage: string) {
    super(
      `Too many transactions are open on "${connection}" (${serverMessage}). Discard the stale ones under its Transactions node, then try again.`,
      429,
      serverMessage,
    );
    this.name = 'TooManyTransactionsError';
  }
}

/** 400 on a configuration write: the server (HAProxy) rejected the configuration. */
export class ConfigurationRejectedError extends DataPlaneHttpError {
  constructor(connection: string, serverMessage: string) {
    super(`"${connection}" rejected the configuration: ${firstLines(serverMessage, 6)}`, 400, serverMessage);
    this.name = 'ConfigurationRejectedError';
  }
}

/** A raw configuration save hit a newer version: carries their text so the UI can show a diff. */
export class RawConfigConflictError extends UserFacingError {
  constructor(
    connection: string,
    readonly theirVersion: number,
    readonly theirText: string,
  ) {
    super(`The configuration on "${connection}" changed meanwhile (now version ${theirVersion}). Compare and choose which to keep.`);
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
