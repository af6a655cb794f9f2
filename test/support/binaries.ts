// Finding the programs some tests need (haproxy, openssl...), the way a shell would.
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The executable `name` from PATH (then from `extraDirs`), or undefined. */
export function findInPath(name: string, extraDirs: readonly string[] = []): string | undefined {
  for (const dir of [...(process.env.PATH ?? '').split(path.delimiter), ...extraDirs]) {
    if (!dir) continue;
    const file = path.join(dir, name);
    try {
      fs.accessSync(file, fs.constants.X_OK);
      if (fs.statSync(file).isFile()) return file;
    } catch {
      // not here
    }
  }
  return undefined;
}
