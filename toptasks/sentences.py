"""One plain-language sentence per task, for a reader who will not open the CSV: how many clicks,
how long, and the one thing about the way in that costs customers most."""

from __future__ import annotations


def _goal(name: str) -> str:
    """ "Pay a bill" -> "pay a bill" (an acronym such as "ATM locator" keeps its capitals)."""
    first = name.split(" ", 1)[0]
    return name if first.isupper() or not name else name[0].lower() + name[1:]


def counted(n: int | str, word: str) -> str:
    """ "1 click", "3 clicks"."""
    one = str(n).strip() in ("1", "1.0")  # tasks.csv cells are strings: "1" is one too
    return f"{n} {word}{'' if one else 's'}"


def _number(cell: str) -> float | None:
    try:
        return float(cell)
    except (TypeError, ValueError):
        return None


def _way_in(task: dict[str, str]) -> str:
    """Where the first link on the path stands on the start page, if that costs customers."""
    link = f"the “{task['entry_text']}” link" if task.get("entry_text") else "the first link"
    desktop, mobile = task.get("entry_above_fold_desktop"), task.get("entry_above_fold_mobile")
    if task.get("entry_in_collapsed_menu_mobile") == "true":
        return f"on phones {link} is hidden in the menu"
    if desktop == "false" and mobile == "false":
        return f"{link} is below the fold on desktop and on phones"
    if mobile == "false":
        return f"on phones {link} is below the fold"
    if desktop == "false":
        return f"on desktop {link} is below the fold"
    return ""


def task_sentence(task: dict[str, str]) -> str:
    """E.g. "Customers need 4 clicks to pay a bill (about 16 s); on phones the “Pay” link is
    below the fold." Cells as tasks.csv writes them (strings, "" when missing)."""
    goal = _goal(task["task_name"])
    if task.get("reachable") != "true":
        return f"Customers cannot {goal} by following links from the start page."
    clicks = int(_number(task.get("clicks", "")) or 0)
    if clicks == 0:
        sentence = f"Customers can {goal} on the start page itself"
    else:
        sentence = f"Customers need {counted(clicks, 'click')} to {goal}"
    openings = int(_number(task.get("interactions", "")) or 0) - clicks
    if openings > 0:
        sentence += f", opening {counted(openings, 'menu')} on the way"
    seconds = _number(task.get("est_time_s", ""))
    if seconds is not None:
        sentence += f" (about {seconds:.0f} s)"
    way_in = _way_in(task) if clicks else ""
    return sentence + (f"; {way_in}." if way_in else ".")
