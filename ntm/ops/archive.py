"""The backup archive: a .tar.gz of members plus `manifest.json` naming each member with its sha256.
Reading checks everything before anything is restored: a damaged or altered archive changes nothing."""

from __future__ import annotations

import hashlib
import json
import tarfile
from pathlib import Path, PurePosixPath

from django.utils.translation import gettext as _

from .database import BackupError

MANIFEST = "manifest.json"
FORMAT = 1


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def members_of(folder: Path) -> dict[str, str]:
    """Every file under `folder` as archive name → sha256."""
    return {p.relative_to(folder).as_posix(): sha256(p) for p in sorted(folder.rglob("*")) if p.is_file()}


def write(folder: Path, manifest: dict, dest: Path) -> None:
    """Pack `folder` (its files are the members) with the manifest, into `dest` written whole or not at all."""
    (folder / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
    partial = dest.with_name(dest.name + ".partial")
    with tarfile.open(partial, "w:gz") as tar:
        tar.add(folder / MANIFEST, arcname=MANIFEST)
        for name in manifest["members"]:
            tar.add(folder / name, arcname=name)
    partial.replace(dest)


def read(source: Path, into: Path) -> dict:
    """Unpack `source` into `into` and return its manifest, after checking every member against it."""
    if not source.is_file():
        raise BackupError(_("Không có tệp %(file)s.") % {"file": source})
    try:
        with tarfile.open(source, "r:*") as tar:
            names = [m.name for m in tar.getmembers() if m.isfile()]
            for name in names:
                member = PurePosixPath(name)
                if member.is_absolute() or ".." in member.parts:
                    raise BackupError(_("%(file)s: thành phần “%(name)s” nằm ngoài bản sao lưu.")
                                      % {"file": source, "name": name})
            tar.extractall(into, filter="data")
    except (tarfile.TarError, EOFError, OSError) as exc:
        raise BackupError(_("%(file)s không phải bản sao lưu NTM Tracker (.tar.gz): %(err)s")
                          % {"file": source, "err": exc}) from None
    try:
        manifest = json.loads((into / MANIFEST).read_text(encoding="utf-8"))
        listed: dict[str, str] = manifest["members"]
    except (OSError, ValueError, KeyError, TypeError):
        raise BackupError(_("%(file)s: thiếu hoặc hỏng manifest.json, không phải bản sao lưu NTM Tracker.")
                          % {"file": source}) from None
    if manifest.get("format") != FORMAT:
        raise BackupError(_("%(file)s: định dạng bản sao lưu %(format)s chưa được hỗ trợ.")
                          % {"file": source, "format": manifest.get("format")})
    unlisted = sorted(set(names) - set(listed) - {MANIFEST})
    if unlisted:
        raise BackupError(_("%(file)s: thành phần không có trong manifest: %(names)s")
                          % {"file": source, "names": ", ".join(unlisted)})
    for name, expected in listed.items():
        path = into / name
        if not path.is_file():
            raise BackupError(_("%(file)s: thiếu thành phần “%(name)s” ghi trong manifest.")
                              % {"file": source, "name": name})
        if sha256(path) != expected:
            raise BackupError(_("%(file)s: thành phần “%(name)s” có mã kiểm tra sha256 khác manifest — bản sao "
                                "lưu bị hỏng hoặc bị sửa; không khôi phục gì.") % {"file": source, "name": name})
    return manifest
