"""The security scanners the generated-project tests run, and where each one comes from.

detect-secrets, bandit, sqlfluff and ruff are in dataforge's `dev` extra, so they sit next to the Python
that runs pytest. checkov does not co-install with the generated-project stack (Airflow pins cachetools), so it
lives in its own virtual environment, created on first use under `.tools/checkov-venv` (or
`$DATAFORGE_TOOLS_DIR/checkov-venv`) with `python -m venv` and pip, under a file lock so parallel test runs
build it once. A tool that cannot be found or installed raises `ToolMissingError`: the tests fail, never skip.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[2]
TOOLS_DIR_ENV = "DATAFORGE_TOOLS_DIR"
CHECKOV_REQUIREMENT = "checkov>=3.2,<4"
SCAN_TIMEOUT = 600


class ToolMissingError(RuntimeError):
    """Raised when a scanner is neither installed nor installable."""


@dataclass(frozen=True)
class Scan:
    """What one scanner said: its findings (one line each), its raw output and exit code."""

    tool: str
    findings: list[str]
    output: str
    returncode: int

    def report(self) -> str:
        return (
            f"{self.tool}: {len(self.findings)} finding(s)\n"
            + "\n".join(self.findings)
            + "\n"
            + self.output[-4000:]
        )


def dev_tool(name: str) -> str:
    """A console script of the `dev` extra: next to the running interpreter, else on PATH."""
    beside = Path(sys.executable).with_name(name)
    if beside.exists():
        return str(beside)
    found = shutil.which(name)
    if found is None:
        raise ToolMissingError(f"`{name}` is not installed: pip install -e '.[dev]'")
    return found


def tools_dir() -> Path:
    return Path(os.environ.get(TOOLS_DIR_ENV) or REPO_ROOT / ".tools")


def checkov() -> str:
    """The checkov executable of the dedicated venv, created (once, under a lock) when missing."""
    venv = tools_dir() / "checkov-venv"
    exe = venv / "bin" / "checkov"
    ready = venv / ".dataforge-ready"
    if ready.exists() and exe.exists():
        return str(exe)
    venv.parent.mkdir(parents=True, exist_ok=True)
    with open(venv.parent / "checkov-venv.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (ready.exists() and exe.exists()):
            shutil.rmtree(venv, ignore_errors=True)
            steps = [
                [sys.executable, "-m", "venv", str(venv)],
                [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", CHECKOV_REQUIREMENT],
            ]
            for step in steps:
                done = subprocess.run(step, capture_output=True, text=True, check=False, timeout=1800)
                if done.returncode != 0:
                    raise ToolMissingError(
                        f"could not install checkov ({' '.join(step)}):\n{done.stderr[-3000:]}"
                    )
            ready.write_text(CHECKOV_REQUIREMENT + "\n")
    return str(exe)


def _run(cmd: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")}
    return subprocess.run(
        cmd, cwd=cwd, env=env, capture_output=True, text=True, check=False, timeout=SCAN_TIMEOUT
    )


def _json(done: subprocess.CompletedProcess[str], tool: str) -> Any:
    try:
        return json.loads(done.stdout)
    except json.JSONDecodeError:
        raise AssertionError(
            f"{tool} did not print JSON (exit {done.returncode}):\n{done.stdout[-3000:]}\n"
            f"{done.stderr[-3000:]}"
        ) from None


def version(executable: str) -> str:
    done = subprocess.run([executable, "--version"], capture_output=True, text=True, check=False, timeout=120)
    return (
        (done.stdout or done.stderr).strip().splitlines()[0] if (done.stdout or done.stderr).strip() else "?"
    )


def project_files(project: Path) -> list[str]:
    """Every file of a freshly generated project (no venv, data or caches exist yet), relative to it."""
    skip = {".venv", ".git", "__pycache__", ".ruff_cache", ".pytest_cache"}
    out = []
    for path in sorted(project.rglob("*")):
        rel = path.relative_to(project)
        if path.is_file() and not skip.intersection(rel.parts):
            out.append(str(rel))
    return out


def run_checkov(terraform_dir: Path) -> tuple[dict[str, int], Scan]:
    """checkov over one Terraform folder, offline; its summary counts and its failed checks."""
    done = _run(
        [
            checkov(),
            "-d",
            str(terraform_dir),
            "--framework",
            "terraform",
            "--skip-download",
            "--output",
            "json",
            "--quiet",
            "--compact",
        ],
        cwd=terraform_dir,
    )
    data = _json(done, "checkov")
    reports = data if isinstance(data, list) else [data]
    summary: dict[str, int] = {"passed": 0, "failed": 0, "skipped": 0, "parsing_errors": 0}
    findings = []
    for report in reports:
        for key in summary:
            summary[key] += int(report.get("summary", {}).get(key, 0))
        for check in report.get("results", {}).get("failed_checks", []):
            findings.append(
                f"{check['check_id']} {check['resource']} ({check['file_path']}): {check['check_name']}"
            )
    return summary, Scan("checkov", findings, done.stdout[-2000:] + done.stderr[-2000:], done.returncode)


def run_detect_secrets(project: Path) -> Scan:
    """detect-secrets over every file of the project, with the project's own baseline (its filters)."""
    cmd = [dev_tool("detect-secrets-hook"), "--json"]
    if (project / ".secrets.baseline").exists():
        cmd += ["--baseline", ".secrets.baseline"]
    done = _run([*cmd, *project_files(project)], cwd=project)
    findings = []
    if done.stdout.strip():
        data = _json(done, "detect-secrets")
        for filename, secrets in data.get("results", data).items():
            findings += [f"{filename}:{s.get('line_number')} {s.get('type')}" for s in secrets]
    if done.returncode != 0 and not findings:
        findings.append(f"detect-secrets-hook exited {done.returncode}")
    return Scan("detect-secrets", findings, done.stdout + done.stderr, done.returncode)


def run_bandit(project: Path, *folders: str, severities: tuple[str, ...] = ("HIGH", "MEDIUM")) -> Scan:
    """bandit over `folders` of the project with its pyproject config; findings of the given severities."""
    targets = [f for f in folders if (project / f).is_dir()]
    done = _run([dev_tool("bandit"), "-c", "pyproject.toml", "-r", *targets, "-f", "json", "-q"], cwd=project)
    data = _json(done, "bandit")
    if data.get("errors"):
        raise AssertionError(f"bandit could not scan: {data['errors']}")
    findings = [
        f"{r['test_id']} {r['issue_severity']} {r['filename']}:{r['line_number']} {r['issue_text']}"
        for r in data.get("results", [])
        if r["issue_severity"] in severities
    ]
    return Scan("bandit", findings, done.stderr[-2000:], done.returncode)


def run_sqlfluff(project: Path, models: str = "dbt/models") -> Scan:
    """sqlfluff lint of the dbt models with the project's own `.sqlfluff`."""
    done = _run([dev_tool("sqlfluff"), "lint", models, "--format", "json", "--nofail"], cwd=project)
    data = _json(done, "sqlfluff")
    findings = [
        f"{f['filepath']}:{v.get('start_line_no', v.get('line_no'))} {v['code']} {v['description']}"
        for f in data
        for v in f["violations"]
    ]
    if not data:
        findings.append(f"sqlfluff linted no file under {models}")
    return Scan("sqlfluff", findings, done.stderr[-2000:], done.returncode)


def run_ruff(project: Path, *folders: str) -> Scan:
    """`ruff check` and `ruff format --check` with the project's own configuration."""
    targets = [f for f in folders if (project / f).exists()]
    check = _run([dev_tool("ruff"), "check", "--output-format", "concise", *targets], cwd=project)
    fmt = _run([dev_tool("ruff"), "format", "--check", *targets], cwd=project)
    findings = [
        line for line in check.stdout.splitlines() if ": " in line and line.split(":")[0].endswith(".py")
    ]
    findings += [line for line in fmt.stdout.splitlines() if line.startswith("Would reformat")]
    if (check.returncode or fmt.returncode) and not findings:
        findings.append(f"ruff exited {check.returncode}/{fmt.returncode}")
    return Scan(
        "ruff",
        findings,
        check.stdout + check.stderr + fmt.stdout + fmt.stderr,
        check.returncode or fmt.returncode,
    )
