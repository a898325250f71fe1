#!/usr/bin/env bash
# Installs what the editor tests need, idempotently: Debian packages (as root, or through sudo)
# and code-server in its own folder (tests/e2e/.code-server, never the extension's dependencies).
set -euo pipefail
cd "$(dirname "$0")"

APT_PACKAGES=(chromium neovim ripgrep libkrb5-dev emacs-nox elpa-eglot)
missing=()
for package in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ "${#missing[@]}" -gt 0 ]; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  echo "e2e setup: installing ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

if [ -x ./setup-code-server.sh ]; then ./setup-code-server.sh; fi
