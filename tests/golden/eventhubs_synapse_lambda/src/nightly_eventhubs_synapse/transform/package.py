"""Package the Spark job the way Spark platforms take it: one entry-point file and the project as a zip.

    python -m <project>.transform.package [--out dist/spark]      (or: make package-spark)

writes `<out>/entrypoint.py` (a copy of `spark/entrypoint.py`) and `<out>/<project>.zip`, this package for
`--py-files`. Upload both into one folder of the artifacts store and set `SPARK_JOB_URI` to the entry point: the
Spark operator passes the zip found beside it (or at `SPARK_PY_FILES_URI`) in the platform's own way.

The zip holds the project's own code only. The platform provides PySpark (3.5 or 4); the Spark step imports
no other third-party package, and source connectors arrive as jars (`source.SPARK_PACKAGES`).
The archive is reproducible: the same code gives the same bytes.
"""

from __future__ import annotations

import argparse
import shutil
import zipfile
from dataclasses import dataclass
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parents[1]
PACKAGE = PACKAGE_DIR.name
ENTRYPOINT = "entrypoint.py"
# Files of the package that never go into the archive.
_SKIPPED_DIRS = {"__pycache__"}
_SKIPPED_SUFFIXES = {".pyc", ".pyo"}
# A fixed timestamp for every entry (the earliest a zip can hold), so rebuilding changes nothing.
_EPOCH = (1980, 1, 1, 0, 0, 0)


@dataclass(frozen=True)
class SparkBundle:
    """What `build` wrote: the entry point and the zip to pass on `--py-files`."""

    entrypoint: Path
    py_files: Path


def package_files(package_dir: Path = PACKAGE_DIR) -> list[Path]:
    """Every file of the package that goes into the archive, sorted (no caches or compiled files)."""
    return sorted(
        path
        for path in package_dir.rglob("*")
        if path.is_file()
        and not _SKIPPED_DIRS & set(path.relative_to(package_dir).parts)
        and path.suffix not in _SKIPPED_SUFFIXES
    )


def build_zip(target: Path, package_dir: Path = PACKAGE_DIR) -> Path:
    """Write the package as `target` (entries `<package>/...`, importable from the zip on sys.path)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in package_files(package_dir):
            name = f"{package_dir.name}/{path.relative_to(package_dir).as_posix()}"
            info = zipfile.ZipInfo(name, date_time=_EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, path.read_bytes())
    return target


def build(out_dir: Path, entrypoint: Path) -> SparkBundle:
    """Build `<out_dir>/<project>.zip` and copy `entrypoint` to `<out_dir>/entrypoint.py`."""
    if not entrypoint.is_file():
        raise FileNotFoundError(f"no entry point at {entrypoint}: run from the project root or pass --entrypoint")
    out_dir.mkdir(parents=True, exist_ok=True)
    copied = out_dir / ENTRYPOINT
    shutil.copyfile(entrypoint, copied)
    return SparkBundle(entrypoint=copied, py_files=build_zip(out_dir / f"{PACKAGE}.zip"))


def main(argv: list[str] | None = None) -> int:
    """Command line: build the Spark bundle."""
    parser = argparse.ArgumentParser(description="Package the Spark job: entry point and project zip.")
    parser.add_argument("--out", type=Path, default=Path("dist/spark"), help="output folder (default: dist/spark)")
    parser.add_argument(
        "--entrypoint",
        type=Path,
        default=Path("spark") / ENTRYPOINT,
        help="entry-point script to ship (default: spark/entrypoint.py)",
    )
    args = parser.parse_args(argv)
    bundle = build(args.out, args.entrypoint)
    print(f"{bundle.entrypoint}\n{bundle.py_files}")
    print(f"upload both to one folder and set SPARK_JOB_URI=<that folder>/{ENTRYPOINT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
