"""`--from-dbt`: expectations derived from a dbt model's documented columns and tests, so they agree with dbt.

Reads every YAML file under the dbt project's model paths (`dbt/dbt_project.yml` `model-paths`, default
`models`). Supported tests: not_null, unique, accepted_values, relationships (recorded, not checked: a GX
suite validates one dataset), accepted_range (the project's generic test and dbt_utils'). Both `tests:` and
`data_tests:` keys, and arguments given directly or under `arguments:` (dbt >= 1.10), are read.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from dataforge.errors import ProjectError, UsageError
from dataforge.quality.propose import TYPE_LISTS, Proposal, Proposed

_TYPES = [
    (re.compile(r"^(big|small|tiny)?int(eger)?\d*$|^long$"), "integer"),
    (re.compile(r"^(decimal|numeric|number|float\d*|double|real)"), "decimal"),
    (re.compile(r"^(var)?char|^string$|^text$"), "string"),
    (re.compile(r"^bool"), "boolean"),
    (re.compile(r"^date$"), "date"),
    (re.compile(r"^(timestamp|datetime)"), "timestamp"),
]


def _load_yaml(path: Path) -> Any:
    import yaml

    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return None


def _model_paths(dbt_dir: Path) -> list[Path]:
    project = _load_yaml(dbt_dir / "dbt_project.yml")
    paths = project.get("model-paths") if isinstance(project, dict) else None
    return [dbt_dir / p for p in (paths if isinstance(paths, list) else ["models"])]


def find_models(project: Path) -> dict[str, dict[str, Any]]:
    """Every documented model of the project's dbt project: name -> its schema.yml entry."""
    dbt_dir = project / "dbt"
    if not (dbt_dir / "dbt_project.yml").is_file():
        raise ProjectError(
            f"{project} has no dbt project (dbt/dbt_project.yml).",
            hint="Use --from-data with a sample file instead.",
        )
    models: dict[str, dict[str, Any]] = {}
    for folder in _model_paths(dbt_dir):
        for path in sorted([*folder.rglob("*.yml"), *folder.rglob("*.yaml")]):
            loaded = _load_yaml(path)
            entries = loaded.get("models") if isinstance(loaded, dict) else None
            for entry in entries if isinstance(entries, list) else []:
                if isinstance(entry, dict) and isinstance(entry.get("name"), str):
                    models[entry["name"]] = entry
    return models


def _tests(column: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    found: list[tuple[str, dict[str, Any]]] = []
    for item in [*(column.get("tests") or []), *(column.get("data_tests") or [])]:
        if isinstance(item, str):
            found.append((item, {}))
        elif isinstance(item, dict) and len(item) == 1:
            ((name, config),) = item.items()
            config = config if isinstance(config, dict) else {}
            found.append((str(name), {**config, **(config.get("arguments") or {})}))
    return found


def _logical(data_type: Any) -> str | None:
    text = str(data_type or "").strip().lower()
    return next((kind for pattern, kind in _TYPES if pattern.search(text)), None) if text else None


def propose_from_dbt(project: Path, model: str, exclude: set[str] | None = None) -> Proposed:
    """Expectations equivalent to the model's documented columns and tests."""
    models = find_models(project)
    if model not in models:
        known = ", ".join(sorted(models)[:8]) or "none"
        raise UsageError(f"Unknown dbt model {model!r}.", hint=f"Documented models: {known}.")
    entry = models[model]
    columns = [c for c in entry.get("columns") or [] if isinstance(c, dict) and c.get("name")]
    names = [str(c["name"]) for c in columns]
    skip = exclude or set()
    unknown = sorted(skip - set(names))
    if unknown:
        raise UsageError(f"--exclude names columns {model} does not document: {', '.join(unknown)}.")
    contract = bool(((entry.get("config") or {}).get("contract") or {}).get("enforced"))
    proposed = Proposed([])
    out = proposed.expectations
    if contract:
        out.append(
            Proposal(
                "expect_table_columns_to_match_set",
                {"column_set": names, "exact_match": True},
                "dbt contract enforced",
            )
        )
    for column in columns:
        name = str(column["name"])
        if not contract:
            out.append(Proposal("expect_column_to_exist", {"column": name}, f"documented in {model}"))
        if name in skip:
            continue
        kind = _logical(column.get("data_type"))
        if kind:
            proposed.column_types.update({name: kind} if kind != "string" else {})
            why = f"data_type {column.get('data_type')}"
            out.append(
                Proposal(
                    "expect_column_values_to_be_in_type_list",
                    {"column": name, "type_list": TYPE_LISTS[kind]},
                    why,
                )
            )
        for test, args in _tests(column):
            _from_test(model, name, test, args, proposed)
    return proposed


def _from_test(model: str, column: str, test: str, args: dict[str, Any], proposed: Proposed) -> None:
    out = proposed.expectations
    why = f"dbt test {test} on {model}.{column}"
    short = test.split(".")[-1]
    if short == "not_null":
        out.append(Proposal("expect_column_values_to_not_be_null", {"column": column}, why))
    elif short == "unique":
        out.append(Proposal("expect_column_values_to_be_unique", {"column": column}, why))
    elif short == "accepted_values" and isinstance(args.get("values"), list):
        out.append(
            Proposal(
                "expect_column_values_to_be_in_set",
                {"column": column, "value_set": list(args["values"])},
                why,
            )
        )
    elif short == "accepted_range":
        kwargs = {"column": column, "min_value": args.get("min_value"), "max_value": args.get("max_value")}
        out.append(Proposal("expect_column_values_to_be_between", kwargs, why))
    elif short == "relationships":
        proposed.notes.append(
            f"{column}: relationships to {args.get('to')}.{args.get('field')} stays a dbt test"
        )
    else:
        proposed.notes.append(f"{column}: dbt test {test} has no GX equivalent here; dbt keeps checking it")
