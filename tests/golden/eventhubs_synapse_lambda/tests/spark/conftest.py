"""What the Spark tests share: the bundle a Spark platform takes, built by the real packaging code, and the real
spark-submit that runs a step's job from it."""

import sys
from pathlib import Path

import pytest

from nightly_eventhubs_synapse.transform import package

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def spark_submit() -> Path:
    """The spark-submit of the installed pyspark (the venv's script, else the one inside the package)."""
    import pyspark

    for folder in (Path(sys.executable).parent, Path(pyspark.__file__).parent / "bin"):
        candidate = folder / "spark-submit"
        if candidate.is_file():
            return candidate
    pytest.fail("spark-submit not found next to the Python interpreter or in the pyspark package")


@pytest.fixture(scope="module")
def bundle(tmp_path_factory):
    return package.build(tmp_path_factory.mktemp("dist") / "spark", ROOT / "spark" / "entrypoint.py")
