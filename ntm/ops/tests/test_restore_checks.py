"""What `ntm backup` and `ntm restore` check before touching anything, each refusal said to the operator in words:
a restore only into an empty installation (no rows, no uploaded files), the PostgreSQL tools present and recent
enough; and what they read: the files in storage (without the health probe's), the connection's arguments, the
key file written only when the environment does not set one."""

from __future__ import annotations

import sqlite3
import subprocess
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.utils import translation

from ntm.ops import database, restore
from ntm.ops.backup import SECRET_KEY, stored_files
from ntm.ops.database import BackupError
from ntm.units.models import Kind, Unit


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def refusal(call, *args, lang: str = "en") -> str:
    with translation.override(lang), pytest.raises(BackupError) as refused:
        call(*args)
    return str(refused.value)


# --- Uploaded files ---------------------------------------------------------------------------------------------


def test_no_storage_folder_yet_means_no_files():
    assert stored_files() == []


def test_every_stored_file_is_listed_by_its_path_but_not_the_health_probes():
    for name in ("dossiers/9/biên bản.pdf", "dossiers/9/ảnh/1.jpg", "jobs/3/bao-cao.xlsx", "healthz/probe.txt"):
        default_storage.save(name, ContentFile(b"x"))
    assert sorted(stored_files()) == ["dossiers/9/biên bản.pdf", "dossiers/9/ảnh/1.jpg", "jobs/3/bao-cao.xlsx"]


# --- Only into an empty installation ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_empty_installation_is_ready_for_a_restore():
    assert database.tables_with_rows() == []
    restore._refuse_unless_empty()


@pytest.mark.django_db
def test_an_installation_with_data_is_refused_naming_its_tables():
    Unit.objects.create(key="p99", code="99", name="Thử", division_type="tỉnh", kind=Kind.PROVINCE)
    assert database.tables_with_rows() == [Unit._meta.db_table]
    message = refusal(restore._refuse_unless_empty)
    assert Unit._meta.db_table in message and "empty installation" in message
    assert Unit._meta.db_table in refusal(restore._refuse_unless_empty, lang="vi")


@pytest.mark.django_db
def test_uploaded_files_left_from_before_are_refused_with_one_named():
    default_storage.save("dossiers/1/a.pdf", ContentFile(b"%PDF"))
    default_storage.save("dossiers/1/b.pdf", ContentFile(b"%PDF"))
    message = refusal(restore._refuse_unless_empty)
    assert message.startswith("The storage of uploaded files holds 2 files (e.g. dossiers/1/")
    assert message.endswith("a restore goes only into an empty installation.")


@pytest.mark.django_db
def test_counts_are_read_for_the_tables_that_exist_only():
    Unit.objects.create(key="p99", code="99", name="Thử", division_type="tỉnh", kind=Kind.PROVINCE)
    counts = database.current_counts([Unit._meta.db_table, "no_such_table"])
    assert counts == {Unit._meta.db_table: 1}


def test_the_main_tables_are_the_ones_a_restore_is_compared_on():
    tables = database.main_tables()
    assert Unit._meta.db_table in tables and "auth_user" in tables and len(tables) == len(set(tables)) == 7


# --- PostgreSQL tools -------------------------------------------------------------------------------------------


def test_a_missing_tool_is_named_with_the_package_to_install(monkeypatch):
    monkeypatch.setattr(database.shutil, "which", lambda name: None)
    message = refusal(database._tool, "pg_dump", lang="vi")
    assert message.startswith("Không tìm thấy pg_dump") and "postgresql-client" in message


@pytest.mark.parametrize(("printed", "major"), [("pg_dump (PostgreSQL) 16.4\n", 16),
                                                ("pg_restore (PostgreSQL) 17.0 (Debian 17.0-1)\n", 17),
                                                ("pg_dump (PostgreSQL) 9.6.24\n", 9)])
def test_the_tools_version_is_read_from_what_it_prints(monkeypatch, printed, major):
    monkeypatch.setattr(database.shutil, "which", lambda name: f"/usr/bin/{name}")
    monkeypatch.setattr(database.subprocess, "run",
                        lambda *a, **k: subprocess.CompletedProcess(a, 0, stdout=printed, stderr=""))
    assert database._tool("pg_dump") == ("/usr/bin/pg_dump", major)


def test_a_version_it_cannot_read_is_said_with_what_was_printed(monkeypatch):
    monkeypatch.setattr(database.shutil, "which", lambda name: f"/usr/bin/{name}")
    monkeypatch.setattr(database.subprocess, "run",
                        lambda *a, **k: subprocess.CompletedProcess(a, 0, stdout="pg_dump dev build", stderr=""))
    assert refusal(database._tool, "pg_dump") == "Cannot read the version of pg_dump: pg_dump dev build"


def test_a_tool_as_new_as_the_server_or_newer_is_taken(monkeypatch):
    monkeypatch.setattr(database, "_tool", lambda name: (f"/usr/bin/{name}", 17))
    assert database._pg_check("pg_dump", 16) == database._pg_check("pg_dump", 17) == "/usr/bin/pg_dump"
    assert refusal(database._pg_check, "pg_dump", 18) == (
        "pg_dump 17 is too old for PostgreSQL 18: install postgresql-client-18.")


def test_the_connection_is_passed_to_the_tools_with_the_password_only_in_the_environment(monkeypatch):
    for key, value in {"NAME": "ntm", "HOST": "db.internal", "PORT": "5433", "USER": "ntm_app",
                       "PASSWORD": "bí-mật"}.items():
        monkeypatch.setitem(connection.settings_dict, key, value)
    args, env = database._pg_args()
    assert args == ["--dbname=ntm", "--host=db.internal", "--port=5433", "--username=ntm_app"]
    assert env["PGPASSWORD"] == "bí-mật" and not any("bí-mật" in a for a in args)


def test_a_local_connection_passes_only_the_database_name(monkeypatch):
    for key in ("HOST", "PORT", "USER", "PASSWORD"):
        monkeypatch.setitem(connection.settings_dict, key, "")
    monkeypatch.setitem(connection.settings_dict, "NAME", "ntm")
    monkeypatch.delenv("PGPASSWORD", raising=False)
    args, env = database._pg_args()
    assert args == ["--dbname=ntm"] and "PGPASSWORD" not in env


@pytest.mark.django_db
def test_the_database_version_is_the_servers():
    if connection.vendor == "sqlite":
        assert database.vendor_version() == sqlite3.sqlite_version
    else:
        assert database.vendor_version().split(".")[0] == str(connection.pg_version // 10000)


# --- The secret key ---------------------------------------------------------------------------------------------


def key_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "unpacked"
    folder.mkdir()
    (folder / SECRET_KEY).write_text("khóa-cũ-của-bản-sao-lưu", encoding="utf-8")
    return folder


def test_the_backups_key_is_written_readable_by_the_owner_only(tmp_path, settings, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("SECRET_KEY_FILE", raising=False)
    settings.DATA_DIR = tmp_path / "data"
    assert restore._put_key(key_folder(tmp_path)) is True
    written = tmp_path / "data" / "secret_key"
    assert written.read_text(encoding="utf-8") == "khóa-cũ-của-bản-sao-lưu"
    assert written.stat().st_mode & 0o777 == 0o600


@pytest.mark.parametrize("variable", ["SECRET_KEY", "SECRET_KEY_FILE"])
def test_a_key_set_in_the_environment_wins_and_nothing_is_written(tmp_path, settings, monkeypatch, variable):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("SECRET_KEY_FILE", raising=False)
    monkeypatch.setenv(variable, "from-the-environment")
    settings.DATA_DIR = tmp_path / "data"
    assert restore._put_key(key_folder(tmp_path)) is False
    assert not (tmp_path / "data" / "secret_key").exists()
