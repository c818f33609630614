"""Stand-ins for dbt's cross-database type macros, used only when sqlfluff renders the models.

sqlfluff's jinja templater exposes each module of `library_path` by name, so `{{ dbt.type_bigint() }}`
renders to the DuckDB type that dbt itself produces on the local target. dbt never imports this file.
"""


def type_bigint() -> str:
    return "bigint"


def type_int() -> str:
    return "integer"


def type_string() -> str:
    return "varchar"


def type_timestamp() -> str:
    return "timestamp"


def type_boolean() -> str:
    return "boolean"


def type_numeric() -> str:
    return "numeric(28, 6)"


def type_float() -> str:
    return "double"
