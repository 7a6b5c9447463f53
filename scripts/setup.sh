#!/usr/bin/env bash
# Installs everything Terrane needs on a fresh Debian 12 machine. Idempotent: a second run only
# checks. Runs as root or through sudo. Nothing is downloaded from outside Debian and npm.
# Usage: scripts/setup.sh [libreoffice]   (libreoffice: also LibreOffice Calc for `scripts/bench comp`)
#
# Index
#  [SECTION] Debian packages
#  [SECTION] Dear ImGui from Debian's stable source package
#  [SECTION] npm packages pinned in package-lock.json
set -euo pipefail
cd "$(dirname "$0")/.."
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive

# [SECTION] Debian packages
PKGS=(cmake ninja-build g++ clang lld libclang-rt-14-dev emscripten chromium fonts-inter
      libeigen3-dev nlohmann-json3-dev doctest-dev libfast-float-dev libnanoflann-dev libstb-dev
      dpkg-dev xz-utils ca-certificates python3-openpyxl)
# `setup.sh libreoffice`: also LibreOffice Calc (headless), which `scripts/bench comp` uses to
# recalculate the payout statements; kept out of the default set (CI time).
if [ "${1:-}" = "libreoffice" ]; then PKGS+=(libreoffice-calc-nogui); fi
# Node.js: keep an existing installation (it may not come from Debian); else Debian's.
if ! command -v node >/dev/null 2>&1; then PKGS+=(nodejs); fi
if ! command -v npm >/dev/null 2>&1; then PKGS+=(npm); fi
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  $SUDO apt-get update -q
  $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# [SECTION] Dear ImGui from Debian's stable source package
IMGUI_VERSION="1.90.1+ds-1"
IMGUI_DIR="third_party/imgui"
if [ "$(cat "$IMGUI_DIR/.debian-version" 2>/dev/null)" != "$IMGUI_VERSION" ]; then
  SRC_LIST=/etc/apt/sources.list.d/terrane-deb-src.sources
  if [ ! -f "$SRC_LIST" ]; then
    # Copy this machine's own Debian entry (never a host name written into the repo).
    uri="" keyring=""
    for f in /etc/apt/sources.list.d/*.sources; do
      [ -f "$f" ] || continue
      uri=$(awk '/^URIs:/ {for (i = 2; i <= NF; i++) if ($i ~ /\/debian\/?$/) {print $i; exit}}' "$f")
      if [ -n "$uri" ]; then keyring=$(awk '/^Signed-By:/ {print $2; exit}' "$f"); break; fi
    done
    if [ -z "$uri" ] && [ -f /etc/apt/sources.list ]; then
      uri=$(awk '$1 == "deb" && $3 !~ /security/ {for (i = 2; i <= NF; i++) if ($i ~ /^(https?|file|cdrom):/) {print $i; exit}}' /etc/apt/sources.list)
    fi
    if [ -z "$uri" ]; then echo "setup: no Debian apt source found to derive a deb-src entry from" >&2; exit 1; fi
    keyring=${keyring:-/usr/share/keyrings/debian-archive-keyring.gpg}
    printf 'Types: deb-src\nURIs: %s\nSuites: stable\nComponents: main\nSigned-By: %s\n' "$uri" "$keyring" | $SUDO tee "$SRC_LIST" >/dev/null
  fi
  $SUDO apt-get update -q
  if ! apt-cache showsrc imgui 2>/dev/null | grep -qx "Version: $IMGUI_VERSION"; then
    echo "setup: imgui $IMGUI_VERSION is not in the stable source suite; available:" >&2
    apt-cache showsrc imgui | grep '^Version' >&2 || true
    exit 1
  fi
  work=$(mktemp -d)
  chmod 755 "$work"
  (cd "$work" && apt-get source -q "imgui=$IMGUI_VERSION" >/dev/null)
  rm -rf "$IMGUI_DIR"
  mkdir -p third_party
  mv "$work"/imgui-1.90.1+ds "$IMGUI_DIR"
  echo "$IMGUI_VERSION" > "$IMGUI_DIR/.debian-version"
  rm -rf "$work"
  echo "setup: Dear ImGui $IMGUI_VERSION unpacked into $IMGUI_DIR"
fi

# [SECTION] npm packages pinned in package-lock.json
lock_hash=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ "$(cat node_modules/.terrane-lock 2>/dev/null)" != "$lock_hash" ]; then
  npm ci --no-audit --no-fund --ignore-scripts
  echo "$lock_hash" > node_modules/.terrane-lock
fi
echo "setup: ok"
