#!/usr/bin/env bash
# Debian's database servers that toptasks starts itself (on a Unix socket, in a temp folder):
# PostgreSQL for a shared run history. Installed only when missing.
set -uo pipefail

missing=()
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
if [ ${#missing[@]} -eq 0 ]; then
    echo "services: PostgreSQL is installed"
    exit 0
fi
echo "services: installing Debian's ${missing[*]}"
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq && $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    echo "services: PostgreSQL could not be installed; a postgresql:// history needs a server" >&2
    exit 1
fi
