// The version of an haproxy executable (`haproxy -v`), to pick the keyword data that matches it.

import { execFile } from 'node:child_process';
import { checkEnvironment } from './runCheck';

/** "2.6.12-1+deb12u4" from `HAProxy version 2.6.12-1+deb12u4 2026/10/17 - https://haproxy.org/`. */
export function parseVersionOutput(output: string): string | undefined {
  return /HAProxy version (\d+\.\d+[^\s]*)/i.exec(output)?.[1];
}

/** Runs `<binary> -v`; undefined when it cannot run or prints no version. */
export function detectHaproxyVersion(binary: string, timeoutMs: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile(
      binary,
      ['-v'],
      { env: checkEnvironment(), timeout: timeoutMs, windowsHide: true, encoding: 'utf8' },
      (error, stdout, stderr) => {
        if (error && !stdout) return resolve(undefined);
        resolve(parseVersionOutput(`${stdout}${stderr}`));
      },
    );
  });
}
