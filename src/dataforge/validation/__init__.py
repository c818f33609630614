"""Stage 5: checks on a rendered tree before it is moved into place (fast; no project tooling)."""

from dataforge.validation.checks import Problem, check_tree

__all__ = ["Problem", "check_tree"]
