"""Stages 4 and 6: answers -> rendered tree (copier blueprints) -> a project in place."""
