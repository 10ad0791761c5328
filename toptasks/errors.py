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
