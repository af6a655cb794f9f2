// @kubernetes/client-node takes about half a second to load. It is required on first use, not at
// import time, so that activating the extension for a haproxy.cfg does not pay for it (in the
// bundle, esbuild turns this require into a lazy initialiser).
import type * as ClientNode from '@kubernetes/client-node';

let loaded: typeof ClientNode | undefined;

export function clientNode(): typeof ClientNode {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  loaded ??= require('@kubernetes/client-node') as typeof ClientNode;
  return loaded;
}
