#!/usr/bin/env bash
# Installs what this machine lacks to build, run and test ReliefMesh on Debian or
# Ubuntu: system packages through apt-get (as root or with sudo; otherwise prints
# the exact command), then Go modules. npm modules are installed by the Makefile.
set -euo pipefail

PKGS=(gcc pkg-config libgtk-3-dev libwebkit2gtk-4.1-dev xvfb xauth x11-utils imagemagick fonts-noto-cjk chromium nodejs npm dbus-daemon)
# SETUP_EXTRA: more packages a target needs (make dist: nsis; dist-check: p7zip-full)
read -r -a extra <<<"${SETUP_EXTRA:-}"
PKGS+=("${extra[@]}")

missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# nodejs/npm may come from elsewhere (nvm, a tarball): accept any node ≥ 20 on PATH.
if command -v node >/dev/null && command -v npm >/dev/null; then
  tmp=(); for p in "${missing[@]}"; do [[ $p == nodejs || $p == npm ]] || tmp+=("$p"); done; missing=("${tmp[@]}")
fi

if ((${#missing[@]})); then
  cmd="apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ${missing[*]}"
  if [[ $(id -u) == 0 ]]; then
    echo "setup: installing ${missing[*]}"
    bash -c "$cmd"
  elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
    echo "setup: installing ${missing[*]} (sudo)"
    sudo bash -c "$cmd"
  else
    echo "setup: missing system packages: ${missing[*]}" >&2
    echo "run this, then try again:  sudo bash -c '$cmd'" >&2
    exit 1
  fi
fi

command -v go >/dev/null || { echo "setup: Go 1.26 or newer is needed (https://go.dev/doc/install)" >&2; exit 1; }
go mod download
