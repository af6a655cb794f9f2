#!/usr/bin/env bash
# Builds a real Kubernetes control plane for the tests from Go modules into .cache/k8s-testbin/bin/:
#   kube-apiserver  k8s.io/kubernetes v1.34.4, module test/k8s-testbin/kube-apiserver (staging modules
#                   replaced by their published v0.34.4 releases)
#   etcd            go.etcd.io/etcd/server/v3 v3.6.4, module test/k8s-testbin/etcd
# Idempotent: a binary is rebuilt only when it is missing or its module's go.mod/go.sum changed (a
# stamp beside it records their checksum). One build at a time (a lock file serialises concurrent
# runs), at low priority with GOMAXPROCS=2. Prints timings and peak memory when /usr/bin/time exists.
#
#   bash scripts/install-k8s-testbin.sh               build in the foreground
#   bash scripts/install-k8s-testbin.sh --background  start the build detached and return at once;
#        the log goes to .cache/k8s-testbin/install.log and, at the end, the marker
#        .cache/k8s-testbin/install.done or .cache/k8s-testbin/install.failed is written
#        (test/fixtures/real-kube/controlPlane.ts waits for them while the pid in
#        .cache/k8s-testbin/install.pid lives).
#   bash scripts/install-k8s-testbin.sh --check       exit 0 when both binaries are up to date
#
# Every build appends "date name seconds peak-MiB cold|warm" to .cache/k8s-testbin/builds.tsv (cold:
# the module's sources were not in the Go module cache yet, so they were downloaded and compiled
# from scratch, or the Go build cache was empty); `npm run bench -- testbinCold` measures a cold build
# in temporary Go caches and adds its rows here too.
# K8S_TESTBIN_CACHE moves .cache/k8s-testbin elsewhere (the cold benchmark uses it).
#
# Tests that need these binaries fail unless they exist or HAPROXY_GATEWAY_SKIP_REAL_KUBE=1.
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cache="${K8S_TESTBIN_CACHE:-$root/.cache/k8s-testbin}"
bin="$cache/bin"
log="$cache/install.log"
go_bin="${GO:-$(command -v go || echo /usr/local/go/bin/go)}"
kube_version="v1.34.4"

# name  module-dir  package  module-of-the-package
binaries=(
  "etcd test/k8s-testbin/etcd go.etcd.io/etcd/server/v3 go.etcd.io/etcd/server/v3"
  "kube-apiserver test/k8s-testbin/kube-apiserver k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes"
)

mkdir -p "$bin"

stamp_of() { # module-dir -> checksum of go.mod and go.sum
  cat "$root/$1/go.mod" "$root/$1/go.sum" | sha256sum | cut -d' ' -f1
}

up_to_date() { # name module-dir
  [[ -x "$bin/$1" && -f "$bin/$1.stamp" && "$(cat "$bin/$1.stamp")" == "$(stamp_of "$2")" ]]
}

all_up_to_date() {
  local entry name dir pkg module
  for entry in "${binaries[@]}"; do
    read -r name dir pkg module <<<"$entry"
    up_to_date "$name" "$dir" || return 1
  done
}

case "${1:-}" in
  --check)
    all_up_to_date
    exit
    ;;
  --background)
    if all_up_to_date; then
      rm -f "$cache/install.failed"
      echo "install-k8s-testbin: already built in $bin" | tee "$log"
      touch "$cache/install.done"
      exit 0
    fi
    rm -f "$cache/install.done" "$cache/install.failed"
    # setsid: the build survives the shell that started it; the foreground run writes the markers.
    setsid nohup bash "$0" --write-markers >"$log" 2>&1 </dev/null &
    echo "$!" >"$cache/install.pid" # at once, so that a test started right after waits for it
    echo "install-k8s-testbin: building in the background (pid $!), log $log"
    echo "install-k8s-testbin: done when $cache/install.done (or install.failed) appears"
    exit 0
    ;;
  --write-markers | "")
    ;;
  *)
    echo "usage: $0 [--background | --check]" >&2
    exit 2
    ;;
esac
write_markers=0
if [[ "${1:-}" == "--write-markers" ]]; then
  write_markers=1
  echo "$$" >"$cache/install.pid" # the fixture waits while this process lives
fi

finish() { # exit-code
  if ((write_markers)); then
    if (($1 == 0)); then touch "$cache/install.done"; else touch "$cache/install.failed"; fi
    rm -f "$cache/install.pid"
  fi
  exit "$1"
}

if [[ ! -x "$go_bin" ]]; then
  echo "install-k8s-testbin: no Go toolchain (looked for 'go' on PATH and /usr/local/go/bin/go)" >&2
  finish 1
fi

# One run at a time: a second run waits here, then finds the binaries built.
exec 9>"$cache/install.lock"
if ! flock -n 9; then
  echo "install-k8s-testbin: another build is running; waiting for it"
  flock 9
fi

timer=()
if [[ -x /usr/bin/time ]]; then
  timer=(/usr/bin/time -v -o "$cache/time.txt")
else
  echo "install-k8s-testbin: /usr/bin/time missing (apt-get install time), peak memory is not measured"
fi

failed=0
total_start=$(date +%s)
# Read once, before the first build fills it.
gocache_was_empty=0
[[ -z "$(ls -A "$("$go_bin" env GOCACHE)" 2>/dev/null | head -1)" ]] && gocache_was_empty=1
for entry in "${binaries[@]}"; do
  read -r name dir pkg module <<<"$entry"
  if up_to_date "$name" "$dir"; then
    echo "install-k8s-testbin: $name already built at $bin/$name"
    continue
  fi
  ldflags="-s -w"
  if [[ "$name" == kube-apiserver ]]; then
    # What hack/lib/version.sh stamps into a release build (the commit is not known offline).
    major="${kube_version#v}"; major="${major%%.*}"
    minor="${kube_version#v*.}"; minor="${minor%%.*}"
    for p in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
      ldflags+=" -X $p.gitVersion=$kube_version -X $p.gitMajor=$major -X $p.gitMinor=$minor"
      ldflags+=" -X $p.gitTreeState=clean -X $p.buildDate=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
    done
  fi
  echo "install-k8s-testbin: building $name ($pkg from $dir), this takes minutes"
  # Cold when the sources of the module that holds the package are not in the module cache yet, or
  # the build cache is empty (everything is compiled from scratch).
  main_module=$(awk -v m="$module" '$1 == m { print $1 "@" $2; exit }' "$root/$dir/go.mod")
  modcache=$(cd "$root/$dir" && "$go_bin" env GOMODCACHE)
  if [[ -n "$main_module" && -d "$modcache/$main_module" && $gocache_was_empty == 0 ]]; then
    temperature=warm
  else
    temperature=cold
  fi
  start=$(date +%s)
  rm -f "$cache/time.txt"
  if (cd "$root/$dir" && CGO_ENABLED=0 GOFLAGS="-buildvcs=false -mod=readonly" GOMAXPROCS="${GOMAXPROCS:-2}" \
        nice -n "${K8S_TESTBIN_NICE:-15}" "${timer[@]}" "$go_bin" build -trimpath -ldflags "$ldflags" \
        -o "$bin/$name.tmp" "$pkg"); then
    mv -f "$bin/$name.tmp" "$bin/$name"
    stamp_of "$dir" >"$bin/$name.stamp"
    peak=""
    kb=""
    if [[ -f "$cache/time.txt" ]]; then
      kb=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$cache/time.txt")
      [[ -n "$kb" ]] && peak=", peak memory $((kb / 1024)) MiB"
    fi
    echo "install-k8s-testbin: $name built in $(($(date +%s) - start)) s$peak ($(du -h "$bin/$name" | cut -f1), $temperature)"
    printf '%s\t%s\t%s\t%s\t%s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$name" "$(($(date +%s) - start))" "${kb:+$((kb / 1024))}" "$temperature" >>"$cache/builds.tsv"
  else
    failed=1
    rm -f "$bin/$name.tmp"
    echo "install-k8s-testbin: building $name FAILED after $(($(date +%s) - start)) s (Go error above)" >&2
    [[ -f "$cache/time.txt" ]] && sed 's/^/  /' "$cache/time.txt" >&2
  fi
done
rm -f "$cache/time.txt"
echo "install-k8s-testbin: finished in $(($(date +%s) - total_start)) s"
finish "$failed"
