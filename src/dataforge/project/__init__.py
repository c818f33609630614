"""The one owner of `.dataforge/` in a generated project: decision, answers, manifest, pristine, journal.

    find_project(folder) -> Project          walk up to `.dataforge/`; ProjectError when missing or corrupt
    read_answers(root)                       the answers; refuses a newer answers schema
    read_manifest / load_manifest(root)      the files dataforge generated (lenient / strict)
    is_user_edited(root, rel)                exists and is not what dataforge recorded
    read_pristine(root)                      the exact bytes dataforge generated, for a three-way merge
    record_files / commit(root, ...)         record generated files (manifest + pristine) with the writes
    replace_files / recover(root)            all-or-nothing writes through the journal
    exclusive(root)                          the one-writer-at-a-time lock of a project (BusyError)
    change_exclusively(root, change)         run a command's writes under that lock (Ctrl-C: Interrupted)
    obstacle(root, rel)                      why rel cannot be written as a regular file (a clash, a link)
    write_records(staging, ...)              the records of a freshly rendered project (`new`)

Every path read back from these records is checked (`layout.checked_rel`, `layout.inside`): absolute
paths, `..`, links and anything resolving outside the project are refused with a ProjectError.
"""

from dataforge.project.exclusive import change_exclusively, exclusive
from dataforge.project.find import Project, find_project
from dataforge.project.journal import recover, replace_files
from dataforge.project.layout import (
    ANSWERS,
    DECISION,
    JOURNAL,
    MANIFEST,
    OWNER,
    PENDING,
    PRISTINE,
    RECORDS,
    checked_rel,
    inside,
    obstacle,
)
from dataforge.project.pristine import pack, pristine_with, read_pristine, unpack
from dataforge.project.records import (
    ANSWERS_SCHEMA_VERSION,
    Entry,
    Rendered,
    commit,
    digest,
    is_user_edited,
    load_manifest,
    manifest_bytes,
    read_answers,
    read_manifest,
    record_files,
    sha256,
    write_records,
)

__all__ = [
    "ANSWERS",
    "ANSWERS_SCHEMA_VERSION",
    "DECISION",
    "JOURNAL",
    "MANIFEST",
    "OWNER",
    "PENDING",
    "PRISTINE",
    "RECORDS",
    "Entry",
    "Project",
    "Rendered",
    "change_exclusively",
    "checked_rel",
    "commit",
    "digest",
    "exclusive",
    "find_project",
    "inside",
    "is_user_edited",
    "load_manifest",
    "manifest_bytes",
    "obstacle",
    "pack",
    "pristine_with",
    "read_answers",
    "read_manifest",
    "read_pristine",
    "record_files",
    "recover",
    "replace_files",
    "sha256",
    "unpack",
    "write_records",
]
