#!/usr/bin/env bash
# Installs a real VS Code (1.100.3, inside code-server 4.100.3 from npm) into .cache/vscode-host,
# because @vscode/test-electron cannot download VS Code on machines without internet access.
# Idempotent: a finished install leaves a stamp and is skipped next time.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
host="$root/.cache/vscode-host"
version="4.100.3"
stamp="$host/.installed-$version"
if [[ -f "$stamp" ]]; then
  echo "vscode-host: code-server $version already installed"
  exit 0
fi
command -v rg >/dev/null || { echo "vscode-host: ripgrep (rg) is required; install the Debian package ripgrep" >&2; exit 1; }
start=$(date +%s)
mkdir -p "$host"
cd "$host"
[[ -f package.json ]] || echo '{"name":"vscode-host","private":true}' > package.json
echo "vscode-host: installing code-server@$version (about 3 minutes)"
npm install --no-audit --no-fund --ignore-scripts "code-server@$version" >/dev/null
cs="$host/node_modules/code-server"
vs="$cs/lib/vscode"
# The package's own postinstall downloads ripgrep from the internet: do its steps by hand.
(cd "$vs" && npm install --no-audit --no-fund --omit=dev --ignore-scripts >/dev/null)
mkdir -p "$vs/node_modules/@vscode/ripgrep/bin"
ln -sf "$(command -v rg)" "$vs/node_modules/@vscode/ripgrep/bin/rg"
(cd "$vs" && npm_config_yes=true npm rebuild >/dev/null)
ln -sfn node_modules "$vs/node_modules.asar"
(cd "$vs/extensions" && npm install --no-audit --no-fund --omit=dev --ignore-scripts >/dev/null)
# Only argon2 is needed (at start-up); a full rebuild would run code-server's own postinstall, which refuses root.
(cd "$cs" && npm install --no-audit --no-fund --omit=dev --ignore-scripts >/dev/null && npm rebuild argon2 >/dev/null)
touch "$stamp"
echo "vscode-host: installed in $(( $(date +%s) - start )) s"
