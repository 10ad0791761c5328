#!/usr/bin/env bash
# Debian's database servers that toptasks starts itself (on a Unix socket, in a temp folder):
# PostgreSQL for a shared run history, Redis for the frontier that crawl workers share.
# Installed only when missing.
set -uo pipefail

missing=()
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
[ -x /usr/bin/redis-server ] || missing+=(redis-server)
if [ ${#missing[@]} -eq 0 ]; then
    echo "services: PostgreSQL and Redis are installed"
    exit 0
fi
echo "services: installing Debian's ${missing[*]}"
bash "$(dirname "$0")/apt-install.sh" --no-install-recommends "${missing[@]}"
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    echo "services: PostgreSQL could not be installed; a postgresql:// history needs a server" >&2
    exit 1
fi
if ! [ -x /usr/bin/redis-server ]; then
    echo "services: Redis could not be installed; --workers needs redis-server" >&2
    exit 1
fi
