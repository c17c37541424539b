"""`ntm backup` while editors save figures, then `ntm restore` into a fresh installation (its own database and
folders, in a separate process): the same figures and history, documents (rows and files), key, and stored
results that match a fresh evaluation."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import tarfile
import threading
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import connection
from django.utils import timezone

from ntm.figures.actions import FigureInput, record_figure
from ntm.ops.backup import make_backup
from ntm.recognition.models import Dossier, DossierDocument
from ntm.units.models import Unit

NTMNC = "commune-ntmnc-2021-2025"
QMT = "c28084"
WRITER_YEAR = 2024
FIGURE_COLUMNS = "id, unit_id, criteria_set, indicator, year, value, verdict, bound, entered_at, superseded_at"
DOCUMENT_COLUMNS = "id, dossier_id, kind, file, original_name, content_type, size"
PDF = b"%PDF-1.4\n% bien ban tham dinh\n"


@pytest.fixture
def folders(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "source-media"
    settings.DATA_DIR = tmp_path / "source-data"
    return tmp_path


def _document() -> DossierDocument:
    dossier = Dossier.objects.create(commune=Unit.objects.get(key=QMT), level="ntmnc", year=2024)
    doc = DossierDocument(dossier=dossier, kind="bien-ban", original_name="biên bản.pdf",
                          content_type="application/pdf", size=len(PDF), uploaded_at=timezone.now())
    doc.file.save("x.pdf", ContentFile(PDF))
    return doc


def _plain(value):
    """One spelling for both connections (Django's converts SQLite timestamps; PostgreSQL time zones differ)."""
    if isinstance(value, datetime):
        return (value.astimezone(UTC) if value.tzinfo else value).replace(tzinfo=None).isoformat(" ")
    return value


def _rows(cursor, sql: str) -> list[tuple]:
    cursor.execute(sql)
    return [tuple(_plain(v) for v in r) for r in cursor.fetchall()]


class Writers:
    """Editors, each saving one commune's figure over and over through the public action, until told to stop."""

    def __init__(self, units: list[Unit]):
        self.stop = threading.Event()
        self.saved: list[int] = []
        self.errors: list[Exception] = []
        self.threads = [threading.Thread(target=self._run, args=(i, u)) for i, u in enumerate(units)]

    def _run(self, i: int, unit: Unit) -> None:
        k = 0
        try:
            while not self.stop.is_set():
                k += 1
                figure = record_figure(FigureInput(unit=unit, criteria_set=NTMNC, indicator="10.1",
                                                   year=WRITER_YEAR, value=Decimal(50 + i * 100 + k % 50)))
                self.saved.append(figure.pk)
        except Exception as exc:  # noqa: BLE001 - reported by the test
            self.errors.append(exc)
        finally:
            connection.close()

    def __enter__(self):
        for t in self.threads:
            t.start()
        while self.threads and len(self.saved) < 3 and not self.errors:  # writing when the backup starts
            threading.Event().wait(0.05)
        return self

    def __exit__(self, *exc):
        self.stop.set()
        for t in self.threads:
            t.join()


def _fresh_installation(tmp_path: Path):
    """Settings of a fresh installation: (environment, a function opening its database)."""
    env = {**os.environ, "NTM_DATA_DIR": str(tmp_path / "fresh-data"), "NTM_MEDIA_DIR": str(tmp_path / "fresh-media")}
    env.pop("SECRET_KEY", None)
    env.pop("SECRET_KEY_FILE", None)
    if connection.vendor == "sqlite":
        path = tmp_path / "fresh.sqlite3"
        env["DATABASE_URL"] = f"sqlite:///{path}"
        return env, lambda: sqlite3.connect(path)
    import psycopg

    s = connection.settings_dict
    name = f"{s['NAME']}_restored"
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    env["DATABASE_URL"] = (f"postgres://{s['USER']}:{s.get('PASSWORD') or ''}@{s['HOST'] or 'localhost'}:"
                           f"{s['PORT'] or 5432}/{name}")
    return env, lambda: psycopg.connect(dbname=name, user=s["USER"], password=s.get("PASSWORD") or None,
                                        host=s["HOST"] or None, port=s["PORT"] or None)


def _ntm(env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "manage.py", *args, "--lang", "en"], cwd=settings.BASE_DIR, env=env,
                          capture_output=True, text=True, timeout=600)


@pytest.mark.django_db(transaction=True)
def test_backup_while_editors_save_restores_the_same_data_into_a_fresh_installation(demo, folders):
    doc = _document()
    archive = folders / "ntm.tar.gz"
    # Threads share SQLite's in-memory test database poorly (table locks, no WAL): writers on PostgreSQL;
    # the SQLite online backup under a writer is tested on a file database below.
    units = list(Unit.objects.filter(figures__criteria_set=NTMNC, figures__indicator="10.1",
                                     figures__year=WRITER_YEAR).distinct()[:4])
    with Writers(units if connection.vendor == "postgresql" else []) as writers:
        saved_before = list(writers.saved)
        manifest = make_backup(archive)
    assert not writers.errors
    with connection.cursor() as cursor:
        source_figures = {r[0]: r for r in _rows(cursor, f"SELECT {FIGURE_COLUMNS} FROM figures_figure")}
        source_documents = _rows(cursor, f"SELECT {DOCUMENT_COLUMNS} FROM recognition_dossierdocument ORDER BY id")

    env, fresh_db = _fresh_installation(folders)
    try:
        done = _ntm(env, "restore", str(archive))
        assert done.returncode == 0, done.stderr
        assert "0 differences" in done.stdout
        with fresh_db() as db:
            cursor = db.cursor()
            restored = {r[0]: r for r in _rows(cursor, f"SELECT {FIGURE_COLUMNS} FROM figures_figure")}
            restored_documents = _rows(cursor, f"SELECT {DOCUMENT_COLUMNS} FROM recognition_dossierdocument "
                                               "ORDER BY id")
        verify = _ntm(env, "results", "verify")
    finally:
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{connection.settings_dict["NAME"]}_restored"')

    def written(row) -> bool:
        return row[1] in {u.pk for u in units} and row[3] == "10.1" and row[4] == WRITER_YEAR

    # Figures and their history: every save acknowledged before the backup began is there; every restored
    # row is the source's row (only a later save may have superseded it since).
    assert set(saved_before) <= set(restored)
    assert len(restored) == manifest["counts"]["figures_figure"]
    for pk, row in restored.items():
        source = source_figures[pk]
        assert row[:-1] == source[:-1]
        assert row[-1] == source[-1] or (row[-1] is None and written(source))
    untouched = {pk: r for pk, r in source_figures.items() if not written(r)}
    assert {pk: restored.get(pk) for pk in untouched} == untouched
    # Documents: rows and file contents.
    assert restored_documents == source_documents
    assert (folders / "fresh-media" / doc.file.name).read_bytes() == PDF
    # The key, and results that match a fresh evaluation in the restored installation.
    assert (folders / "fresh-data" / "secret_key").read_text(encoding="utf-8") == settings.SECRET_KEY
    assert verify.returncode == 0, verify.stdout + verify.stderr
    assert "0 differences" in verify.stdout


def test_sqlite_online_backup_under_a_writer_is_one_consistent_instant(tmp_path):
    """The mechanism `ntm backup` uses on SQLite (one-step backup API), on a WAL file database while a
    writer commits pairs of rows: the copy is whole and holds only complete pairs."""
    path = tmp_path / "live.sqlite3"
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("CREATE TABLE t (pair INTEGER, half INTEGER)")
    stop = threading.Event()

    def write():
        w = sqlite3.connect(path, isolation_level=None, timeout=30)
        n = 0
        while not stop.is_set():
            n += 1
            w.execute("BEGIN IMMEDIATE")
            w.executemany("INSERT INTO t VALUES (?, ?)", [(n, 0), (n, 1)])
            w.execute("COMMIT")
        w.close()

    writer = threading.Thread(target=write)
    writer.start()
    try:
        threading.Event().wait(0.2)
        copy = sqlite3.connect(tmp_path / "copy.sqlite3")
        sqlite3.connect(path).backup(copy)
    finally:
        stop.set()
        writer.join()
    assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    count, pairs = copy.execute("SELECT COUNT(*), COUNT(DISTINCT pair) FROM t").fetchone()
    assert count > 0 and count == 2 * pairs
    assert db.execute("SELECT COUNT(*) FROM t").fetchone()[0] > count  # the writer went on after the copy


def _archive(tmp_path: Path, *, vendor: str | None = None, tamper: bool = False) -> Path:
    """A small archive in the backup's format (the database member is not needed for these refusals)."""
    from ntm.ops import archive

    folder = tmp_path / "members"
    (folder / "media/dossiers/9").mkdir(parents=True)
    (folder / "database").mkdir()
    (folder / "database/ntm.sqlite3").write_bytes(b"not restored")
    (folder / "media/dossiers/9/a.pdf").write_bytes(PDF)
    (folder / "secret_key").write_text("k", encoding="utf-8")
    members = archive.members_of(folder)
    if tamper:
        members["media/dossiers/9/a.pdf"] = "0" * 64
    manifest = {"format": archive.FORMAT, "app_version": "0.1.0", "created_at": "2026-12-03T00:00:00+00:00",
                "database": {"vendor": vendor or connection.vendor, "version": "1", "member": "database/ntm.sqlite3"},
                "counts": {}, "files": 1, "members": members}
    dest = tmp_path / "x.tar.gz"
    archive.write(folder, manifest, dest)
    return dest


def _restore_refused(path: Path) -> str:
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError) as refused:
        call_command("restore", str(path), "--lang", "en")
    return str(refused.value)


def test_bad_archives_are_refused_and_nothing_changes(demo, folders):
    before = (Unit.objects.count(), sorted(p.name for p in folders.rglob("*")))
    garbage = folders / "garbage.tar.gz"
    garbage.write_bytes(b"hello, not an archive")
    assert "not an NTM Tracker backup" in _restore_refused(garbage)
    message = _restore_refused(_archive(folders, tamper=True))
    assert "media/dossiers/9/a.pdf" in message and "sha256" in message
    assert "manifest.json" in _restore_refused(_plain_tar(folders))
    after = (Unit.objects.count(), sorted(p.name for p in folders.rglob("*")))
    assert after[0] == before[0]
    assert not (Path(settings.MEDIA_ROOT) / "dossiers/9").exists()


def _plain_tar(tmp_path: Path) -> Path:
    path = tmp_path / "plain.tar.gz"
    (tmp_path / "note.txt").write_text("x", encoding="utf-8")
    with tarfile.open(path, "w:gz") as tar:
        tar.add(tmp_path / "note.txt", arcname="note.txt")
    return path


def test_restore_refuses_an_installation_with_data_and_another_database_vendor(demo, folders):
    message = _restore_refused(_archive(folders))
    assert "figures_figure" in message and "empty installation" in message
    other = "postgresql" if connection.vendor == "sqlite" else "sqlite"
    (folders / "x.tar.gz").unlink()
    shutil.rmtree(folders / "members")
    message = _restore_refused(_archive(folders, vendor=other))
    assert other in message and connection.vendor in message


def test_a_pg_dump_older_than_the_server_is_refused_naming_the_package(monkeypatch):
    from ntm.ops import database

    monkeypatch.setattr(database, "_tool", lambda name: (f"/usr/bin/{name}", 15))
    with pytest.raises(database.BackupError) as refused:
        database._pg_check("pg_dump", 16)
    assert "postgresql-client-16" in str(refused.value) and "pg_dump 15" in str(refused.value)
    assert database._pg_check("pg_restore", 15) == "/usr/bin/pg_restore"


def test_backup_never_overwrites_a_file(folders):
    from django.core.management import CommandError, call_command

    existing = folders / "ntm.tar.gz"
    existing.write_bytes(b"yesterday's backup")
    with pytest.raises(CommandError, match="exists already"):
        call_command("backup", str(existing), "--lang", "en")
    assert existing.read_bytes() == b"yesterday's backup"
