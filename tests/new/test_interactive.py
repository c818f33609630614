"""On a terminal without --yes, `new` shows the plan and asks only what the rules could not decide."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pexpect


def spawn(args: list[str], cwd: Path) -> pexpect.spawn:
    return pexpect.spawn(
        sys.executable, ["-m", "dataforge", "new", *args], cwd=str(cwd), encoding="utf-8", timeout=120,
        dimensions=(50, 200), env={**os.environ, "NO_COLOR": "1", "TERM": "dumb", "COLUMNS": "200"},
    )  # fmt: skip


def test_asks_for_the_cloud_only_when_none_is_implied(tmp_path: Path) -> None:
    child = spawn(["nightly load of Postgres tables into Snowflake", "--no-git"], tmp_path)
    child.expect("Plan: batch")
    child.expect(
        r"No cloud is implied; infrastructure defaults to AWS.*\s+Deploy to \(aws, gcp, azure\) \[aws\]:"
    )
    child.sendline("gcp")
    child.expect(r"Project name \[nightly_postgres_snowflake\]:")
    child.sendline("orders_elt")
    child.expect(r"Generate .*orders_elt\? \[Y/n\]:")
    child.sendline("y")
    child.expect("Next steps")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    project = tmp_path / "orders_elt"
    assert (project / "infra/terraform/storage.tf").read_text().count("google_storage_bucket") > 0


def test_cloud_is_not_asked_when_the_requirement_implies_it(tmp_path: Path) -> None:
    child = spawn(["daily CSV files from an SFTP server into Azure Synapse", "--no-git"], tmp_path)
    child.expect("Plan: batch")
    index = child.expect([r"Deploy to", r"Project name \[daily_sftp_synapse\]:"])
    assert index == 1
    child.sendline("")
    child.expect(r"\[Y/n\]:")
    child.sendline("n")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus != 0
    assert list(tmp_path.iterdir()) == []


def test_an_assumed_source_is_asked_for_and_the_answer_is_used(tmp_path: Path) -> None:
    child = spawn(["nightly load into Snowflake on GCP", "--no-git", "--no-lock"], tmp_path)
    child.expect("Plan: batch")
    child.expect(
        r"No source is named; an operational PostgreSQL database is assumed\.\s+Read from .*\[postgres\]:"
    )
    child.sendline("mysql")
    child.expect(r"Project name \[\w+\]:")
    child.sendline("orders_elt")
    child.expect(r"\[Y/n\]:")
    child.sendline("y")
    child.expect("Next steps")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    answers = json.loads((tmp_path / "orders_elt/.dataforge/answers.json").read_text())
    assert (answers["source"], answers["source_reader"], answers["cloud"]) == ("mysql", "jdbc", "gcp")


def test_with_yes_every_assumption_that_stands_is_printed(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "dataforge", "new", "nightly load into Snowflake", "--yes", "--no-lock", "--no-git"],
        cwd=tmp_path, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    lines = [line for line in done.stderr.splitlines() if line.startswith("assumed: ")]
    assert len(lines) == 2, done.stderr
    assert "PostgreSQL database is assumed" in lines[1]
    assert "source=postgres" in lines[1]
    assert "defaults to AWS" in lines[0]
    assert "cloud=aws" in lines[0]
    assert "--set source=" in lines[1]
    named = subprocess.run(
        [sys.executable, "-m", "dataforge", "new", "nightly load from MySQL and MongoDB into Snowflake", "--yes",
         "--dry-run", "--set", "source=mysql", "--cloud", "gcp"],
        cwd=tmp_path, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert named.returncode == 0, named.stderr
    assert "assumed: " not in named.stderr
    assert (
        "a batch project reads the first one only" in named.stdout
    )  # --dry-run shows the plan and its warnings


def test_with_yes_the_plans_warnings_are_printed(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "dataforge", "new", "nightly load from MySQL and MongoDB into Elasticsearch",
         "--yes", "--no-lock", "--no-git", "--cloud", "aws"],
        cwd=tmp_path, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    warnings = [line for line in done.stderr.splitlines() if line.startswith("warning: ")]
    assert any("(mysql, mongodb)" in line and "first one only" in line for line in warnings), done.stderr
    assert any("nothing is written to elasticsearch" in line for line in warnings), done.stderr
