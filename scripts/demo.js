#!/usr/bin/env node
// `npm run demo`: the local lab. Starts the real VS Code (code-server) with the extension loaded
// from this checkout and a sample workspace, plus the lab services that exist, and prints the URL.
// Stops everything on Ctrl+C. LAB_PORT picks the workbench port (default 8900); LAB_DIR the lab's
// folder (default: outside the repository, under the system's temporary folder).
const { spawnSync } = require('node:child_process');
const path = require('node:path');

const root = path.resolve(__dirname, '..');

function sh(cmd, args) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

async function main() {
  if (!process.argv.includes('--skip-setup')) sh('bash', ['scripts/setup.sh']);
  sh('node', ['esbuild.js']);
  sh('npx', ['tsc', '-p', 'tsconfig.test.json']);
  const { freePort, startCodeServer } = require(path.join(root, 'out/test/harness/codeServer.js'));
  const { workbenchUrl } = require(path.join(root, 'out/test/harness/workbench.js'));
  const { labDirectory, prepareWorkspace } = require(path.join(root, 'out/test/lab/workspace.js'));
  const { startLabFront } = require(path.join(root, 'out/test/lab/front.js'));
  const fs = require('node:fs');

  // Outside the repository (VS Code would ask about its Git repository), a fresh copy each time.
  const labDir = labDirectory();
  const workspace = prepareWorkspace(labDir);

  const stops = [];
  const settings = {};
  const stopStarted = async () => {
    for (const stop of stops.splice(0).reverse()) await stop().catch((err) => console.error(err));
  };
  const labModules = path.join(root, 'out', 'test', 'lab');
  try {
    // Each lab service (HAProxy + Data Plane API, a Kubernetes API server, ...) starts itself and
    // returns the settings that point the extension at it.
    for (const file of fs.readdirSync(labModules).sort()) {
      if (!file.endsWith('.lab.js')) continue;
      const service = require(path.join(labModules, file));
      const started = await service.start({ labDir });
      Object.assign(settings, started.settings);
      stops.push(started.stop);
      for (const line of started.describe ?? []) console.log(`lab: ${line}`);
    }
  } catch (err) {
    await stopStarted();
    throw err;
  }

  const port = Number(process.env.LAB_PORT ?? 8900);
  let front;
  try {
    const server = await startCodeServer({ workspace, settings, port: await freePort() });
    stops.push(server.stop);
    // The plain URL on LAB_PORT redirects to the one that loads the extension from this checkout.
    front = await startLabFront({
      target: server.url,
      port,
      landing: (publicUrl) => workbenchUrl({ serverUrl: publicUrl, folder: workspace }),
    });
    stops.push(front.stop);
  } catch (err) {
    await stopStarted();
    throw err;
  }
  console.log(`\nThe lab is running. Open this URL in a browser (Ctrl+C stops everything):\n\n  ${front.url}/\n`);

  let stopping = false;
  const stopAll = async () => {
    if (stopping) return;
    stopping = true;
    console.log('\nlab: stopping');
    await stopStarted();
    process.exit(0);
  };
  process.on('SIGINT', stopAll);
  process.on('SIGTERM', stopAll);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
