#!/usr/bin/env bash
# One idempotent setup for a fresh machine: system packages, npm dependencies, the real VS Code used
# by the integration tests, and the real HAProxy Data Plane API. Safe to run again: each step skips
# what is already there. `npm test` and `npm run demo` call it first.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

# Debian packages: what the tests and the local lab run (HAProxy and its manual, Chromium for the
# workbench, ripgrep for VS Code's search, Kerberos headers for a native module of VS Code, openssl
# for test certificates).
apt_packages=(haproxy haproxy-doc chromium ripgrep libkrb5-dev openssl ca-certificates unzip)
missing=()
for pkg in "${apt_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if ((${#missing[@]})); then
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
    echo "setup: installing Debian packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "setup: please install these packages (as root): apt-get install ${missing[*]}" >&2
    exit 1
  fi
fi

# npm dependencies, exactly as locked.
if [[ ! -d node_modules || package-lock.json -nt node_modules/.package-lock.json ]]; then
  echo "setup: npm ci"
  npm ci --no-audit --no-fund
fi

bash scripts/install-vscode-host.sh
if [[ -f scripts/install-dataplaneapi.sh ]]; then
  bash scripts/install-dataplaneapi.sh
fi
echo "setup: done"
