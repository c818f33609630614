"""The user actions, one module each; the CLI parses options, calls these and shows the results.

    plan                 requirement text -> facts -> decision (nothing written)
    new                  decision -> answers -> composed parts -> rendered, checked, placed tree
    add_quality_suite    a data profile or a dbt schema -> suite -> files and records of the project

Each is a library call too (tests and scripts use them); later actions (`update`, `add-ci`) join here and use
`dataforge.project` for the `.dataforge/` records, as these do.
"""
