"""The three-way merge of one file (`dataforge.project.merge`): every case of base / ours / theirs."""

from __future__ import annotations

import pytest

from dataforge.project.merge import Outcome, has_markers, merge_file

BASE = b"one\ntwo\nthree\nfour\nfive\n"


def test_no_blueprint_change_keeps_the_users_file_as_it_is() -> None:
    edited = BASE.replace(b"two", b"TWO")
    assert merge_file("f", BASE, edited, BASE) == (Outcome.KEPT, edited)
    assert merge_file("f", BASE, None, BASE) == (Outcome.KEPT, None)  # deleted by the user: stays deleted


def test_an_unedited_file_takes_the_new_render() -> None:
    new = BASE.replace(b"five", b"5")
    assert merge_file("f", BASE, BASE, new) == (Outcome.UPDATED, new)


def test_edits_on_other_lines_merge_cleanly() -> None:
    ours = BASE.replace(b"one", b"ONE")
    theirs = BASE.replace(b"five", b"FIVE")
    merged = merge_file("f", BASE, ours, theirs)
    assert merged.outcome is Outcome.MERGED
    assert merged.content == b"ONE\ntwo\nthree\nfour\nFIVE\n"


def test_edits_on_the_same_line_conflict_with_both_sides_kept() -> None:
    ours = BASE.replace(b"three", b"mine")
    theirs = BASE.replace(b"three", b"blueprint")
    merged = merge_file("dags/x.py", BASE, ours, theirs)
    assert merged.outcome is Outcome.CONFLICT
    assert merged.content is not None
    assert b"mine" in merged.content
    assert b"blueprint" in merged.content
    assert has_markers(merged.content)
    assert b"<<<<<<< yours: dags/x.py" in merged.content


def test_new_blueprint_files_are_added_and_removed_ones_go_unless_edited() -> None:
    assert merge_file("f", None, None, b"new\n") == (Outcome.ADDED, b"new\n")
    assert merge_file("f", BASE, BASE, None) == (Outcome.REMOVED, None)
    edited = BASE + b"mine\n"
    assert merge_file("f", BASE, edited, None) == (Outcome.KEPT_EDITED, edited)


def test_a_deleted_file_the_blueprints_changed_stays_deleted() -> None:
    assert merge_file("f", BASE, None, BASE + b"six\n") == (Outcome.KEPT_DELETED, None)


def test_a_user_file_where_a_new_blueprint_file_lands_conflicts_rather_than_being_overwritten() -> None:
    merged = merge_file("f", None, b"my own\n", b"generated\n")
    assert merged.outcome is Outcome.CONFLICT
    assert merged.content is not None
    assert b"my own" in merged.content
    assert b"generated" in merged.content


def test_binary_files_are_never_line_merged() -> None:
    ours, theirs = b"\0ours", b"\0theirs"
    assert merge_file("f.bin", b"\0base", ours, theirs) == (Outcome.CONFLICT, ours)


def test_the_same_change_on_both_sides_is_no_conflict() -> None:
    both = BASE.replace(b"two", b"2")
    assert merge_file("f", BASE, both, both) == (Outcome.KEPT, both)


@pytest.mark.parametrize(
    ("text", "marked"),
    [
        (b"<<<<<<< a\nx\n=======\ny\n>>>>>>> b\n", True),
        (b"head\n<<<<<<< a\nx\n=======\ny\n>>>>>>> b\n", True),
        (b"<<<<<<< a\nx\n", False),
        (b"text with ======= inside\n", False),
        (b"", False),
    ],
)
def test_conflict_markers_are_found_only_as_a_whole_block(text: bytes, marked: bool) -> None:
    assert has_markers(text) is marked
