"""The validate command line: exit 0 on good data, 1 on failed expectations, 2 on unusable input."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from nightly_eventhubs_synapse.quality.validate import main
from nightly_eventhubs_synapse.schema import ENTITIES

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DIMENSION = next(iter(ENTITIES))
MODULE = "nightly_eventhubs_synapse.quality.validate"


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_exit_0_on_sample_csv(capsys, rows, writer, suites_dir):
    path = writer.csv(DIMENSION, rows[DIMENSION])
    code, out, _ = run(capsys, "--dataset", DIMENSION, "--data", str(path), "--suites", str(suites_dir))
    assert code == 0, out
    assert out.startswith(f"PASSED {DIMENSION}")


def test_exit_0_on_a_folder_of_partitions(capsys, rows, writer, suites_dir, tmp_path):
    for ds in ("2024-01-01", "2024-01-02"):  # the same keys in two deliveries: unique per partition
        writer.curated(tmp_path / "data", DIMENSION, ds, rows[DIMENSION])
    folder = tmp_path / "data" / "curated" / DIMENSION
    code, out, _ = run(capsys, "--dataset", DIMENSION, "--data", str(folder), "--suites", str(suites_dir))
    assert code == 0, out
    assert out.count("PASSED") == 2


def typed_column(spec):
    """A required column whose values must parse (an integer one, else the event time): (name, type)."""
    integers = [c.name for c in spec.columns if c.type == "integer" and not c.nullable]
    if integers:
        return integers[0], "integer"
    return spec.event_time, next(c.type for c in spec.columns if c.name == spec.event_time)


def test_exit_1_names_the_failing_column_and_values(capsys, rows, writer, suites_dir):
    key, type_ = typed_column(ENTITIES[DIMENSION])
    rows[DIMENSION][0][key] = "bogus_value"
    path = writer.csv(DIMENSION, rows[DIMENSION])
    code, out, _ = run(capsys, "--dataset", DIMENSION, "--data", str(path), "--suites", str(suites_dir))
    assert code == 1
    assert f"FAILED {DIMENSION}" in out
    assert f"{key}: expect_column_values_to_be_in_type_list: 1 of {len(rows[DIMENSION])} rows are not {type_}s" in out
    assert "'bogus_value'" in out


@pytest.mark.parametrize(("severity", "exit_code"), [("warning", 0), (None, 1)])
def test_an_expectation_marked_warning_reports_without_failing(
    capsys, rows, writer, suites_dir, tmp_path, severity, exit_code
):
    """`meta.severity: warning` (generated for example rules nobody stated) reports the failure, exit 0."""
    key = ENTITIES[DIMENSION].primary_key
    suite = json.loads((suites_dir / f"{DIMENSION}.json").read_text())
    first = rows[DIMENSION][0][key]
    rule = {"type": "expect_column_values_to_be_in_set", "kwargs": {"column": key, "value_set": [first]}, "meta": {}}
    if severity:
        rule["meta"]["severity"] = severity
    suite["expectations"].append(rule)
    folder = tmp_path / "suites"
    folder.mkdir()
    (folder / f"{DIMENSION}.json").write_text(json.dumps(suite))
    path = writer.csv(DIMENSION, rows[DIMENSION])
    code, out, _ = run(capsys, "--dataset", DIMENSION, "--data", str(path), "--suites", str(folder))
    assert code == exit_code, out
    line = f"{key}: expect_column_values_to_be_in_set: {len(rows[DIMENSION]) - 1} of {len(rows[DIMENSION])} rows"
    if severity:
        assert out.startswith(f"PASSED {DIMENSION}")
        assert "; 1 warnings" in out
        assert f"warning: {line}" in out
    else:
        assert out.startswith(f"FAILED {DIMENSION}")
        assert f"  - {line}" in out


def test_suites_are_discovered_by_file(capsys, rows, writer, suites_dir, tmp_path):
    """A suite added later (e.g. by `dataforge add-quality-suite`) is found by its file name."""
    extra = tmp_path / "suites"
    extra.mkdir()
    suite = json.loads((suites_dir / f"{DIMENSION}.json").read_text())
    (extra / "partner_feed.json").write_text(json.dumps({**suite, "name": "partner_feed"}))
    path = writer.parquet(DIMENSION, rows[DIMENSION])
    code, out, _ = run(capsys, "--dataset", "partner_feed", "--data", str(path), "--suites", str(extra))
    assert code == 0, out


@pytest.mark.parametrize("case", ["missing", "empty_file", "header_only", "not_parquet", "unknown_dataset", "no_files"])
def test_exit_2_on_unusable_input(case, capsys, tmp_path, suites_dir):
    dataset, data = DIMENSION, tmp_path / "input.csv"
    if case == "empty_file":
        data.write_text("")
    elif case == "header_only":
        data.write_text(",".join(ENTITIES[DIMENSION].column_names) + "\n")
    elif case == "not_parquet":
        data = tmp_path / "input.parquet"
        data.write_text("this is not parquet")
    elif case == "unknown_dataset":
        dataset = "no_such_dataset"
        data.write_text("a\n1\n")
    elif case == "no_files":
        data = tmp_path / "empty_folder"
        data.mkdir()
    code, out, err = run(capsys, "--dataset", dataset, "--data", str(data), "--suites", str(suites_dir))
    assert code == 2
    assert out == ""
    assert err.startswith("error: "), err
    assert err.count("\n") == 1, err
    assert "hint:" in err
    assert "Traceback" not in err


def test_module_entry_point_exit_code():
    """The real `python -m` entry point (unknown dataset: answers before Great Expectations is imported)."""
    python_path = os.pathsep.join([str(PROJECT_ROOT / "src"), os.environ.get("PYTHONPATH", "")])
    command = [sys.executable, "-m", MODULE, "--dataset", "no_such_dataset", "--data", "."]
    process = subprocess.run(
        command, cwd=PROJECT_ROOT, env={**os.environ, "PYTHONPATH": python_path}, capture_output=True, text=True
    )
    assert process.returncode == 2, process.stderr
    assert process.stderr.startswith("error: unknown dataset 'no_such_dataset'")
    assert "Traceback" not in process.stderr
