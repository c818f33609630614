"""The user's own files shape the project: samples and schemas -> table descriptions -> the `entities` answer.

`read` turns each file (a CSV/JSON/Parquet sample through the quality profiler, a SQL DDL file, an Avro
`.avsc` or a JSON Schema) into neutral `SampleTable`s; `mapping` turns exactly two of them into a dimension
and a fact.
Only schema and profile facts travel: names, types, nullability, keys and, for categoricals, the accepted
values. No row of the user's data is copied into the project.
"""

from __future__ import annotations

from dataforge.samples.derive import Derived, derive_entities

__all__ = ["Derived", "derive_entities"]
