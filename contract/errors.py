"""Errors a user can cause, each with the exit code SPEC §3 gives it.

They are turned into one-line messages in exactly one place, the CLI.
"""


class ToptasksError(Exception):
    exit_code = 2


class UsageError(ToptasksError):
    """Bad command-line usage: exit 2."""

    exit_code = 2


class ConfigError(ToptasksError):
    """The task file is wrong: exit 2, the message names file, line and field."""

    exit_code = 2


class SiteError(ToptasksError):
    """The site could not be audited (unreachable, start page not HTML, robots.txt): exit 3."""

    exit_code = 3


class Interrupted(ToptasksError):
    """Ctrl-C or SIGTERM: what was measured is written, marked partial; 128 + the signal."""

    def __init__(self, signum: int, message: str = "") -> None:
        super().__init__(message or f"interrupted by signal {signum}")
        self.signum = signum
        self.exit_code = 128 + signum
