// Bundles the extension for VS Code's Node 20 extension host: `dist/extension.js` (CommonJS,
// `vscode` external) plus one bundle per heavy third-party library in `dist/vendor/`. The vendor
// bundles are required only on first use (see src/kubernetes/core/clientNode.ts), so activating the
// extension for a haproxy.cfg does not parse a megabyte of Kubernetes client.
// `--production` minifies for the VSIX; otherwise source maps are emitted for debugging.
const fs = require('node:fs');
const path = require('node:path');
const esbuild = require('esbuild');

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/**
 * Libraries bundled on their own and loaded lazily: package name -> its file in dist/vendor/ and
 * the exports we use (naming them lets esbuild drop the rest: client-node is 3.5 MB whole).
 */
const vendor = {
  '@kubernetes/client-node': {
    file: 'client-node.js',
    exports: ['KubeConfig', 'Watch', 'RequestContext', 'createConfiguration'],
  },
  undici: { file: 'undici.js', exports: ['Pool'] },
};

const common = {
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  external: ['vscode'],
  minify: production,
  sourcemap: production ? false : 'linked',
  sourcesContent: false,
  legalComments: production ? 'none' : 'inline',
  logLevel: 'warning',
  metafile: true,
};

/** In the main bundle, a vendor library is an external require of its own bundle. */
const vendorExternal = {
  name: 'vendor-external',
  setup(build) {
    const filter = new RegExp(
      `^(${Object.keys(vendor)
        .map((n) => n.replace(/[/@]/g, '\\$&'))
        .join('|')})$`,
    );
    build.onResolve({ filter }, (args) => ({ path: `./vendor/${vendor[args.path].file}`, external: true }));
  },
};

/** Requires of the keyword data resolve to dist/keywords/ at run time, outside the bundle. */
function externalKeywordData(build) {
  build.onResolve({ filter: /^\.\/haproxy-\d+\.\d+\.json$/ }, (args) => ({
    path: `./keywords/${path.basename(args.path)}`,
    external: true,
  }));
}

/**
 * The keyword data (src/language/core/keywords/haproxy-<version>.json) stays out of the bundle: it is
 * copied, minified, to dist/keywords/ and required on first use, which Node reads with JSON.parse
 * (a quarter of a megabyte as a JavaScript literal costs about 15 ms at every activation).
 */
const keywordData = {
  name: 'keyword-data',
  setup(build) {
    const dir = path.join(__dirname, 'src', 'language', 'core', 'keywords');
    build.onStart(() => {
      fs.mkdirSync(path.join(__dirname, 'dist', 'keywords'), { recursive: true });
      for (const file of fs.readdirSync(dir).filter((f) => /^haproxy-\d+\.\d+\.json$/.test(f))) {
        const data = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));
        fs.writeFileSync(path.join(__dirname, 'dist', 'keywords', file), JSON.stringify(data));
      }
    });
    externalKeywordData(build);
  },
};

/**
 * The traffic map's webview: a browser bundle of its own (dagre for the layout, uPlot for the charts)
 * and its stylesheet, loaded by the panel under a strict CSP. Always minified: its size is a budget
 * (`map.webviewBytes`, under 300 KB).
 */
const webview = {
  bundle: true,
  format: 'iife',
  platform: 'browser',
  target: 'chrome120',
  minify: true,
  sourcemap: false,
  legalComments: 'none',
  logLevel: 'warning',
  metafile: true,
  entryPoints: ['src/traffic/ui/webview/map.ts', 'src/traffic/ui/webview/map.css'],
  outdir: 'dist/webview',
};

/** The worker bundle requires the keyword data that keywordData writes to dist/keywords/. */
const keywordDataExternal = {
  name: 'keyword-data-external',
  setup(build) {
    externalKeywordData(build);
  },
};

const builds = [
  {
    ...common,
    entryPoints: ['src/extension.ts'],
    outfile: 'dist/extension.js',
    plugins: [vendorExternal, keywordData],
  },
  webview,
  // Parse + diagnostics of large documents in a worker thread (src/language/ui/diagnosticsController.ts).
  {
    ...common,
    entryPoints: ['src/language/core/worker/diagnosticsWorker.ts'],
    outfile: 'dist/diagnosticsWorker.js',
    plugins: [keywordDataExternal],
  },
  ...Object.entries(vendor).map(([pkg, { file, exports }]) => ({
    ...common,
    // Vendor bundles are third-party code: no source maps needed to debug our extension.
    sourcemap: false,
    stdin: {
      contents: `export { ${exports.join(', ')} } from ${JSON.stringify(pkg)};`,
      resolveDir: __dirname,
      loader: 'js',
    },
    outfile: `dist/vendor/${file}`,
  })),
];

async function main() {
  if (watch) {
    for (const options of builds) await (await esbuild.context(options)).watch();
    return;
  }
  const results = await Promise.all(builds.map((options) => esbuild.build(options)));
  for (const result of results) {
    for (const [file, out] of Object.entries(result.metafile.outputs)) {
      if (/\.(js|css)$/.test(file)) console.log(`${file}: ${out.bytes} bytes${production ? ' (production)' : ''}`);
    }
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
