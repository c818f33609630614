"""A throwaway PostgreSQL server for production-path tests: initdb + pg_ctl on a free loopback port.

PostgreSQL refuses to run as root, so under root the cluster is created and run as `nobody` (setpriv), in a
private temporary folder it owns; otherwise as the current user. Password authentication (scram-sha-256) is
on, so clients connect the way a real warehouse asks them to. Missing binaries raise ``ToolMissingError``.
"""

from __future__ import annotations

import os
import pwd
import secrets
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tests.helpers.validators import ToolMissingError

SUPERUSER = "postgres"
BIN_GLOB = "/usr/lib/postgresql/*/bin"


@dataclass(frozen=True)
class Server:
    """A running server: where it listens and how to log in as its superuser."""

    host: str
    port: int
    user: str
    password: str

    def uri(self, database: str, scheme: str = "postgresql") -> str:
        """Connection URI (the form of an Airflow connection and of dlt's credentials)."""
        return f"{scheme}://{self.user}:{self.password}@{self.host}:{self.port}/{database}"


def pg_bindir() -> Path:
    """The folder holding initdb and pg_ctl (PATH first, then Debian's /usr/lib/postgresql/<version>/bin)."""
    found = shutil.which("pg_ctl")
    if found:
        return Path(found).parent
    candidates = sorted(Path("/").glob(BIN_GLOB.lstrip("/")), key=lambda p: p.parent.name)
    for candidate in reversed(candidates):
        if (candidate / "initdb").is_file() and (candidate / "pg_ctl").is_file():
            return candidate
    raise ToolMissingError(f"PostgreSQL server binaries (initdb, pg_ctl) are not on PATH nor in {BIN_GLOB}")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _as_owner() -> tuple[list[str], int | None, int | None]:
    """Command prefix and uid/gid to run the server with: `nobody` when we are root, else ourselves."""
    if os.geteuid() != 0:
        return [], None, None
    nobody = pwd.getpwnam("nobody")
    prefix = ["setpriv", f"--reuid={nobody.pw_uid}", f"--regid={nobody.pw_gid}", "--clear-groups"]
    return prefix, nobody.pw_uid, nobody.pw_gid


def _run(cmd: list[str], log: Path) -> None:
    done = subprocess.run(cmd, capture_output=True, text=True, check=False, timeout=120)
    if done.returncode != 0:
        server_log = log.read_text() if log.is_file() else ""
        raise AssertionError(f"{' '.join(cmd[:4])}... failed:\n{done.stdout}{done.stderr}{server_log}")


@contextmanager
def throwaway_postgres() -> Iterator[Server]:
    """Start a fresh cluster; stop it and delete every file on exit."""
    bindir = pg_bindir()
    prefix, uid, gid = _as_owner()
    base = Path(tempfile.mkdtemp(prefix="dataforge-pg-"))
    data, log, pwfile = base / "data", base / "server.log", base / "pwfile"
    password = secrets.token_hex(16)
    pwfile.write_text(password + "\n")
    if uid is not None and gid is not None:
        for path in (base, pwfile):
            os.chown(path, uid, gid)
    server = Server("127.0.0.1", free_port(), SUPERUSER, password)
    try:
        _run([*prefix, str(bindir / "initdb"), "-D", str(data), "-U", SUPERUSER, "--auth=scram-sha-256",
              f"--pwfile={pwfile}", "-E", "UTF8", "--no-locale"], log)  # fmt: skip
        options = (
            f"-c listen_addresses={server.host} -p {server.port} -c unix_socket_directories={base} "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        _run([*prefix, str(bindir / "pg_ctl"), "-D", str(data), "-l", str(log), "-o", options, "-w", "-t", "60",
              "start"], log)  # fmt: skip
        try:
            yield server
        finally:
            subprocess.run([*prefix, str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"],
                           capture_output=True, check=False, timeout=60)  # fmt: skip
    finally:
        shutil.rmtree(base, ignore_errors=True)
