"""What a validation found: the failures of one batch and the report that names each column and expectation.

An expectation whose `meta.severity` is `warning` (generated for example business rules nobody stated, such as a
list of currencies) is reported as a warning: it never fails a batch, the validate CLI or the quality gate.
Every other failed expectation blocks."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

EXAMPLES = 5  # unexpected values shown per failing expectation
WARNING = "warning"  # the `meta.severity` of an expectation that reports without blocking


def severity_of(meta: dict[str, Any] | None) -> str:
    """`warning` when an expectation's meta marks it so, else `error` (blocking)."""
    return WARNING if (meta or {}).get("severity") == WARNING else "error"


@dataclass(frozen=True)
class Failure:
    """One failed expectation: its type, the column it checks (None for table-level ones), what was seen, and
    whether it blocks (`error`) or only warns (`warning`)."""

    expectation: str
    column: str | None
    observed: str
    severity: str = "error"

    @property
    def blocking(self) -> bool:
        """Whether this failure fails the batch."""
        return self.severity != WARNING

    def describe(self) -> str:
        """One report line."""
        mark = "" if self.blocking else "warning: "
        return f"{mark}{self.column or '<table>'}: {self.expectation}: {self.observed}"


@dataclass
class BatchResult:
    """The outcome of one batch: how many expectations ran and which failed."""

    dataset: str
    label: str
    rows: int
    evaluated: int
    failures: list[Failure] = field(default_factory=list)
    chunks: int = 1  # how many chunks the rows were validated in

    @property
    def success(self) -> bool:
        """True when every blocking expectation passed (warnings do not fail a batch)."""
        return not self.errors

    @property
    def errors(self) -> list[Failure]:
        """The failures that fail the batch."""
        return [f for f in self.failures if f.blocking]

    @property
    def warnings(self) -> list[Failure]:
        """The failed expectations that only warn."""
        return [f for f in self.failures if not f.blocking]


def _failure(kind: str, kwargs: dict[str, Any], result: dict[str, Any], error: Any) -> Failure:
    column = kwargs.get("column")
    raised = _raised(error)
    if raised:
        return Failure(kind, column, f"could not be evaluated: {raised}")
    parts = []
    if "unexpected_count" in result:
        count, total = result.get("unexpected_count") or 0, result.get("element_count") or 0
        parts.append(f"{count} of {total} rows unexpected")
        examples = [v for v in result.get("partial_unexpected_list") or [] if not _is_null(v)]
        if examples:
            parts.append(_examples(examples))
    elif "observed_value" in result:
        parts.append(f"observed {result['observed_value']!r}")
        mismatched = (result.get("details") or {}).get("mismatched")
        if mismatched:
            parts.append(f"mismatched columns {mismatched}")
    expected = _expected(kwargs)
    if expected:
        parts.append(f"expected {expected}")
    return Failure(kind, column, "; ".join(parts) or "failed")


def _raised(error: Any) -> str:
    """The message of an exception GX caught while evaluating an expectation (empty when none)."""
    infos = error.values() if isinstance(error, dict) and "raised_exception" not in error else [error]
    for info in infos:
        if isinstance(info, dict) and info.get("raised_exception"):
            return str(info.get("exception_message") or "error").splitlines()[0]
    return ""


def _examples(values: list[Any]) -> str:
    """`e.g. 'x', 4` with up to EXAMPLES distinct values, numpy scalars shown as plain Python values."""
    distinct: list[Any] = []
    for value in values:
        plain = value.item() if hasattr(value, "item") and callable(value.item) else value
        if plain not in distinct:
            distinct.append(plain)
    return "e.g. " + ", ".join(repr(v) for v in distinct[:EXAMPLES])


def _is_null(value: Any) -> bool:
    return value is None or (isinstance(value, float) and value != value) or str(value) in {"<NA>", "NaT", "nan"}


def _expected(kwargs: dict[str, Any]) -> str:
    if "value_set" in kwargs:
        return f"one of {list(kwargs['value_set'])}"
    if "regex" in kwargs:
        return f"to match {kwargs['regex']}"
    if "type_list" in kwargs:
        return f"a type in {list(kwargs['type_list'])}"
    if "column_set" in kwargs:
        return f"columns {list(kwargs['column_set'])}"
    if "min_value" in kwargs or "max_value" in kwargs:
        return f"between {kwargs.get('min_value')} and {kwargs.get('max_value')}"
    if "value" in kwargs:
        return repr(kwargs["value"])
    return ""


def report(results: list[BatchResult]) -> str:
    """A readable report: one header line per batch, then one line per failed expectation."""
    lines = []
    for r in results:
        size = f"{r.rows} rows" + (f" in {r.chunks} chunks" if r.chunks > 1 else "")
        warned = f"; {len(r.warnings)} warnings" if r.warnings else ""
        if r.success:
            lines.append(f"PASSED {r.dataset} ({r.label}, {size}): {r.evaluated} expectations{warned}")
        else:
            failed = f"{len(r.errors)} of {r.evaluated} expectations failed"
            lines.append(f"FAILED {r.dataset} ({r.label}, {size}): {failed}{warned}")
        lines.extend(f"  - {failure.describe()}" for failure in [*r.errors, *r.warnings])
    return "\n".join(lines)
