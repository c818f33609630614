"""The platform entry point: runs the named step module, and in production first fills the job's credentials
from the cloud's secret store (`nightly_eventhubs_synapse.secret_store`)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from nightly_eventhubs_synapse import secret_store
from nightly_eventhubs_synapse.transform import submit

ENTRYPOINT = Path(__file__).resolve().parents[2] / "spark" / "entrypoint.py"
STEP = "nightly_eventhubs_synapse.entrypoint_probe_step"


@pytest.fixture
def entrypoint(monkeypatch):
    spec = importlib.util.spec_from_file_location("spark_entrypoint", ENTRYPOINT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    ran: list[object] = []
    step = ModuleType(STEP)
    step.__file__ = "probe.py"
    step.main = lambda argv: ran.append(("step", list(argv))) or 0
    monkeypatch.setitem(sys.modules, STEP, step)
    monkeypatch.setattr(secret_store, "export_job_secrets", lambda names: ran.append(("secrets", tuple(names))) or [])
    return module, ran


def test_production_fills_the_credentials_before_the_step_runs(entrypoint, monkeypatch):
    module, ran = entrypoint
    monkeypatch.setenv("DATAFORGE_ENV", "prod")
    assert module.main([STEP, "--ds", "2024-01-02"]) == 0
    assert ran == [("secrets", submit.secret_settings()), ("step", ["--ds", "2024-01-02"])]


def test_a_local_run_asks_no_secret_store(entrypoint, monkeypatch):
    module, ran = entrypoint
    monkeypatch.setenv("DATAFORGE_ENV", "local")
    assert module.main([STEP]) == 0
    assert ran == [("step", [])]


def test_a_malformed_module_name_is_refused(entrypoint, capsys):
    module, _ = entrypoint
    assert module.main(["not a module"]) == 2
    assert "usage" in capsys.readouterr().err
