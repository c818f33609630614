"""The dbt step of the pipeline: `dbt build` (staging and mart models with their tests) for one ingest date.

Runs dbt in-process (`dbtRunner`) on the project in `dbt/`: the `local` target (DuckDB, the tables the load
step merged into $DATA_DIR/warehouse.duckdb) by default, or `prod` (Azure Synapse Analytics) when DBT_TARGET=prod
or DATAFORGE_ENV=prod.
`make run` and the Airflow DAG both call `main`, so they build the same way.

    python -m nightly_eventhubs_synapse.dbt_build --ds 2024-01-01 [--target prod]
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from collections.abc import Sequence
from contextlib import chdir
from datetime import date
from pathlib import Path
from typing import Any

from .config import add_run_arguments, load_settings

log = logging.getLogger(__name__)

FAILED = ("fail", "error")


class DbtBuildError(RuntimeError):
    """Raised when `dbt build` fails: a node failed or errored, or dbt could not run at all.

    `statuses` maps every node dbt ran to its status; `failed` lists the nodes that failed or errored.
    """

    def __init__(self, message: str, statuses: dict[str, str]) -> None:
        super().__init__(message)
        self.statuses = statuses
        self.failed = failed_nodes(statuses)


def failed_nodes(statuses: dict[str, str]) -> list[str]:
    """Names of the nodes that failed (a test) or errored (a model, seed or test), sorted."""
    return sorted(name for name, status in statuses.items() if status in FAILED)


def iso_date(text: str) -> str:
    """An ingest date `YYYY-MM-DD` (argparse type)."""
    date.fromisoformat(text)
    return text


def project_root() -> Path:
    """The folder holding `dbt/`: the checkout this module sits in, else the current directory."""
    checkout = Path(__file__).resolve().parents[2]
    return checkout if (checkout / "dbt" / "dbt_project.yml").is_file() else Path.cwd()


def build_args(
    target: str, ds: str | None = None, root: Path | None = None, extra: Sequence[str] = (), hour: str | None = None
) -> list[str]:
    """dbt's command line: `build` of the project in `<root>/dbt` with its profiles, `ds` (and `hour`) as dbt vars."""
    dbt_dir = str((root or project_root()) / "dbt")
    args = ["build", "--project-dir", dbt_dir, "--profiles-dir", dbt_dir, "--target", target]
    if ds:
        args += ["--vars", json.dumps({"ds": ds} if hour is None else {"ds": ds, "hour": hour})]
    return [*args, *extra]


def node_statuses(result: Any) -> dict[str, str]:
    """{node name: status} from a dbtRunner result (empty when dbt stopped before running any node)."""
    statuses = {}
    for outcome in getattr(result, "results", None) or []:
        status = outcome.status
        statuses[outcome.node.name] = str(getattr(status, "value", status))
    return statuses


def dbt_build(
    target: str | None = None,
    ds: str | None = None,
    root: Path | None = None,
    extra: Sequence[str] = (),
    hour: str | None = None,
) -> dict[str, str]:
    """Run `dbt build` in-process; return {node name: status} or raise `DbtBuildError` naming the failed nodes.

    `extra` is appended to dbt's arguments (e.g. `--target-path`). dbt runs from the project root, where
    profiles.yml resolves a relative DATA_DIR, as `make` does.
    """
    from dbt.cli.main import dbtRunner  # heavy import: only when the step runs

    root = root or project_root()
    target = target or load_settings().dbt_target
    os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
    with chdir(root):
        outcome = dbtRunner().invoke(build_args(target, ds, root, extra, hour))
    statuses = node_statuses(outcome.result)
    if not outcome.success:
        detail = ", ".join(failed_nodes(statuses)) or str(outcome.exception or "see the dbt log above")
        raise DbtBuildError(f"dbt build --target {target} failed: {detail}", statuses)
    return statuses


def main(argv: list[str] | None = None) -> int:
    """Command line: build the dbt project for one ingest date; returns the exit code (1 when dbt fails)."""
    parser = argparse.ArgumentParser(description="dbt build (models and tests) for one ingest date.")
    parser.add_argument(
        "--ds", type=iso_date, default=date.today().isoformat(), help="ingest date YYYY-MM-DD, the dbt var `ds`"
    )
    parser.add_argument("--target", default=None, help="dbt target: local or prod (default: DBT_TARGET, else local)")
    add_run_arguments(parser)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    try:
        statuses = dbt_build(args.target, args.ds, hour=getattr(args, "hour", None))
    except DbtBuildError as error:
        print(error, file=sys.stderr)
        return 1
    log.info("dbt build finished for %s: %d node(s) passed", args.ds, len(statuses))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
