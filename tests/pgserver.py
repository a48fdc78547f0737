"""A real PostgreSQL server for the tests: Debian's `postgresql` package (installed by `make
install`), a new cluster made by `initdb` in a temporary folder, started with `pg_ctl`, reached
through a Unix socket in that folder, and removed when the tests end.

`initdb` and the server refuse to run as root, and the tests (and CI) run as root: the server
then runs as the unprivileged `postgres` user the Debian package creates, in a folder that
user owns (`runuser`). Run as any other user, the server is that user's.
"""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import tempfile
import uuid
from glob import glob
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine

SERVER_USER = "postgres"  # created by Debian's postgresql-common
START_TIMEOUT = 60  # seconds pg_ctl waits for the server to accept connections


class ServerMissing(RuntimeError):
    """PostgreSQL's server programs are not installed."""


def _bindir() -> Path:
    """The newest installed server's bin folder (/usr/lib/postgresql/N/bin on Debian)."""
    found = sorted(glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[-3]))
    if found:
        return Path(found[-1]).parent
    on_path = shutil.which("initdb")
    if on_path:
        return Path(on_path).parent
    raise ServerMissing("PostgreSQL's server is not installed (initdb not found); run `make install`, "
                        "which installs Debian's postgresql package")


class PostgresServer:
    """One throwaway server. `url(name)` is an SQLAlchemy URL for database `name` on it."""

    def __init__(self) -> None:
        self.bindir = _bindir()
        self.folder = Path(tempfile.mkdtemp(prefix="vanthu-pg-"))
        self.data = self.folder / "data"
        self.as_root = os.geteuid() == 0
        if self.as_root:
            account = pwd.getpwnam(SERVER_USER)
            os.chown(self.folder, account.pw_uid, account.pw_gid)
        self.user = SERVER_USER if self.as_root else pwd.getpwuid(os.geteuid()).pw_name
        self._admin: Engine | None = None

    def _run(self, program: str, *args: str) -> subprocess.CompletedProcess:
        command = [str(self.bindir / program), *args]
        if self.as_root:
            command = ["runuser", "-u", SERVER_USER, "--", *command]
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LC_ALL": "C.UTF-8"}
        return subprocess.run(command, capture_output=True, text=True, env=env, cwd=self.folder,
                              timeout=START_TIMEOUT + 30, check=True)

    def start(self) -> PostgresServer:
        self._run("initdb", "-D", str(self.data), "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8",
                  "--username", self.user)
        # No TCP port (nothing to collide with); durability settings off: a test server's data
        # need not survive a power cut, and the tests run several times faster.
        options = (f"-k {self.folder} -c listen_addresses='' -c fsync=off -c synchronous_commit=off "
                   "-c full_page_writes=off -c max_connections=200")
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.folder / "server.log"), "-o", options,
                  "-w", "-t", str(START_TIMEOUT), "start")
        return self

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://{self.user}@/{database}?host={self.folder}"

    @property
    def admin(self) -> Engine:
        if self._admin is None:
            self._admin = create_engine(self.url("postgres"), isolation_level="AUTOCOMMIT")
        return self._admin

    def create_database(self, template: str | None = None) -> str:
        """A new empty database (or a copy of `template`, which nobody may be connected
        to); its name."""
        name = f"t_{uuid.uuid4().hex[:12]}"
        with self.admin.connect() as connection:
            copy = f" TEMPLATE {template}" if template else ""
            connection.execute(text(f"CREATE DATABASE {name}{copy}"))
        return name

    def stop(self) -> None:
        if self._admin is not None:
            self._admin.dispose()
        try:
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)
