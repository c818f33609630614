"""Which of a plan's choices were assumed rather than read from the requirement.

`new` must not substitute silently: an assumed source, sink or cloud is asked for when a person is at the
terminal, and printed when `--yes` (or no terminal) lets the assumption stand. The rules table already marks
its defaults with `assumption = true`; this reads that mark back for the decision's reasons.
"""

from __future__ import annotations

from dataforge.decision.engine import default_rules
from dataforge.decision.model import Decision

#: Decision fields whose assumed value `new` asks about, with the answer a person's choice replaces; the cloud
#: first, because an assumed warehouse is the cloud's own.
ASKED = {"deploy_cloud": "cloud", "sources": "source", "sinks": "sink"}


def assumed_fields(decision: Decision) -> dict[str, str]:
    """Decision field -> the sentence of the assumption rule that set it, for fields set by an assumption."""
    rules = {rule.id: rule for rule in default_rules()}
    found: dict[str, str] = {}
    for reason in decision.reasons:
        rule = rules.get(reason.rule)
        if rule is not None and rule.assumption and rule.set:
            found.setdefault(rule.field, reason.because)
    return found


def assumptions_to_ask(decision: Decision) -> list[tuple[str, str]]:
    """(answer name, why it is assumed) for the assumed cloud, source and sink, in that order."""
    found = assumed_fields(decision)
    return [(answer, found[field]) for field, answer in ASKED.items() if field in found]
