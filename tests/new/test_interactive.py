"""On a terminal without --yes, `new` shows the plan and asks only what the rules could not decide."""

from __future__ import annotations

import os
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
    child.expect(r"No cloud is implied\. Deploy to \(aws, gcp, azure\) \[aws\]:")
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
