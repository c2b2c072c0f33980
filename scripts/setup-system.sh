#!/usr/bin/env bash
# Installs the system components the tests use (Debian/Ubuntu, apt-get), idempotently:
# Chromium for browser tests, OpenSSL with the GOST engine, SoftHSM2 + OpenSC for PKCS#11,
# xmlsec1 + lxml as the XML signature reference, libssl-dev to build the OpenSSL GOST signature
# benchmark (packages/gost/bench/openssl-gost-sign.c), and g++, make and python3 for node-gyp, which
# builds the pkcs11js native binding on install. Run as root, or with sudo available.
set -euo pipefail

packages=(chromium openssl libengine-gost-openssl libssl-dev softhsm2 opensc xmlsec1 python3-lxml g++ make python3)
here=$(cd "$(dirname "$0")/.." && pwd)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done

install_missing() {
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "setup-system: apt-get not found; install these packages by hand: ${missing[*]}" >&2
    exit 1
  fi
  local sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 || { echo "setup-system: run as root or install sudo" >&2; exit 1; }
    sudo=(sudo)
  fi
  echo "setup-system: installing ${missing[*]}"
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

if [ ${#missing[@]} -eq 0 ]; then
  echo "setup-system: all present (${packages[*]})"
else
  install_missing
fi

# Prove the GOST engine loads, since the interop tests depend on it through OPENSSL_CONF.
if ! printf abc | OPENSSL_CONF="$here/tooling/test-support/openssl-gost.cnf" openssl dgst -streebog256 >/dev/null; then
  echo "setup-system: openssl cannot load the GOST engine (package libengine-gost-openssl)" >&2
  exit 1
fi
echo "setup-system: ready"
