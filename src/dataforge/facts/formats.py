"""The format of the files a requirement reads ("JSON files landing in ...", "daily parquet drops")."""

from __future__ import annotations

import re

# JSON Lines is what Spark's JSON reader reads (one object per line). Avro and ORC are recognised so that the
# plan can say the generated files reader does not read them.
_FORMATS = {
    "csv": "csv", "json": "json", "jsonl": "json", "ndjson": "json", "json lines": "json",
    "parquet": "parquet", "avro": "avro", "orc": "orc",
}  # fmt: skip
_FORMAT = re.compile(r"\b(" + "|".join(sorted(map(re.escape, _FORMATS), key=len, reverse=True)) + r")\b")


def find_file_format(text: str) -> str | None:
    """The first file format named in the (normalised) text, as the reader calls it, else None."""
    match = _FORMAT.search(text)
    return _FORMATS[match.group(1)] if match else None
