"""The one error hierarchy of dataforge and its fixed exit codes.

Every failure a user can cause is a :class:`DataforgeError` subclass carrying a one-line
message and a hint. The CLI maps them to exit codes in one place (``cli.run_guarded``);
the codes are part of the public contract and documented in ``docs/exit-codes.md``.
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """Process exit codes. Stable: scripts and CI depend on them."""

    OK = 0
    INTERNAL = 1
    USAGE = 2
    REQUIREMENT = 3
    NOT_UNDERSTOOD = 4
    TARGET = 5
    PROJECT = 6
    DATA = 7
    VALIDATION = 8
    BEHIND = 9  # `check`: the installed blueprints render the project differently
    CONFLICTS = 10  # `update`: files were left with conflict markers
    INTERRUPTED = 130


class DataforgeError(Exception):
    """Base of every error dataforge reports to a user as one line plus a hint."""

    exit_code: ExitCode = ExitCode.INTERNAL
    default_hint: str = "Run with --help to see the usage."

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint or self.default_hint


class UsageError(DataforgeError):
    """Raised when an option value is unknown or malformed (``--pattern foo``, ``--set x``)."""

    exit_code = ExitCode.USAGE


class RequirementError(DataforgeError):
    """Raised when the requirement text itself is unusable: empty, too long or binary."""

    exit_code = ExitCode.REQUIREMENT
    default_hint = 'Describe the pipeline in one sentence, e.g. "nightly load of Postgres into Snowflake".'


class NotUnderstoodError(DataforgeError):
    """Raised when no data technology or intent could be recognised in the requirement."""

    exit_code = ExitCode.NOT_UNDERSTOOD
    default_hint = (
        'Name a source and a destination, e.g. "Kafka to BigQuery streaming"; '
        "run `dataforge catalog` to see the technologies dataforge knows."
    )


class TargetError(DataforgeError):
    """Raised when the output location cannot be used: a file, a non-empty folder, read-only."""

    exit_code = ExitCode.TARGET
    default_hint = "Choose another --output folder or --name."


class BusyError(TargetError):
    """Raised when another dataforge command is writing into the same project (see `project.exclusive`)."""


class Interrupted(DataforgeError, KeyboardInterrupt):
    """A Ctrl-C or SIGTERM, re-raised once dataforge knows what it left, with a message that says so.

    Still a KeyboardInterrupt, so library callers that stop on one keep doing so; the CLI reports it as
    any DataforgeError (its message, its hint, exit 130).
    """

    exit_code = ExitCode.INTERRUPTED
    default_hint = "Run the command again."


class ProjectError(DataforgeError):
    """Raised when a command needs a dataforge project and the folder is not one (or is corrupt)."""

    exit_code = ExitCode.PROJECT
    default_hint = "Run the command inside a folder created by `dataforge new`."


class DataError(DataforgeError):
    """Raised when an input data file is missing, empty, unreadable or not tabular."""

    exit_code = ExitCode.DATA
    default_hint = "Pass a readable .csv, .parquet, .json or .jsonl file with a header row."


class GenerationError(DataforgeError):
    """Raised when a rendered project fails its own validation before it is moved into place."""

    exit_code = ExitCode.VALIDATION
    default_hint = "Nothing was written. Please report this with the command you ran."
