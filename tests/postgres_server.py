"""A throwaway PostgreSQL cluster for the tests, listening only on a Unix socket.

DESIGN.md promises the same code runs on PostgreSQL through a database URL;
these tests hold us to it with a real server, not a stand-in.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def _find(tool: str) -> str:
    found = shutil.which(tool)
    if found:
        return found
    for version_dir in sorted(Path("/usr/lib/postgresql").glob("*"), reverse=True):
        candidate = version_dir / "bin" / tool
        if candidate.exists():
            return str(candidate)
    raise RuntimeError(f"PostgreSQL tool {tool} not found; ./test installs the postgresql package")


def _as_postgres(cmd: list[str]) -> list[str]:
    """initdb refuses to run as root, so run the server as the postgres account then."""
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *cmd]
    return cmd


@contextmanager
def postgres_cluster() -> Iterator[str]:
    """Start a cluster in a fresh folder; yield a SQLAlchemy URL template with {db}.

    The folder lives outside pytest's private temp tree, which the postgres
    account cannot enter.
    """
    base = Path(tempfile.mkdtemp(prefix="kepu-pg-"))
    base.chmod(0o755)
    data = base / "pgdata"
    sock = base / "pgsock"
    data.mkdir(parents=True)
    sock.mkdir()
    if os.geteuid() == 0:
        shutil.chown(base, "postgres")
        shutil.chown(data, "postgres")
        shutil.chown(sock, "postgres")
    subprocess.run(
        _as_postgres(
            [
                _find("initdb"),
                "-D",
                str(data),
                "-A",
                "trust",
                "-U",
                "kepu",
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
            ]
        ),
        check=True,
        capture_output=True,
    )
    port = str(20000 + uuid.uuid4().int % 20000)
    options = f"-c listen_addresses='' -k {sock} -p {port} -c fsync=off"
    subprocess.run(
        _as_postgres(
            [
                _find("pg_ctl"),
                "-D",
                str(data),
                "-o",
                options,
                "-l",
                str(base / "pg.log"),
                "-w",
                "start",
            ]
        ),
        check=True,
        capture_output=True,
    )
    try:
        yield f"postgresql+psycopg://kepu@/{{db}}?host={sock}&port={port}"
    finally:
        subprocess.run(
            _as_postgres([_find("pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"]),
            check=False,
            capture_output=True,
        )
        shutil.rmtree(base, ignore_errors=True)


def create_database(url_template: str) -> str:
    """A fresh empty database on the cluster; returns its URL."""
    import psycopg

    name = f"t_{uuid.uuid4().hex[:12]}"
    admin = url_template.format(db="postgres").replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return url_template.format(db=name)
