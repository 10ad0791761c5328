"""Audit every real site as a user would and compare the answers with the truth found by hand.

    python bench/real_sites/run.py                 # set up (setup.sh), then audit every site
    python bench/real_sites/run.py --no-setup sb-admin dokuwiki
    python bench/real_sites/run.py --reuse DIR     # compare the audits already in DIR again

For each site: serve it on 127.0.0.1 (serve.py), run `toptasks audit URL --tasks FILE --out DIR
--no-throttle`, read tasks.csv and findings.csv, and compare with truth/SITE.yaml. Prints a
precision/recall table per answer and every disagreement. Exit 0 unless an audit failed to run.

Answers compared (per task; per viewport where the product has per-viewport columns):
reachable, clicks, interactions_{desktop,mobile}, entry_above_fold_{desktop,mobile},
entry_in_collapsed_menu_{desktop,mobile}; and findings by kind: unreachable,
entry_in_collapsed_menu, entry_below_fold (these three follow from the per-task truth),
entry_hidden, menu_opener_unlabelled, dead_control, modal, cookie_wall (written in the truth).
A boolean answer counts "true" as the positive class; a number is right only when equal; a
finding is matched on (kind, task, viewport), site-wide kinds (modal, cookie_wall) on
(kind, viewport), a dead_control on (its words, viewport).
"""

from __future__ import annotations

import argparse
import csv
import re
import subprocess
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import yaml

try:
    from serve import serving
    from sites import HERE, SITES, Site, by_name, cache
except ImportError:  # imported as bench.real_sites.run
    from .serve import serving
    from .sites import HERE, SITES, Site, by_name, cache

TOPTASKS = Path(__file__).resolve().parents[2] / ".venv" / "bin" / "toptasks"
VIEWPORTS = ("desktop", "mobile")
SITE_WIDE = ("modal", "cookie_wall")
WRITTEN = ("entry_hidden", "menu_opener_unlabelled", "dead_control", "modal", "cookie_wall")
DERIVED = ("unreachable", "entry_in_collapsed_menu", "entry_below_fold")


@dataclass
class Score:
    """Counts for one answer: booleans by class, numbers by equality."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0
    missing: int = 0  # the product left it empty
    n: int = 0
    right: int = 0

    def add_bool(self, truth: bool, product: bool | None) -> bool:
        self.n += 1
        self.right += truth == product
        if product is None:
            self.missing += 1
            if truth:
                self.fn += 1
            return False
        if truth and product:
            self.tp += 1
        elif truth:
            self.fn += 1
        elif product:
            self.fp += 1
        else:
            self.tn += 1
        return truth == product

    def add_number(self, truth: int | None, product: int | None) -> bool:
        self.n += 1
        self.right += truth == product
        if product is None:
            self.missing += 1
        if truth is None and product is None:
            self.tn += 1
            return True
        if truth == product:
            self.tp += 1
            return True
        if product is not None:
            self.fp += 1
        if truth is not None:
            self.fn += 1
        return False

    def row(self) -> tuple[int, str, str, str]:
        n = self.n or self.tp + self.fp + self.fn
        precision = self.tp / (self.tp + self.fp) if self.tp + self.fp else None
        recall = self.tp / (self.tp + self.fn) if self.tp + self.fn else None
        agree = self.right / self.n if self.n else None

        def pct(x: float | None) -> str:
            return "   -" if x is None else f"{x:4.0%}"

        return n, pct(precision), pct(recall), pct(agree)


@dataclass
class Report:
    scores: dict[str, Score] = field(default_factory=lambda: defaultdict(Score))
    disagreements: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)


def parse_bool(value: str | None) -> bool | None:
    if value in (None, ""):
        return None
    return value.strip().lower() == "true"


def parse_int(value: str | None) -> int | None:
    if value in (None, ""):
        return None
    return int(float(value))


def audit(site: Site, out: Path, timeout: int) -> str | None:
    """Run the product on the served site; return an error in words, or None."""
    out.mkdir(parents=True, exist_ok=True)
    with serving(site) as url:
        command = [str(TOPTASKS), "audit", url, "--tasks", str(site.tasks), "--out", str(out)]
        command += ["--no-throttle", "--no-history"]
        started = time.monotonic()
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            return f"timed out after {timeout} s"
        (out / "audit.log").write_text(done.stdout + done.stderr, encoding="utf-8")
        print(f"  {site.name}: audit exit {done.returncode} in {time.monotonic() - started:.0f} s")
    if not (out / "tasks.csv").exists():
        return f"exit {done.returncode}, no tasks.csv: {done.stderr.strip()[-300:]}"
    return None


def read_csv(path: Path) -> list[dict[str, str]]:
    if not path.exists():
        return []
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def product_column(row: dict[str, str], name: str, viewport: str) -> str | None:
    """A per-viewport column, or for interactions the single one when no per-viewport exists."""
    if f"{name}_{viewport}" in row:
        return row[f"{name}_{viewport}"]
    return row.get(name)


def truth_findings(truth: dict) -> set[tuple[str, str, str]]:
    """(kind, task, viewport) a person reports, written and derived."""
    found: set[tuple[str, str, str]] = set()
    for task, per_view in truth["tasks"].items():
        for viewport, t in per_view.items():
            if not t["reachable"]:
                found.add(("unreachable", task, ""))
                continue
            if t.get("in_collapsed_menu"):
                found.add(("entry_in_collapsed_menu", task, viewport))
            elif (
                not t.get("above_fold")
                and t.get("entry_displayed", True)
                and not t.get("entry_covered")
                and t.get("clicks")
            ):
                found.add(("entry_below_fold", task, viewport))
    for kind, items in (truth.get("findings") or {}).items():
        for item in items or []:
            task = "" if kind in SITE_WIDE else item.get("task", "")
            if kind == "dead_control":  # matched on the control's words, not its task
                task = item["control"].strip().lower()
            found.add((kind, task, item["viewport"]))
    return found


def product_findings(rows: list[dict[str, str]]) -> set[tuple[str, str, str]]:
    found: set[tuple[str, str, str]] = set()
    for row in rows:
        kind = row.get("kind", "")
        if kind not in WRITTEN + DERIVED:
            continue
        task = "" if kind in SITE_WIDE else row.get("task_id", "")
        if kind == "dead_control":  # the detail starts with the control's words in quotes
            words = re.match(r"\s*'([^']*)'", row.get("detail", ""))
            task = (words.group(1) if words else row.get("element", "")).strip().lower()
        viewport = "" if kind == "unreachable" else row.get("viewport", "")
        found.add((kind, task, viewport))
    return found


def compare(site: Site, out: Path, report: Report) -> None:
    truth = yaml.safe_load(site.truth.read_text(encoding="utf-8"))
    rows = {r["task_id"]: r for r in read_csv(out / "tasks.csv")}
    for task, per_view in truth["tasks"].items():
        row = rows.get(task, {})
        desk = per_view["desktop"]
        reach = desk["reachable"] or per_view["mobile"]["reachable"]
        checks: list[tuple[str, str, object, object, bool]] = []
        ok = report.scores["reachable"].add_bool(reach, parse_bool(row.get("reachable")))
        checks.append(("reachable", "", reach, row.get("reachable"), ok))
        clicks = [t["clicks"] for t in per_view.values() if t["reachable"]]
        want = min(clicks) if clicks else None
        got = parse_int(row.get("clicks"))
        ok = report.scores["clicks"].add_number(want, got)
        checks.append(("clicks", "", want, got, ok))
        for viewport in VIEWPORTS:
            t = per_view[viewport]
            got_i = parse_int(product_column(row, "interactions", viewport))
            want_i = t["interactions"] if t["reachable"] else None
            ok = report.scores[f"interactions_{viewport}"].add_number(want_i, got_i)
            checks.append(("interactions", viewport, want_i, got_i, ok))
            for answer, key in (
                ("entry_above_fold", "above_fold"),
                ("entry_in_collapsed_menu", "in_collapsed_menu"),
            ):
                got_b = parse_bool(row.get(f"{answer}_{viewport}"))
                ok = report.scores[f"{answer}_{viewport}"].add_bool(bool(t[key]), got_b)
                checks.append((answer, viewport, bool(t[key]), got_b, ok))
        for answer, viewport, want_v, got_v, ok in checks:
            if not ok:
                note = (per_view.get(viewport) or desk).get("note", "") if viewport else ""
                path = row.get("entry_menu_path", "")
                report.disagreements.append(
                    f"{site.name} {task} {answer}{'_' + viewport if viewport else ''}: "
                    f"truth {want_v}, product {got_v if got_v not in (None, '') else '(empty)'}"
                    f"{f' [product menu path: {path}]' if path else ''}"
                    f"{f' -- truth: {note}' if note else ''}"
                )
    want_f = truth_findings(truth)
    got_f = product_findings(read_csv(out / "findings.csv"))
    for kind in DERIVED + WRITTEN:
        score = report.scores[f"finding {kind}"]
        for key in sorted(want_f | got_f):
            if key[0] != kind:
                continue
            if key in want_f and key in got_f:
                score.tp += 1
            elif key in want_f:
                score.fn += 1
                report.disagreements.append(
                    f"{site.name} finding {kind} {key[1] or '-'} {key[2] or ''}: "
                    "a person reports it, the product does not"
                )
            else:
                score.fp += 1
                report.disagreements.append(
                    f"{site.name} finding {kind} {key[1] or '-'} {key[2] or ''}: "
                    "the product reports it, a person does not"
                )


def print_table(report: Report) -> None:
    print()
    print(f"{'answer':42} {'n':>4} {'precision':>9} {'recall':>7} {'agree':>6}")
    order = ["reachable", "clicks"]
    for viewport in VIEWPORTS:
        order += [
            f"interactions_{viewport}",
            f"entry_above_fold_{viewport}",
            f"entry_in_collapsed_menu_{viewport}",
        ]
    order += [f"finding {k}" for k in DERIVED + WRITTEN]
    for name in order:
        score = report.scores.get(name, Score())
        n, precision, recall, agree = score.row()
        missing = f"  ({score.missing} empty)" if score.missing else ""
        print(f"{name:42} {n:>4} {precision:>9} {recall:>7} {agree:>6}{missing}")


def truth_summary(chosen: list[Site]) -> None:
    """Per site: tasks, and per viewport the interactions, entries above the fold and in a
    collapsed menu; and the findings a person reports."""
    print(
        f"{'site':20} {'tasks':>5} {'unreach':>7} {'inter d/m':>10} {'fold d/m':>9} "
        f"{'menu d/m':>9}  findings"
    )
    for site in chosen:
        truth = yaml.safe_load(site.truth.read_text(encoding="utf-8"))
        tasks = truth["tasks"].values()
        line = f"{site.name:20} {len(tasks):>5} "
        line += f"{sum(not t['desktop']['reachable'] for t in tasks):>7} "
        inter = [sum(t[v]["interactions"] or 0 for t in tasks) for v in VIEWPORTS]
        fold = [sum(bool(t[v]["above_fold"]) for t in tasks) for v in VIEWPORTS]
        menu = [sum(bool(t[v]["in_collapsed_menu"]) for t in tasks) for v in VIEWPORTS]
        line += f"{inter[0]:>4}/{inter[1]:<5} {fold[0]:>4}/{fold[1]:<4} {menu[0]:>4}/{menu[1]:<4} "
        kinds = {k: len(v or []) for k, v in (truth.get("findings") or {}).items() if v}
        print(line + " " + ", ".join(f"{k} {n}" for k, n in kinds.items()))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sites", nargs="*", help="site names (default: every installed site)")
    parser.add_argument("--no-setup", action="store_true", help="do not run setup.sh first")
    parser.add_argument("--out", type=Path, help="folder for the audits")
    parser.add_argument("--reuse", type=Path, help="compare the audits already in this folder")
    parser.add_argument("--timeout", type=int, default=900, help="seconds per audit")
    parser.add_argument("--truth", action="store_true", help="summarise the truth and stop")
    args = parser.parse_args()
    if args.truth:
        truth_summary([by_name(n) for n in args.sites] if args.sites else SITES)
        return 0
    if not args.no_setup and not args.reuse:
        subprocess.run(["bash", str(HERE / "setup.sh")], check=True)
    chosen = [by_name(n) for n in args.sites] if args.sites else SITES
    out = args.reuse or args.out or cache() / "runs" / time.strftime("%Y%m%d-%H%M%S")
    print(f"audits in {out}")
    report = Report()
    for site in chosen:
        if not site.installed():
            print(f"  {site.name}: not installed ({site.folder}), skipped")
            continue
        folder = out / site.name
        if not args.reuse:
            error = audit(site, folder, args.timeout)
            if error:
                report.failures.append(f"{site.name}: {error}")
                print(f"  {site.name}: audit failed: {error}")
                continue
        compare(site, folder, report)
    print_table(report)
    print(f"\ndisagreements ({len(report.disagreements)}):")
    for line in report.disagreements:
        print(f"  {line}")
    for line in report.failures:
        print(f"  AUDIT FAILED {line}")
    return 1 if report.failures else 0


if __name__ == "__main__":
    sys.exit(main())
