#!/usr/bin/env bash
# Installs the registry part of the real-site corpus (issue 34 part 5) into a cache folder outside
# the repository. Nothing installed here is ever committed: only this recipe, the tasks and the truth.
#
#   bash bench/real_sites/setup.sh            # npm templates, the Docusaurus build, Debian packages
#   bash bench/real_sites/setup.sh --no-apt   # skip apt-get (the Debian sites are then skipped)
#
# Cache: $TOPTASKS_REAL_SITES, default ~/.cache/toptasks-real-sites. Idempotent: each part is
# installed once (a stamp file per part).
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
CACHE="${TOPTASKS_REAL_SITES:-$HOME/.cache/toptasks-real-sites}"
APT=1
[ "${1:-}" = "--no-apt" ] && APT=0
mkdir -p "$CACHE"

# 1. npm: Bootstrap templates (Start Bootstrap, AdminLTE) and the French state's design system.
if [ ! -f "$CACHE/npm/.done" ] || ! cmp -s "$HERE/npm/package.json" "$CACHE/npm/package.json"; then
  rm -rf "$CACHE/npm" && mkdir -p "$CACHE/npm"
  cp "$HERE/npm/package.json" "$CACHE/npm/"
  # AdminLTE 3's pages load jQuery, Bootstrap 4 ... from plugins/, which its own "plugins" script
  # fills from node_modules: adminlte_plugins.js does the same.
  (cd "$CACHE/npm" && npm install --ignore-scripts --no-audit --no-fund --loglevel=error \
    && node "$HERE/adminlte_plugins.js")
  touch "$CACHE/npm/.done"
fi

# 2. A built React app: Docusaurus's own "classic" starter site, as its generator writes it,
#    built for production (server-rendered pages that React hydrates).
DOCUSAURUS=3.10.2
if [ ! -f "$CACHE/docusaurus/.done-$DOCUSAURUS" ]; then
  rm -rf "$CACHE/docusaurus" && mkdir -p "$CACHE/docusaurus"
  (cd "$CACHE/docusaurus" \
    && npx --yes "create-docusaurus@$DOCUSAURUS" site classic --javascript --skip-install \
    && cd site \
    && npm install --no-audit --no-fund --loglevel=error \
    && DOCUSAURUS_TELEMETRY_DISABLED=1 npm run build)
  touch "$CACHE/docusaurus/.done-$DOCUSAURUS"
fi

# 3. Debian: packaged documentation sites and DokuWiki (PHP, served by `php -S`).
DEBS=(php-cli dokuwiki mkdocs-doc python3-doc python-git-doc debian-reference-de debian-handbook)
if [ "$APT" = 1 ]; then
  missing=()
  for deb in "${DEBS[@]}"; do
    dpkg -s "$deb" >/dev/null 2>&1 || missing+=("$deb")
  done
  if [ "${#missing[@]}" -gt 0 ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
  fi
  # DokuWiki: a private copy of the package's code, configuration (/etc/dokuwiki) and pages
  # (/var/lib/dokuwiki), in German; the stamp keeps a rerun from wiping what a run changed.
  if [ ! -f "$CACHE/dokuwiki/.done" ]; then
    rm -rf "$CACHE/dokuwiki"
    cp -rL /usr/share/dokuwiki "$CACHE/dokuwiki"
    mkdir -p "$CACHE/dokuwiki/conf"
    cp -rL /etc/dokuwiki/. "$CACHE/dokuwiki/conf/"
    cp -rL /var/lib/dokuwiki/data "$CACHE/dokuwiki/data"
    cat > "$CACHE/dokuwiki/inc/preload.php" <<'PHP'
<?php
if (!defined('DOKU_CONF')) define('DOKU_CONF', dirname(__DIR__) . '/conf/');
PHP
    cat > "$CACHE/dokuwiki/conf/local.php" <<'PHP'
<?php
$conf['savedir'] = dirname(__DIR__) . '/data';
$conf['title'] = 'Debian DokuWiki';
$conf['lang'] = 'de';
$conf['license'] = 'cc-by-sa';
$conf['useacl'] = 1;
$conf['superuser'] = '@admin';
PHP
    for f in acl.auth.php users.auth.php; do
      [ -f "$CACHE/dokuwiki/conf/$f" ] || cp "$CACHE/dokuwiki/conf/$f.dist" "$CACHE/dokuwiki/conf/$f"
    done
    touch "$CACHE/dokuwiki/.done"
  fi
fi
echo "real sites installed in $CACHE"
