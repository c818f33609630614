"""Data quality: Great Expectations suites, the validate CLI and the gate.

Project: Nightly Eventhubs Synapse.

- `quality/expectations/<dataset>.json`: one GX Core 1.x suite per dataset, discovered by file name.
- `python -m nightly_eventhubs_synapse.quality.validate --dataset <name> --data <path-or-uri>`:
  validate files, local or in the object store.
- `nightly_eventhubs_synapse.quality.gate.run_quality_gate(ds)`:
  validate every curated dataset of one day, read in bounded chunks from the curated zone of the settings
  (local `data/curated`, the object store in production).

Modules: `storage` (paths and URIs through fsspec), `loading` (chunked reading and typing), `engine` (GX),
`chunked` (combining expectations over chunks), `outcomes` (failures and the report), `suites`, `validate`, `gate`.
"""
