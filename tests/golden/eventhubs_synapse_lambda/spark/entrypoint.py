"""Entry point of the Spark steps on a Spark platform: `entrypoint.py <package.module> [arguments...]`.

Spark platforms (EMR Serverless, Dataproc Serverless, Synapse) start one Python file; the project travels beside
it as a zip on `--py-files` (`make package-spark` builds both into dist/spark/). This file imports the module
named by its first argument from that zip and calls its `main(arguments)`, so the job keeps its package
imports and a file path never has to work as a package:

    spark-submit --py-files <project>.zip entrypoint.py <project>.transform.job --ds 2024-01-01

With DATAFORGE_ENV=prod it first puts the job's credentials into its environment from the cloud's secret store
(`<project>.secret_store`): the platform's job configuration never carries a secret value.
"""

from __future__ import annotations

import importlib
import os
import re
import sys

MODULE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)+$")


def export_credentials(package: str) -> None:
    """Set the job's credentials the environment lacks from the cloud's secret store (see `secret_store`)."""
    secret_settings = importlib.import_module(f"{package}.transform.submit").secret_settings
    found = importlib.import_module(f"{package}.secret_store").export_job_secrets(secret_settings())
    if found:
        print(f"entrypoint: credentials from the secret store: {', '.join(found)}", file=sys.stderr)


def main(argv: list[str]) -> int:
    """Run `<module>.main(argv[1:])` and return its exit code."""
    if not argv or not MODULE.match(argv[0]):
        print("usage: entrypoint.py <package.module> [arguments...]", file=sys.stderr)
        return 2
    if os.environ.get("DATAFORGE_ENV") == "prod":
        export_credentials(argv[0].split(".")[0])
    module = importlib.import_module(argv[0])
    print(f"entrypoint: {argv[0]} from {module.__file__}", file=sys.stderr)
    return int(module.main(argv[1:]) or 0)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
