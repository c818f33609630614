"""Stage 2: facts -> decision, by rules that are data (rules.toml)."""

from dataforge.decision.engine import decide, default_rules, load_rules
from dataforge.decision.model import CLOUDS, PATTERNS, Condition, Decision, Overruled, Reason, Rule

__all__ = [
    "CLOUDS",
    "PATTERNS",
    "Condition",
    "Decision",
    "Overruled",
    "Reason",
    "Rule",
    "decide",
    "default_rules",
    "load_rules",
]
