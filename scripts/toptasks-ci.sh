#!/usr/bin/env bash
# toptasks in CI: the one script behind action.yml, the GitLab CI job and the Dockerfile.
#
#   toptasks-ci.sh install    install toptasks (from this checkout, or TOPTASKS_PACKAGE) and a
#                             Chromium (Playwright's, else Debian's chromium package)
#   toptasks-ci.sh audit      audit TOPTASKS_URL with TOPTASKS_TASKS into TOPTASKS_OUT, check it
#                             (against TOPTASKS_BASELINE when that folder holds a run), write a
#                             Markdown summary to $GITHUB_STEP_SUMMARY (or TOPTASKS_SUMMARY)
#
# audit's inputs, all from the environment:
#   TOPTASKS_URL        the site (required)          TOPTASKS_TASKS     the config (required)
#   TOPTASKS_OUT        default toptasks-results     TOPTASKS_BASELINE  an earlier run's folder
#   TOPTASKS_FAIL_ON    check (default): exit 1 when a budget or regression check fails;
#                       never: report, but exit 0 unless the site could not be audited
#   TOPTASKS_WORKERS    crawl processes (--workers)  TOPTASKS_ARGS      more `audit` options
# Exit codes are toptasks' own: 0 pass, 1 a check failed, 2 bad config, 3 site not auditable.
set -uo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"

install() {
    local python="${TOPTASKS_PYTHON:-python3}"
    "$python" -m pip install -q --upgrade pip
    "$python" -m pip install -q "${TOPTASKS_PACKAGE:-$here}" || exit 2
    # A hosted runner has sudo and no browser libraries: Playwright brings both. Elsewhere
    # (no download, no sudo) install-browser.sh falls back to Debian's chromium.
    if "$python" -m playwright install --with-deps chromium >/tmp/toptasks-ci-browser.log 2>&1; then
        echo "toptasks-ci: installed Playwright's chromium"
    else
        bash "$here/scripts/install-browser.sh" "$python" || exit 3
    fi
    toptasks doctor
}

audit() {
    : "${TOPTASKS_URL:?TOPTASKS_URL (the site to audit) is not set}"
    : "${TOPTASKS_TASKS:?TOPTASKS_TASKS (the task config) is not set}"
    local out="${TOPTASKS_OUT:-toptasks-results}" fail_on="${TOPTASKS_FAIL_ON:-check}"
    local summary="${GITHUB_STEP_SUMMARY:-${TOPTASKS_SUMMARY:-}}"
    case "$fail_on" in check | never) ;; *)
        echo "toptasks-ci: error: fail-on must be 'check' or 'never', not '$fail_on'" >&2
        exit 2 ;;
    esac
    local args=(audit "$TOPTASKS_URL" --tasks "$TOPTASKS_TASKS" --out "$out" --force)
    local baseline="${TOPTASKS_BASELINE:-}"
    if [ -n "$baseline" ] && [ -f "$baseline/tasks.csv" ]; then
        args+=(--baseline "$baseline")
    elif [ -n "$baseline" ]; then
        echo "toptasks-ci: no run in $baseline (first run?): checking budgets only" >&2
        baseline=""
    fi
    [ -n "${TOPTASKS_WORKERS:-}" ] && args+=(--workers "$TOPTASKS_WORKERS")
    # shellcheck disable=SC2206 # TOPTASKS_ARGS is a list of options, split on spaces
    [ -n "${TOPTASKS_ARGS:-}" ] && args+=(${TOPTASKS_ARGS})
    toptasks "${args[@]}"
    local rc=$?
    if [ "$rc" -eq 0 ] && [ -z "$baseline" ] && [ -f "$out/tasks.csv" ]; then
        toptasks check "$out"  # --baseline checked already; without one, the budgets
        rc=$?
    fi
    if [ -n "$summary" ] && [ -f "$out/tasks.csv" ]; then
        toptasks summary "$out" >>"$summary"
    fi
    [ -n "${GITHUB_OUTPUT:-}" ] && echo "results=$out" >>"$GITHUB_OUTPUT"
    if [ "$rc" -eq 1 ] && [ "$fail_on" = never ]; then
        echo "toptasks-ci: checks failed; fail-on is 'never', so the job passes" >&2
        rc=0
    fi
    exit "$rc"
}

baseline_artifact() {  # action.yml: "artifact:NAME" -> the artifact's NAME, as a step output
    echo "name=${TOPTASKS_BASELINE#artifact:}" >>"${GITHUB_OUTPUT:-/dev/stdout}"
}

case "${1:-}" in
    install) install ;;
    audit) audit ;;
    baseline-artifact) baseline_artifact ;;
    *) echo "usage: toptasks-ci.sh install|audit|baseline-artifact" >&2; exit 2 ;;
esac
