#!/usr/bin/env bash
# Builds the real HAProxy Data Plane API (v3.4.2 and v2.9.27) from the Go module proxy into
# .cache/bin/dataplaneapi-<version>/dataplaneapi. The module path has no major-version suffix, so
# the tags cannot be named directly: each version is installed by the commit its tag points to.
# Idempotent: a version whose binary exists is skipped. Prints timings; fails with the Go error.
#
# Tests that need these binaries fail unless they exist or HAPROXY_GATEWAY_SKIP_REAL_DATAPLANE=1.
# Without them the tests run against the spec-faithful emulator in test/fixtures/dataplane/, which
# drives the same real HAProxy.
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
go_bin="${GO:-$(command -v go || echo /usr/local/go/bin/go)}"
if [[ ! -x "$go_bin" ]]; then
  echo "install-dataplaneapi: no Go toolchain (looked for 'go' on PATH and /usr/local/go/bin/go)" >&2
  exit 1
fi

# version  commit-of-the-tag
versions=(
  "v3.4.2 8613429f11a6bb0b0314b245ce7a0228536991fc"
  "v2.9.27 9818b7d10e6ba88d247a9a547814ab854da4038e"
)

failed=0
# One after the other on purpose: a Go build of this size saturates 2 cores.
for entry in "${versions[@]}"; do
  read -r version commit <<<"$entry"
  dir="$root/.cache/bin/dataplaneapi-$version"
  if [[ -x "$dir/dataplaneapi" ]]; then
    echo "install-dataplaneapi: $version already built at $dir/dataplaneapi"
    continue
  fi
  mkdir -p "$dir"
  start=$(date +%s)
  echo "install-dataplaneapi: building $version (commit $commit), this takes minutes"
  log="$(mktemp)"
  if GOBIN="$dir" GOFLAGS=-buildvcs=false "$go_bin" install \
      "github.com/haproxytech/dataplaneapi/cmd/dataplaneapi@$commit" >"$log" 2>&1; then
    echo "install-dataplaneapi: $version built in $(( $(date +%s) - start )) s"
  else
    failed=1
    echo "install-dataplaneapi: building $version FAILED after $(( $(date +%s) - start )) s:" >&2
    sed 's/^/  /' "$log" >&2
    if grep -q '403 Forbidden' "$log"; then
      echo "  The Go module proxy refuses this module here; the tests then need the emulator" >&2
      echo "  (set HAPROXY_GATEWAY_SKIP_REAL_DATAPLANE=1 to run without the real binaries)." >&2
    fi
  fi
  rm -f "$log"
done
exit "$failed"
