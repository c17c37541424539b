"""The database part of a backup: a consistent copy while the app runs, and putting it back.
SQLite: the online backup API (a file copy can miss what sits in the WAL file). PostgreSQL: pg_dump and
pg_restore of the machine, their major version checked against the server's."""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, cast

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.models import Model
from django.utils.translation import gettext as _

from ntm.catalogs.models import CatalogVersion
from ntm.evaluation.models import CriterionResult, UnitResult
from ntm.figures.models import Figure
from ntm.recognition.models import DossierDocument
from ntm.units.models import Unit

if TYPE_CHECKING:  # psycopg is not installed everywhere
    from django.db.backends.postgresql.base import DatabaseWrapper as PgDatabaseWrapper

SQLITE_MEMBER = "database/ntm.sqlite3"
PG_MEMBER = "database/ntm.pgdump"


class BackupError(Exception):
    """What went wrong and where, said to the person running the command."""


def main_tables() -> list[str]:
    """The tables a restored installation is compared on, and that must be empty before a restore."""
    models: list[type[Model]] = [get_user_model(), Unit, Figure, UnitResult, CriterionResult, DossierDocument,
                                 CatalogVersion]
    return [m._meta.db_table for m in models]


def _pg_version() -> int:
    """The PostgreSQL server's version number (160004 for 16.4); only on a PostgreSQL connection."""
    return cast("PgDatabaseWrapper", connection).pg_version


def vendor_version() -> str:
    if connection.vendor == "sqlite":
        return sqlite3.sqlite_version
    if connection.vendor == "postgresql":
        major, minor = divmod(_pg_version(), 10000)
        return f"{major}.{minor}"
    return ""


def _counts(cursor, tables: list[str]) -> dict[str, int]:
    out = {}
    for table in sorted(tables):
        cursor.execute(f'SELECT COUNT(*) FROM "{table}"')  # names come from Django's introspection
        out[table] = cursor.fetchone()[0]
    return out


def dump(dest: Path) -> tuple[str, dict[str, int], dict[str, str]]:
    """Write a consistent copy of the database into `dest` (a folder). Returns the archive member name,
    the row count of every table in that copy, and tool versions to record."""
    tables = connection.introspection.django_table_names(only_existing=True, include_views=False)
    if connection.vendor == "sqlite":
        return SQLITE_MEMBER, _sqlite_dump(dest / SQLITE_MEMBER, tables), {}
    if connection.vendor == "postgresql":
        return PG_MEMBER, *_pg_dump(dest / PG_MEMBER, tables)
    raise BackupError(_("Chưa hỗ trợ sao lưu cơ sở dữ liệu %(vendor)s.") % {"vendor": connection.vendor})


def _sqlite_dump(path: Path, tables: list[str]) -> dict[str, int]:
    path.parent.mkdir(parents=True, exist_ok=True)
    connection.ensure_connection()
    target = sqlite3.connect(path)
    try:
        # One step (pages=-1): the whole copy is read in one read transaction, so it is the database as it
        # stood at one instant; writers in WAL mode go on meanwhile.
        connection.connection.backup(target)
        return _counts(target.cursor(), tables)
    finally:
        target.close()


def _tool(name: str) -> tuple[str, int]:
    """Path and major version of pg_dump / pg_restore, or a clear error."""
    path = shutil.which(name)
    if path is None:
        raise BackupError(_("Không tìm thấy %(tool)s: cài gói postgresql-client cùng phiên bản chính với máy "
                            "chủ PostgreSQL.") % {"tool": name})
    out = subprocess.run([path, "--version"], capture_output=True, text=True, check=True).stdout
    match = re.search(r"\)\s*(\d+)", out)
    if match is None:
        raise BackupError(_("Không đọc được phiên bản của %(tool)s: %(out)s") % {"tool": name, "out": out})
    return path, int(match.group(1))


def _pg_check(name: str, needed: int) -> str:
    path, major = _tool(name)
    if major < needed:
        raise BackupError(_("%(tool)s %(have)s quá cũ cho PostgreSQL %(need)s: cài postgresql-client-%(need)s.")
                          % {"tool": name, "have": major, "need": needed})
    return path


def _pg_args() -> tuple[list[str], dict[str, str]]:
    s = connection.settings_dict
    args = [f"--dbname={s['NAME']}"]
    if s.get("HOST"):
        args.append(f"--host={s['HOST']}")
    if s.get("PORT"):
        args.append(f"--port={s['PORT']}")
    if s.get("USER"):
        args.append(f"--username={s['USER']}")
    env = {**os.environ}
    if s.get("PASSWORD"):
        env["PGPASSWORD"] = str(s["PASSWORD"])
    return args, env


def _pg_dump(path: Path, tables: list[str]) -> tuple[dict[str, int], dict[str, str]]:
    path.parent.mkdir(parents=True, exist_ok=True)
    connection.ensure_connection()
    server_major = _pg_version() // 10000
    pg_dump = _pg_check("pg_dump", server_major)
    args, env = _pg_args()
    # The counts and pg_dump read one exported snapshot: the manifest describes exactly what was dumped.
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        counts = _counts(cursor, tables)
        done = subprocess.run([pg_dump, *args, "--format=custom", f"--snapshot={snapshot}", f"--file={path}"],
                              capture_output=True, text=True, env=env)
    if done.returncode != 0:
        raise BackupError(_("pg_dump thất bại: %(err)s") % {"err": done.stderr.strip()})
    version = subprocess.run([pg_dump, "--version"], capture_output=True, text=True).stdout.strip()
    return counts, {"pg_dump": version}


def tables_with_rows() -> list[str]:
    """Main tables that hold rows: a restore goes only into an installation where this is empty."""
    existing = set(connection.introspection.table_names())
    with connection.cursor() as cursor:
        return [t for t, n in _counts(cursor, [t for t in main_tables() if t in existing]).items() if n]


def current_counts(tables: list[str]) -> dict[str, int]:
    existing = set(connection.introspection.table_names())
    with connection.cursor() as cursor:
        return _counts(cursor, [t for t in tables if t in existing])


@contextmanager
def _closed():
    connection.close()
    try:
        yield
    finally:
        connection.close()


def load(path: Path) -> None:
    """Put the database copy at `path` in place of the configured (empty) database of the same vendor."""
    if connection.vendor == "sqlite":
        with _closed():
            connection.ensure_connection()
            source = sqlite3.connect(path)
            try:
                source.backup(connection.connection)
            finally:
                source.close()
        return
    pg_restore = _pg_check("pg_restore", _pg_version() // 10000)
    args, env = _pg_args()
    with _closed():
        done = subprocess.run([pg_restore, *args, "--clean", "--if-exists", "--no-owner", "--no-privileges",
                               "--single-transaction", "--exit-on-error", str(path)],
                              capture_output=True, text=True, env=env)
    if done.returncode != 0:
        raise BackupError(_("pg_restore thất bại (không có gì bị thay đổi): %(err)s") % {"err": done.stderr.strip()})
