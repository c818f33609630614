"""The Spark bundle: built by the real packaging code, as a platform takes it (each Spark step's own test runs
its job from the bundle with the real spark-submit)."""

import zipfile
from pathlib import Path

from nightly_eventhubs_synapse.transform import package

ROOT = Path(__file__).resolve().parents[2]


def test_the_zip_holds_the_package_and_no_caches(bundle):
    names = zipfile.ZipFile(bundle.py_files).namelist()
    assert bundle.py_files.name == "nightly_eventhubs_synapse.zip"
    assert "nightly_eventhubs_synapse/__init__.py" in names
    assert "nightly_eventhubs_synapse/transform/submit.py" in names
    assert not [n for n in names if "__pycache__" in n or n.endswith(".pyc")]
    assert bundle.entrypoint.read_bytes() == (ROOT / "spark" / "entrypoint.py").read_bytes()


def test_the_zip_is_reproducible(bundle, tmp_path):
    assert package.build_zip(tmp_path / "again.zip").read_bytes() == bundle.py_files.read_bytes()


def test_the_command_line_builds_the_bundle(tmp_path):
    assert package.main(["--out", str(tmp_path), "--entrypoint", str(ROOT / "spark" / "entrypoint.py")]) == 0
    assert {p.name for p in tmp_path.iterdir()} == {"entrypoint.py", "nightly_eventhubs_synapse.zip"}
