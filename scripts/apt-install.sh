#!/usr/bin/env bash
# Install Debian packages: as root directly, else through sudo. `apt-get update` first, since a
# fresh machine's package lists are empty. Options (--no-install-recommends) may come first.
# Used by install-browser.sh and install-services.sh.
set -uo pipefail
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq && $sudo apt-get install -y -qq "$@" >/dev/null
