"""The project records: the one owner of `.dataforge/` (decision, answers, manifest, journal, pristine render)."""

from dataforge.project.records import (
    ANSWERS,
    DECISION,
    MANIFEST,
    RECORDS,
    ANSWERS_SCHEMA_VERSION,
    read_manifest,
    sha256,
    write_records,
)

__all__ = [
    "ANSWERS",
    "ANSWERS_SCHEMA_VERSION",
    "DECISION",
    "MANIFEST",
    "RECORDS",
    "read_manifest",
    "sha256",
    "write_records",
]
