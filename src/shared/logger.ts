// The one logger shape of the pure core. The editor adapts its LogOutputChannel to it
// (src/shell/log.ts); tests pass `silentLogger` or collect lines.

export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** Drops everything: for callers that have nowhere to log. */
export const silentLogger: Logger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
