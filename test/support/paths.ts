import * as fs from 'node:fs';
import * as path from 'node:path';

/** The repository root, found from the compiled or source location of this file. */
export const repoRoot: string = (() => {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json')) || !fs.existsSync(path.join(dir, 'esbuild.js'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`repository root not found above ${__dirname}`);
    dir = parent;
  }
  return dir;
})();

/** `../shared` beside the checkout: reference specifications and real-world configurations. */
export const sharedDir = process.env.HAPROXY_GATEWAY_SHARED_DIR ?? path.resolve(repoRoot, '..', 'shared');
export const referenceDir = path.join(sharedDir, 'reference');
export const haproxyConfigsDir = path.join(referenceDir, 'haproxy-configs');
