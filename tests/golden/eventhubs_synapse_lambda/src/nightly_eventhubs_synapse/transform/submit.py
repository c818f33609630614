"""What a Spark platform run of the job needs besides its code: the project zip and the job's settings.

The cloud's Spark operator (`orchestration/spark_operator.py`) builds the platform's request from these, so
every platform gets the same files and the same environment:

- the entry point at `SPARK_JOB_URI` and the project zip (`py_files_uri`: `SPARK_PY_FILES_URI`, else
  `nightly_eventhubs_synapse.zip` in the entry point's folder), both written by `make package-spark`;
- `DATAFORGE_ENV=prod` and each of `JOB_SETTINGS` (`job_environment`): what `config.py` and `source.py` read in
  the driver and the executors (an empty value means unset there);
- never the value of a secret (`is_secret`): a job's configuration is readable through the platform's API. The
  operator passes a reference its platform resolves at run time, or the job reads the secret manager itself;
- the source's connector jars (`source.SPARK_PACKAGES`, as `spark.jars.packages`), and jars the platform's image
  already holds (`source.SPARK_JARS`, as `spark.jars`: the Kinesis connector on EMR);
- the production sizing (`SIZING`: shuffle partitions and executors worked out from the stated volume; the
  README's "Sizing" section shows the arithmetic). Local runs never use it.

Nothing here reads the environment: every deployment setting is an Airflow template over the Airflow Variable
of the same name (`variable`), rendered when the task runs. Airflow resolves a Variable through the configured
secrets backend (the cloud's secret store, see `orchestration/secrets_backend.py`), then `AIRFLOW_VAR_<NAME>`
environment variables, then its metadata database; the DAG file itself reads no setting when it is parsed.

Standard library only: the operators import this module in Airflow, where PySpark is not installed.
"""

from __future__ import annotations

from .. import source
from ..source import SPARK_PACKAGES

PROJECT = "nightly_eventhubs_synapse"
ENTRYPOINT = "entrypoint.py"
PY_FILES = f"{PROJECT}.zip"

#: Settings the job reads (config.py, then the source reader), copied into the job's environment when set.
JOB_SETTINGS: tuple[str, ...] = (
    "RAW_BUCKET",
    "CURATED_BUCKET",
    "SOURCE_EVENTHUBS_NAMESPACE",
    "SOURCE_EVENTHUBS_CONNECTION_SECRET",
    "SOURCE_EVENTHUBS_HUB_PREFIX",
    "SOURCE_EVENTHUBS_CONSUMER_GROUP",
    "SOURCE_EVENTHUBS_STARTING_POSITION",
    "SOURCE_EVENTHUBS_MAX_EVENTS_PER_TRIGGER",
)
#: Production Spark properties sized from the requirement's stated volume (empty: the platform's defaults).
SIZING: dict[str, str] = {}
# A variable whose name holds one of these words carries a credential.
_SECRET_WORDS = frozenset({"PASSWORD", "SECRET", "TOKEN", "KEY"})


def is_secret(name: str) -> bool:
    """True when the variable `name` holds a credential (`..._PASSWORD`, `..._TOKEN`, `..._KEY_FILE`...)."""
    return bool(_SECRET_WORDS & set(name.split("_")))


def secret_settings() -> tuple[str, ...]:
    """The job's settings that are credentials: never passed by value."""
    return tuple(name for name in JOB_SETTINGS if is_secret(name))


def variable(name: str, default: str = "") -> str:
    """Airflow template of the Variable `name` (`default` when unset), rendered when the task runs."""
    return "{{ var.value.get('" + name + "', '" + default + "') }}"


def job_environment() -> dict[str, str]:
    """The job's environment on the platform: `DATAFORGE_ENV=prod` and every non-secret setting, templated."""
    values = {"DATAFORGE_ENV": "prod"}
    values.update({name: variable(name) for name in JOB_SETTINGS if not is_secret(name)})
    return values


def job_uri() -> str:
    """URI of the uploaded entry point: the Variable `SPARK_JOB_URI` (templated)."""
    return variable("SPARK_JOB_URI")


def py_files_uri() -> str:
    """URI of the project zip (templated): `SPARK_PY_FILES_URI`, else the zip beside the entry point."""
    job = "{% set job = var.value.get('SPARK_JOB_URI', '') %}"
    beside_job = "(job.rsplit('/', 1)[0] ~ '/" + PY_FILES + "' if '/' in job else '')"
    return job + "{{ var.value.get('SPARK_PY_FILES_URI', '') or " + beside_job + " }}"


def spark_packages() -> str:
    """Maven coordinates of the source's connector jars, comma-separated (empty when none is needed)."""
    return ",".join(SPARK_PACKAGES)


def spark_jars() -> str:
    """Jars on the platform's image the source needs on the classpath, comma-separated (empty when none)."""
    # only a reader whose connector ships with the platform (Kinesis on EMR) declares SPARK_JARS
    return ",".join(getattr(source, "SPARK_JARS", ()))


def sized(name: str, default: str) -> str:
    """The sized value of the Spark property `name`, else `default` (for platforms that take sizes apart)."""
    return SIZING.get(name, default)
