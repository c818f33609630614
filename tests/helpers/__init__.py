"""Helpers for dataforge's own tests: run real tools over generated projects."""
