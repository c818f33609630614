"""The library API, for scripts and notebooks: the user actions of `dataforge.commands`, by name.

Imported lazily so that `import dataforge.api` stays as cheap as the command line's start-up.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_EXPORTS = {
    "plan": "dataforge.commands.plan",
    "prepare": "dataforge.commands.new",
    "write": "dataforge.commands.new",
    "generate": "dataforge.commands.new",
    "plan_suite": "dataforge.commands.add_quality_suite",
    "write_suite": "dataforge.commands.add_quality_suite",
    "add_ci": "dataforge.commands.add_ci",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'dataforge.api' has no attribute {name!r}")
    return getattr(import_module(_EXPORTS[name]), name)
