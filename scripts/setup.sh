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
# stress-ng: the README asks to check the suite beside a CPU load (stress-ng --cpu 2).
apt_packages=(haproxy haproxy-doc chromium ripgrep libkrb5-dev openssl ca-certificates unzip time stress-ng)
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
# The real Data Plane API, built from the Go module proxy. Where the proxy refuses the haproxytech
# modules (it does on the project's machines), the tests of the real binary are skipped and say so;
# the Data Plane API tests then run against the spec-faithful emulator in front of a real HAProxy.
if ! bash scripts/install-dataplaneapi.sh; then
  echo "setup: WARNING: the real Data Plane API could not be built (see above); its tests will be skipped" >&2
fi
# kube-apiserver and etcd from Go modules, for the tests against a real control plane (minutes when
# cold): built in the background; the tests that need them wait for the build to finish.
if command -v go >/dev/null || [[ -x /usr/local/go/bin/go ]]; then
  bash scripts/install-k8s-testbin.sh --background
else
  echo "setup: no Go toolchain: the real Kubernetes API server tests need HAPROXY_GATEWAY_SKIP_REAL_KUBE=1" >&2
fi
echo "setup: done"
