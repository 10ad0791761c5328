#!/usr/bin/env bash
# Make a Chromium available to Playwright: its own build where it can be downloaded,
# else Debian's `chromium` package (the code then launches /usr/bin/chromium itself).
set -uo pipefail
python="${1:-.venv/bin/python}"

own_browser_present() {
    "$python" - <<'PY'
import os, sys
from playwright.sync_api import sync_playwright
with sync_playwright() as p:
    sys.exit(0 if os.path.exists(p.chromium.executable_path) else 1)
PY
}

if own_browser_present; then
    echo "browser: Playwright's chromium is installed"
    exit 0
fi
if timeout 600 "$python" -m playwright install chromium >/tmp/toptasks-playwright-install.log 2>&1; then
    echo "browser: installed Playwright's chromium"
    exit 0
fi
if [ -x /usr/bin/chromium ]; then
    echo "browser: Playwright's download failed; using Debian's /usr/bin/chromium"
    exit 0
fi
echo "browser: Playwright's download failed; installing Debian's chromium"
bash "$(dirname "$0")/apt-install.sh" chromium
if [ -x /usr/bin/chromium ]; then
    echo "browser: installed /usr/bin/chromium"
else
    echo "browser: no Chromium could be installed; rendering will fail (use --no-render)" >&2
    exit 1
fi
