#!/usr/bin/env bash
# Installs code-server (VS Code OSS served to a browser) for the VS Code editor tests, into
# tests/e2e/.code-server (git-ignored), from the pinned package.json + package-lock.json in
# tests/e2e/code-server/. VS Code's own test downloaders fetch VS Code from the internet at test
# time; code-server comes from the npm registry alone, which is all these machines reach.
#
# Idempotent: a finished install leaves a stamp holding the checksum of the lockfile and of this
# script; when the stamp matches and the installed server answers --version, nothing is done.
# Needs (installed by setup.sh): Node 20 (code-server 4.100.3 refuses any other major), a C++
# toolchain for its native modules, Debian's ripgrep and libkrb5-dev.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
pinned="$here/code-server"
target="${PYM_CODE_SERVER_DIR:-$here/.code-server}"
version="$(node -p "require('$pinned/package.json').dependencies['code-server']")"
lock_sum="$(cat "$pinned/package-lock.json" "$here/setup-code-server.sh" | sha256sum | cut -d' ' -f1)"
stamp="$target/.installed"
bin="$target/node_modules/.bin/code-server"

if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$lock_sum" ] && [ -x "$bin" ] &&
  "$bin" --version 2>/dev/null | grep -q "^$version "; then
  echo "e2e setup: code-server $version already installed in $target"
  exit 0
fi

node_major="$(node -p 'process.versions.node.split(".")[0]')"
if [ "$node_major" != 20 ]; then
  echo "e2e setup: code-server $version needs Node 20; this is Node $(node --version)" >&2
  exit 1
fi
rg_path="$(command -v rg || true)"
if [ -z "$rg_path" ]; then
  echo "e2e setup: Debian's ripgrep (rg) is missing; run tests/e2e/setup.sh" >&2
  exit 1
fi

# The folder is wiped before installing: refuse one that holds anything but an earlier install.
if [ -n "$(ls -A "$target" 2>/dev/null)" ] && ! grep -qs '"python-mentor-e2e-code-server"' "$target/package.json"; then
  echo "e2e setup: $target is not empty and holds no earlier code-server install; not touching it" >&2
  exit 1
fi

started=$SECONDS
echo "e2e setup: installing code-server $version into $target"
rm -rf "$target"
mkdir -p "$target/tmp"
cp "$pinned/package.json" "$pinned/package-lock.json" "$target/"

# @vscode/ripgrep's postinstall downloads a ripgrep build from GitHub unless its cache already
# holds the archive; Debian's rg (same major version) in a tarball with rg at its root satisfies it.
# The cache lives in os.tmpdir(), so TMPDIR points inside the install folder for this install only.
export TMPDIR="$target/tmp"
rg_cache="$TMPDIR/vscode-ripgrep-cache-1.15.11"
mkdir -p "$rg_cache"
tar -czf "$rg_cache/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz" -C "$(dirname "$rg_path")" rg

# npm 11 runs no install script of a package that is not approved. package.json approves argon2
# (code-server's password hashing, built here by node-gyp) and denies code-server's postinstall:
# that one runs `npm install` again inside lib/vscode and lib/vscode/extensions, and those nested
# installs need approvals of their own, which npm accepts only from package.json or an npm config
# file, never from the environment an outer npm would hand them. So npm ci installs, then the
# postinstall runs here, by hand, with a config file approving the native modules VS Code's server
# needs on Linux (a copy of the machine's global npmrc, so settings such as cafile still apply).
global_rc="$(npm config get globalconfig 2>/dev/null || true)"
npmrc="$target/npmrc"
{
  if [ -n "$global_rc" ] && [ -f "$global_rc" ]; then cat "$global_rc"; echo; fi
  for package in @parcel/watcher @vscode/deviceid @vscode/ripgrep @vscode/spdlog kerberos native-watchdog node-pty; do
    echo "allow-scripts[]=$package"
  done
} >"$npmrc"
export npm_config_fund=false npm_config_audit=false npm_config_update_notifier=false

log="$target/install.log"
fail() {
  echo "e2e setup: $1; the last lines of $log:" >&2
  tail -n 40 "$log" >&2
  exit 1
}
(cd "$target" && npm ci --foreground-scripts >"$log" 2>&1) || fail "npm ci of code-server failed"
# The postinstall reads npm's user agent to check the Node version and to pick npm over yarn; as
# root it insists on unsafe-perm (an npm 6 setting, ignored by npm 11 with a warning).
(
  cd "$target/node_modules/code-server"
  export npm_config_user_agent="npm/$(npm --version) node/$(node --version) linux x64"
  export npm_config_globalconfig="$npmrc" npm_config_yes=true npm_config_unsafe_perm=true
  sh ./postinstall.sh >>"$log" 2>&1
) || fail "code-server's postinstall failed"

missing=()
for file in \
  node_modules/code-server/lib/vscode/node_modules/@vscode/ripgrep/bin/rg \
  node_modules/code-server/lib/vscode/node_modules/node-pty/build/Release/pty.node \
  node_modules/code-server/lib/vscode/node_modules/@vscode/spdlog/build/Release/spdlog.node; do
  [ -e "$target/$file" ] || missing+=("$file")
done
if [ "${#missing[@]}" -gt 0 ] || ! "$bin" --version | grep -q "^$version "; then
  fail "code-server installed but incomplete (missing: ${missing[*]:-none})"
fi

rm -rf "$target/tmp"
echo "$lock_sum" >"$stamp"
echo "e2e setup: code-server $version installed in $((SECONDS - started)) s"
