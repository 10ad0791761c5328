"""Task and site scores, in the spirit of McGovern's Task Performance Indicator.

score, 0-100 per task (0 when unreachable), a weighted blend of four parts, each 0-100:
  findability 35%: 100 while interactions (clicks plus menu openings) stay within the task's
                   budget `max_clicks` (default 2), minus 20 for each one beyond
  visibility  30%: visibility_score
  speed       20%: 100 while est_time_s stays within `max_time_s` (default 10 s), then
                   100 x budget / est_time_s
  distraction 15%: 100 - distraction_score
A part the run did not measure (no rendering) is left out and the others re-weighted.
The site score is the tasks' scores weighted by their `weight`.
Every part is non-increasing in clicks, interactions, time and distraction, so one more click
or a lost above-the-fold never raises a score.
"""

from __future__ import annotations

DEFAULT_MAX_CLICKS = 2
PENALTY_PER_EXTRA_STEP = 20
DEFAULT_MAX_TIME_S = 10.0
PARTS = {"findability": 0.35, "visibility": 0.30, "speed": 0.20, "distraction": 0.15}


def findability_part(steps: int, allowed: int) -> float:
    return max(0.0, 100.0 - PENALTY_PER_EXTRA_STEP * max(0, steps - allowed))


def speed_part(seconds: float, allowed_s: float) -> float:
    return 100.0 if seconds <= allowed_s else 100.0 * allowed_s / seconds


def task_score(
    reachable: bool,
    steps: int | None,
    visibility: float | None,
    est_time_s: float | None,
    distraction: float | None,
    max_clicks: int | None = None,
    max_time_s: float | None = None,
) -> float:
    if not reachable or steps is None:
        return 0.0
    parts = {
        "findability": findability_part(
            steps, max_clicks if max_clicks is not None else DEFAULT_MAX_CLICKS
        )
    }
    if visibility is not None:
        parts["visibility"] = visibility
    if est_time_s is not None:
        parts["speed"] = speed_part(est_time_s, max_time_s or DEFAULT_MAX_TIME_S)
    if distraction is not None:
        parts["distraction"] = 100.0 - distraction
    total_weight = sum(PARTS[name] for name in parts)
    return round(sum(PARTS[name] * value for name, value in parts.items()) / total_weight, 1)


def site_score(scores: dict[str, float], weights: dict[str, float]) -> float:
    total = sum(weights[t] for t in scores) or 1.0
    return round(sum(scores[t] * weights[t] for t in scores) / total, 1)
