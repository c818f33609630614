"""Find and load the expectation suites: one GX JSON file per dataset under `quality/expectations/`.

Suites are discovered by file, so suites added later (for example by `dataforge add-quality-suite`) are
picked up without code changes: the dataset name is the file name without `.json`.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

SUITES_ENV = "QUALITY_SUITES_DIR"
RELATIVE_DIR = Path("quality") / "expectations"
# src/<package>/quality/suites.py -> the project root holds quality/expectations/
_PROJECT_ROOT = Path(__file__).resolve().parents[3]


class QualityInputError(Exception):
    """Raised when a validation cannot even start: missing, empty or unreadable data, or an unknown dataset.

    `hint` says what to do next. The validate CLI turns it into one line and exit code 2.
    """

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.hint = hint

    def __str__(self) -> str:
        message = super().__str__()
        return f"{message} (hint: {self.hint})" if self.hint else message


def suites_dir(explicit: str | Path | None = None) -> Path:
    """The folder holding the suites: `explicit`, else $QUALITY_SUITES_DIR, else ./quality/expectations
    when it exists, else the project's own quality/expectations."""
    if explicit:
        return Path(explicit)
    if os.environ.get(SUITES_ENV):
        return Path(os.environ[SUITES_ENV])
    if RELATIVE_DIR.is_dir():
        return RELATIVE_DIR
    return _PROJECT_ROOT / RELATIVE_DIR


def discover(directory: str | Path | None = None) -> dict[str, Path]:
    """Map each dataset name to its suite file (`<directory>/<dataset>.json`), sorted by name."""
    folder = suites_dir(directory)
    if not folder.is_dir():
        return {}
    return {path.stem: path for path in sorted(folder.glob("*.json"))}


def load_suite(dataset: str, directory: str | Path | None = None) -> dict[str, Any]:
    """Return the suite of `dataset` as GX JSON (a dict with `name` and `expectations`)."""
    suites = discover(directory)
    if dataset not in suites:
        known = ", ".join(suites) or "none"
        raise QualityInputError(
            f"unknown dataset {dataset!r}: no suite {dataset}.json in {suites_dir(directory)}",
            f"use one of: {known}",
        )
    path = suites[dataset]
    try:
        suite = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise QualityInputError(f"cannot read suite {path}: {exc}", "fix or regenerate the JSON file") from None
    if not isinstance(suite, dict) or not isinstance(suite.get("expectations"), list):
        raise QualityInputError(
            f"{path} is not an expectation suite", 'expected GX JSON with "name" and "expectations"'
        )
    suite.setdefault("name", dataset)
    return suite
