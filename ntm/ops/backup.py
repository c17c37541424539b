"""`ntm backup FILE`: the database, uploaded files, the secret key and a manifest, in one archive made
while the app runs. Catalog versions completed locally are rows of the database (catalogs.CatalogVersion);
`catalog/` ships with the application and is not data of the installation."""

from __future__ import annotations

import tempfile
from datetime import UTC, datetime
from functools import partial
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import django
from django.conf import settings
from django.core.files.storage import default_storage
from django.db import connection

from . import archive, database

MEDIA = "media/"
SECRET_KEY = "secret_key"


def app_version() -> str:
    try:
        return version("ntm-tracker")
    except PackageNotFoundError:
        return "unknown"


def stored_files(storage=default_storage, folder: str = "") -> list[str]:
    """Every file name in the storage, through Django's storage API (so any backend works)."""
    try:
        dirs, files = storage.listdir(folder)
    except FileNotFoundError:
        return []
    names = [f"{folder}{f}" for f in files]
    for d in dirs:
        if not folder and d == "healthz":  # /healthz's probe files live for a millisecond; not data
            continue
        names += stored_files(storage, f"{folder}{d}/")
    return names


def make_backup(dest: Path) -> dict:
    """Write the archive to `dest`; returns its manifest."""
    with tempfile.TemporaryDirectory(prefix="ntm-backup-") as tmp:
        folder = Path(tmp)
        created = datetime.now(UTC)
        # The database first: files uploaded after its snapshot are extra, never missing from its rows.
        member, counts, tools = database.dump(folder)
        for name in stored_files():
            target = folder / (MEDIA + name)
            target.parent.mkdir(parents=True, exist_ok=True)
            with default_storage.open(name, "rb") as src, target.open("wb") as out:
                for chunk in iter(partial(src.read, 1 << 20), b""):
                    out.write(chunk)
        (folder / SECRET_KEY).write_text(str(settings.SECRET_KEY), encoding="utf-8")  # may be lazy (settings.py)
        (folder / SECRET_KEY).chmod(0o600)
        manifest = {
            "format": archive.FORMAT,
            "app": "ntm-tracker",
            "app_version": app_version(),
            "django_version": django.get_version(),
            "database": {"vendor": connection.vendor, "version": database.vendor_version(), "member": member,
                         **tools},
            "created_at": created.isoformat(timespec="seconds"),
            "counts": counts,
            "files": len([n for n in archive.members_of(folder) if n.startswith(MEDIA)]),
            "members": archive.members_of(folder),
        }
        archive.write(folder, manifest, dest)
    return manifest
