"""The command line: parses options, calls `dataforge.commands`, shows results, maps errors to exit codes.

Start-up time matters (`dataforge --help` runs often), so this module imports only Typer and
the error types; everything heavy is imported inside the command that needs it.
"""

from __future__ import annotations

import _signal  # type: ignore[import-not-found]  # C module: `signal` imports enum, slower than a Ctrl-C
import os
import sys

_INTERRUPTED = b"error: Interrupted.\nhint: Nothing was written; run the command again.\n"


def _interrupted_while_starting(signum: int, frame: object) -> None:
    """Ctrl-C before a command runs (Python is still importing): nothing was written, so just stop quietly."""
    os.write(2, _INTERRUPTED)
    os._exit(130)


def _run_as_dataforge() -> bool:
    """Whether this process is the `dataforge` program (not a test or a library importing this module)."""
    program = os.path.basename(sys.argv[0]) if sys.argv else ""
    main_module = program == "__main__.py" and os.path.basename(os.path.dirname(sys.argv[0])) == "dataforge"
    return program in {"dataforge", "dataforge.exe"} or main_module


# Installed before the slow imports below, so an early Ctrl-C prints two lines instead of a traceback;
# `guarded` puts Python's own handler back once a command runs, so its cleanup code sees KeyboardInterrupt.
if _run_as_dataforge() and _signal.getsignal(_signal.SIGINT) is _signal.default_int_handler:
    _signal.signal(_signal.SIGINT, _interrupted_while_starting)

import functools  # noqa: E402
import json  # noqa: E402
import signal  # noqa: E402
from collections.abc import Callable  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Annotated, ParamSpec, TypeVar  # noqa: E402

import typer  # noqa: E402

from dataforge import __version__  # noqa: E402
from dataforge.errors import DataforgeError, ExitCode  # noqa: E402

P = ParamSpec("P")
R = TypeVar("R")

app = typer.Typer(
    name="dataforge",
    help="Turn one sentence of data-engineering intent into a working, tested repository.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _fail(message: str, hint: str, code: int) -> typer.Exit:
    typer.echo(f"error: {message}", err=True)
    typer.echo(f"hint: {hint}", err=True)
    return typer.Exit(code)


def guarded(command: Callable[P, R]) -> Callable[P, R]:
    """The one place that turns errors into a one-line message, a hint and an exit code."""

    @functools.wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            if signal.getsignal(signal.SIGINT) is _interrupted_while_starting:
                signal.signal(signal.SIGINT, signal.default_int_handler)
            return command(*args, **kwargs)
        except DataforgeError as error:
            raise _fail(error.message, error.hint, int(error.exit_code)) from None
        except KeyboardInterrupt:
            raise _fail(
                "Interrupted.", "Nothing was left half-written; run the command again.", 130
            ) from None
        except (typer.Exit, typer.Abort):
            raise
        except Exception as error:
            if os.environ.get("DATAFORGE_DEBUG"):
                raise
            raise _fail(
                f"Internal error: {type(error).__name__}: {error}".splitlines()[0],
                "This is a bug in dataforge. Re-run with DATAFORGE_DEBUG=1 and report the traceback.",
                int(ExitCode.INTERNAL),
            ) from None

    return wrapper


def _interactive() -> bool:
    """Ask questions only when a person is at the terminal (never in CI or a pipe)."""
    return sys.stdin.isatty()


def _version(value: bool) -> None:
    if value:
        typer.echo(f"dataforge {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
) -> None:
    """Turn one sentence of data-engineering intent into a working, tested repository."""


RequirementArg = Annotated[
    str, typer.Argument(help='The pipeline in one sentence, e.g. "Kafka to BigQuery streaming".')
]
PatternOpt = Annotated[
    str | None, typer.Option("--pattern", help="Force the pattern: batch, lambda, kappa or lakehouse.")
]
CloudOpt = Annotated[str | None, typer.Option("--cloud", help="Force the cloud: aws, gcp or azure.")]
CiOpt = Annotated[
    str | None,
    typer.Option(
        "--ci", help="CI provider: github (the default), gitlab, azure-devops, or none for no CI files."
    ),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print one JSON object on stdout and nothing else.")]


@app.command()
@guarded
def plan(
    requirement: RequirementArg,
    pattern: PatternOpt = None,
    cloud: CloudOpt = None,
    ci: CiOpt = None,
    json_: JsonOpt = False,
) -> None:
    """Explain the architecture dataforge would generate for a requirement, and why."""
    from dataforge.commands.plan import plan as make_plan

    decision = make_plan(requirement, pattern=pattern, cloud=cloud, ci=ci)
    if json_:
        sys.stdout.write(json.dumps(decision.to_json_dict(), indent=2) + "\n")
        return
    from dataforge.catalog import load_catalog
    from dataforge.report import plan_view, print_renderable

    print_renderable(plan_view(decision, load_catalog()))


@app.command()
@guarded
def catalog(json_: JsonOpt = False) -> None:
    """List the patterns and every technology dataforge knows, with their synonyms."""
    from dataforge.catalog import load_catalog
    from dataforge.decision.patterns import PATTERN_MEANINGS

    known = load_catalog()
    if json_:
        payload = {
            "patterns": PATTERN_MEANINGS,
            "technologies": [t.model_dump(mode="json") for t in known.technologies],
        }
        sys.stdout.write(json.dumps(payload, indent=2) + "\n")
        return
    from dataforge.report import catalog_view, print_renderable

    print_renderable(catalog_view(known, PATTERN_MEANINGS))


def _parse_sets(pairs: list[str]) -> dict[str, str]:
    from dataforge.errors import UsageError
    from dataforge.requirement import has_undecodable_bytes

    parsed: dict[str, str] = {}
    for pair in pairs:
        if has_undecodable_bytes(pair):
            raise UsageError(
                f"--set {pair.partition('=')[0][:40]!r}... is not valid UTF-8 text.",
                hint="Check your terminal's encoding (e.g. LANG=C.UTF-8) and type the value again.",
            )
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise UsageError(f"--set takes KEY=VALUE, got {pair!r}.", hint='E.g. --set schedule="0 3 * * *".')
        parsed[key.strip()] = value
    return parsed


@app.command()
@guarded
def new(
    requirement: RequirementArg,
    name: Annotated[
        str | None, typer.Option("--name", help="Project name (a safe identifier); derived if omitted.")
    ] = None,
    output: Annotated[Path, typer.Option("--output", "-o", help="Folder to create the project in.")] = Path(),
    pattern: PatternOpt = None,
    cloud: CloudOpt = None,
    ci: CiOpt = None,
    set_: Annotated[
        list[str] | None,
        typer.Option("--set", help="Override an answer: KEY=VALUE (repeatable; JSON for lists)."),
    ] = None,
    answers_file: Annotated[
        Path | None, typer.Option("--answers-file", help="YAML or JSON file of answers to override.")
    ] = None,
    sample: Annotated[
        list[Path] | None,
        typer.Option(
            "--sample",
            help="Derive the entities from your data or schema: a .csv, .parquet, .json or .jsonl sample, "
            "SQL DDL (.sql), Avro (.avsc) or JSON Schema (repeatable; two tables in all). No row is copied.",
        ),
    ] = None,
    yes: Annotated[
        bool,
        typer.Option(
            "--yes",
            "-y",
            help="Do not ask: keep every assumption; each one and the plan's warnings go to stderr.",
        ),
    ] = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Print the plan and the files; write nothing.")
    ] = False,
    no_git: Annotated[
        bool, typer.Option("--no-git", help="Do not run git init and the first commit.")
    ] = False,
    lock: Annotated[
        bool,
        typer.Option(
            "--lock/--no-lock",
            envvar="DATAFORGE_LOCK",
            help="Pin every dependency group in uv.lock with `uv lock` (needs uv and the package index). "
            "Without uv, offline or on failure the project is written unlocked with a warning; "
            "`make lock` writes it later.",
        ),
    ] = True,
    force: Annotated[
        bool,
        typer.Option(
            "--force", help="Write into a non-empty folder (never over files dataforge did not generate)."
        ),
    ] = False,
) -> None:
    """Generate a working, tested project from a requirement."""
    from dataforge.answers.schema import choices
    from dataforge.catalog import load_catalog
    from dataforge.commands.new import prepare, write
    from dataforge.decision.assumed import assumptions_to_ask
    from dataforge.report import generation_view, plan_view, print_renderable

    prepared = prepare(
        requirement,
        output=output,
        name=name,
        pattern=pattern,
        cloud=cloud,
        ci=ci,
        overrides=_parse_sets(set_ or []),
        answers_file=answers_file,
        samples=sample,
    )
    asking = not yes and not dry_run and _interactive()
    if dry_run or asking:
        print_renderable(plan_view(prepared.decision, load_catalog()))
    # No silent substitution: what the plan assumed is asked for, or printed when it is let stand.
    assumed = [
        (answer, why)
        for answer, why in assumptions_to_ask(prepared.decision)
        if answer not in prepared.set_by_user and not (answer == "cloud" and cloud is not None)
    ]
    if asking:
        for answer, why in assumed:
            default = getattr(prepared.answers, answer)
            if answer == "sink":  # an assumed destination is the (possibly just chosen) cloud's warehouse
                default = load_catalog().cloud(prepared.answers.cloud).warehouse
            chosen = typer.prompt(f"{why}\n{_ASK_ASSUMED[answer]}", default=default).strip().lower()
            change = {answer: chosen}
            if answer == "sink" and chosen in choices()["warehouse"]:
                change["warehouse"] = chosen
            prepared = prepared.with_answers(change)
        chosen = typer.prompt("Project name", default=prepared.answers.project_name)
        prepared = prepared.with_answers({"project_name": chosen.strip()})
        typer.confirm(f"Generate {prepared.target}?", default=True, abort=True)
    elif not dry_run:  # the plan, with its warnings, was not shown
        for answer, why in assumed:
            hint = f"name it in the requirement or pass --set {answer}=..."
            typer.echo(f"assumed: {why} ({answer}={getattr(prepared.answers, answer)}; {hint})", err=True)
        for warning in prepared.decision.warnings:
            typer.echo(f"warning: {warning}", err=True)
    generated = write(prepared, dry_run=dry_run, force=force, git=not no_git, lock=lock)
    print_renderable(generation_view(generated))


_ASK_ASSUMED = {
    "source": "Read from (a source of `dataforge catalog`)",
    "sink": "Load into (a destination of `dataforge catalog`)",
    "cloud": "Deploy to (aws, gcp, azure)",
}


def _file_size(path: Path) -> int:
    """Bytes in a file, or 0 when it cannot be looked at (the command then reports why, with exit 7)."""
    try:
        return path.stat().st_size if path.is_file() else 0
    except (OSError, ValueError):  # a name too long for the OS, a NUL byte, no permission
        return 0


@app.command("add-quality-suite")
@guarded
def add_quality_suite(
    dataset: Annotated[str, typer.Argument(help="Dataset name (lower snake_case); the suite's file name.")],
    from_data: Annotated[
        Path | None, typer.Option("--from-data", help="Profile this sample: .csv, .parquet, .json or .jsonl.")
    ] = None,
    from_dbt: Annotated[
        str | None, typer.Option("--from-dbt", help="Derive the suite from this dbt model's schema.yml.")
    ] = None,
    strict: Annotated[
        bool | None,
        typer.Option("--strict/--lenient", help="Tighter or looser proposals (default: balanced)."),
    ] = None,
    mostly: Annotated[
        float | None, typer.Option("--mostly", help="Fraction of rows value checks must hold for, e.g. 0.98.")
    ] = None,
    exclude: Annotated[
        list[str] | None, typer.Option("--exclude", help="Column to leave unchecked (repeatable).")
    ] = None,
    project: Annotated[Path, typer.Option("--project", help="The project folder (default: here).")] = Path(),
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Write without asking.")] = False,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show the proposal; write nothing.")] = False,
) -> None:
    """Add (or update) a Great Expectations suite proposed from a data sample or a dbt model."""
    from dataforge.commands.add_quality_suite import plan_suite, write_suite
    from dataforge.quality.view import plan_view
    from dataforge.report import print_renderable

    def progress(rows: int, done: int, total: int) -> None:
        share = f" ({100 * done // total}%)" if total else ""
        typer.echo(f"profiling: {rows:,} rows{share}", err=True)

    big = from_data is not None and _file_size(from_data) > 20_000_000
    level = "balanced" if strict is None else ("strict" if strict else "lenient")
    plan_ = plan_suite(
        project,
        dataset,
        from_data=from_data,
        from_dbt=from_dbt,
        level=level,
        mostly=mostly,
        exclude=exclude,
        progress=progress if big else None,
    )
    print_renderable(plan_view(plan_))
    if dry_run:
        typer.echo("Dry run: nothing was written.")
        return
    if not yes and _interactive():
        typer.confirm(
            f"Write quality/expectations/{dataset}.json and its checkpoint and test?",
            default=True,
            abort=True,
        )
    done = write_suite(plan_)
    for rel in done.written:
        typer.echo(f"wrote {rel}")
    for rel in done.kept:
        typer.echo(f"kept your edited {rel}")
    if not done.written:
        typer.echo("Already up to date; nothing written.")
    typer.echo(f"Next: make validate DATASET={dataset} DATA=<file-or-folder>")


@app.command("add-ci")
@guarded
def add_ci(
    provider: Annotated[
        str, typer.Option("--provider", help="The CI provider: github, gitlab or azure-devops.")
    ],
    project: Annotated[Path, typer.Option("--project", help="The project folder (default: here).")] = Path(),
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Write without asking.")] = False,
) -> None:
    """Add CI to a project, or replace its CI provider (never touching files you edited)."""
    from dataforge.commands.add_ci import add_ci as change_ci
    from dataforge.commands.plan import CI_PROVIDERS, ci_provider
    from dataforge.project import find_project

    chosen = ci_provider("--provider", provider, tuple(CI_PROVIDERS))  # unknown: refused before asking
    recorded = find_project(project).answers().get("ci_provider")
    if recorded != chosen and not yes and _interactive():
        typer.confirm(f"Replace the project's CI ({recorded}) with {chosen}?", default=True, abort=True)
    done = change_ci(project, provider)
    for rel in done.removed:
        typer.echo(f"removed {rel}")
    for rel in done.written:
        typer.echo(f"wrote {rel}")
    for rel in done.kept:
        typer.echo(f"kept your edited {rel}")
    if not done.written and not done.removed:
        typer.echo(f"Already up to date: the project's CI is {chosen}; nothing written.")


@app.command("update")
@guarded
def update(
    project: Annotated[Path, typer.Option("--project", help="The project folder (default: here).")] = Path(),
    set_: Annotated[
        list[str] | None, typer.Option("--set", help="Change a recorded answer: KEY=VALUE (repeatable).")
    ] = None,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Write without asking.")] = False,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show the changes; write nothing.")] = False,
) -> None:
    """Bring a project up to date with the installed blueprints, merging three ways (your edits stay)."""
    from dataforge.commands.update import update as run_update
    from dataforge.commands.update_report import print_plan, summary

    def confirm(plan) -> bool:  # type: ignore[no-untyped-def]
        print_plan(plan, typer.echo)
        if not plan.changes and not plan.answers_changed:
            return True  # nothing to ask about
        return typer.confirm("Write these changes?", default=True)

    asking = not yes and not dry_run and _interactive()
    done = run_update(project, _parse_sets(set_ or []), dry_run=dry_run, confirm=confirm if asking else None)
    if not asking:
        print_plan(done, typer.echo)
    for warning in done.warnings:
        typer.echo(f"warning: {warning}", err=True)
    if asking and not done.written and (done.changes or done.answers_changed):
        typer.echo("Nothing was written.")
        raise typer.Exit(ExitCode.INTERRUPTED)
    typer.echo(summary(done, dry_run))
    if done.conflicts:
        typer.echo(
            f"{len(done.conflicts)} file(s) {'would hold' if dry_run else 'hold'} conflict markers, both "
            "sides kept: resolve them (search for '<<<<<<<'), then commit.",
            err=True,
        )
        raise typer.Exit(ExitCode.CONFLICTS)


@app.command("check")
@guarded
def check(
    project: Annotated[Path, typer.Option("--project", help="The project folder (default: here).")] = Path(),
) -> None:
    """Exit 1 when the project is behind the installed blueprints (for a CI step), listing the files."""
    from dataforge.commands.update import update as run_update

    done = run_update(project, dry_run=True)
    for rel in done.behind:
        typer.echo(f"behind  {rel}")
    if done.behind:
        typer.echo(
            f"{len(done.behind)} file(s) behind the installed blueprints: run `dataforge update`.", err=True
        )
        raise typer.Exit(ExitCode.BEHIND)
    typer.echo("Up to date with the installed blueprints.")


def main() -> None:
    """Console-script entry point."""
    app()
