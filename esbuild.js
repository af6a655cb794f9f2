// Bundles the extension into one CommonJS file for VS Code's Node 20 extension host.
// `--production` minifies for the VSIX; otherwise source maps are emitted for debugging.
const esbuild = require('esbuild');

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** @type {import('esbuild').BuildOptions} */
const options = {
  entryPoints: ['src/extension.ts'],
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  outfile: 'dist/extension.js',
  external: ['vscode'],
  minify: production,
  sourcemap: production ? false : 'linked',
  sourcesContent: false,
  legalComments: production ? 'none' : 'inline',
  logLevel: 'info',
  metafile: true,
};

async function main() {
  if (watch) {
    const ctx = await esbuild.context(options);
    await ctx.watch();
    return;
  }
  const result = await esbuild.build(options);
  const out = result.metafile.outputs['dist/extension.js'];
  if (out) {
    console.log(`dist/extension.js: ${out.bytes} bytes${production ? ' (production)' : ''}`);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
