"""The backup archive read before a restore: every way an archive can be damaged, foreign or altered is refused
with a message that names the file and what is wrong, in the operator's language. No database needed."""

from __future__ import annotations

import io
import json
import tarfile
from pathlib import Path

import pytest
from django.utils import translation

from ntm.ops import archive
from ntm.ops.database import BackupError


@pytest.fixture
def members(tmp_path: Path) -> Path:
    folder = tmp_path / "members"
    (folder / "media/dossiers/9").mkdir(parents=True)
    (folder / "db.sqlite3").write_bytes(b"SQLite format 3\x00" + b"\x01" * 64)
    (folder / "media/dossiers/9/biên bản.pdf").write_bytes(b"%PDF-1.7 ...")
    return folder


def manifest_for(folder: Path, **extra) -> dict:
    return {"format": archive.FORMAT, "members": archive.members_of(folder), **extra}


def written(folder: Path, manifest: dict) -> Path:
    dest = folder.parent / "ntm.tar.gz"
    archive.write(folder, manifest, dest)
    return dest


def raw_tar(path: Path, files: dict[str, bytes]) -> Path:
    """A .tar.gz holding exactly `files` (names as given, even ones `tarfile.add` would clean)."""
    with tarfile.open(path, "w:gz") as tar:
        for name, content in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(content)
            tar.addfile(info, io.BytesIO(content))
    return path


def refusal(source: Path, into: Path, lang: str = "en") -> str:
    into.mkdir(exist_ok=True)
    with translation.override(lang), pytest.raises(BackupError) as refused:
        archive.read(source, into)
    return str(refused.value)


def test_members_are_listed_by_archive_name_with_their_checksum(members):
    listed = archive.members_of(members)
    assert sorted(listed) == ["db.sqlite3", "media/dossiers/9/biên bản.pdf"]
    assert listed["db.sqlite3"] == archive.sha256(members / "db.sqlite3")
    assert all(len(digest) == 64 for digest in listed.values())


def test_a_sound_archive_unpacks_whole_and_gives_back_its_manifest(members, tmp_path):
    manifest = manifest_for(members, database={"vendor": "sqlite", "member": "db.sqlite3"})
    source = written(members, manifest)
    assert not (source.parent / "ntm.tar.gz.partial").exists(), "written whole, then renamed"
    into = tmp_path / "out"
    into.mkdir()
    assert archive.read(source, into) == json.loads(json.dumps(manifest))
    assert (into / "media/dossiers/9/biên bản.pdf").read_bytes() == b"%PDF-1.7 ..."


def test_a_missing_file_is_named(tmp_path):
    assert refusal(tmp_path / "khong-co.tar.gz", tmp_path / "out") == f"No file {tmp_path / 'khong-co.tar.gz'}."


def test_a_folder_is_not_an_archive(tmp_path):
    assert refusal(tmp_path, tmp_path / "out").startswith("No file")


@pytest.mark.parametrize("content", [b"", b"hello, not an archive", b"\x1f\x8b\x08\x00broken gzip"])
def test_something_else_than_a_tar_is_not_a_backup(tmp_path, content):
    source = tmp_path / "x.tar.gz"
    source.write_bytes(content)
    assert f"{source} is not an NTM Tracker backup (.tar.gz)" in refusal(source, tmp_path / "out")


def test_a_truncated_archive_is_not_a_backup(members, tmp_path):
    source = written(members, manifest_for(members))
    source.write_bytes(source.read_bytes()[: source.stat().st_size // 2])
    assert "is not an NTM Tracker backup" in refusal(source, tmp_path / "out")


@pytest.mark.parametrize("name", ["../outside.txt", "media/../../outside.txt", "/etc/ntm.txt"])
def test_a_member_outside_the_archive_is_refused_before_anything_is_unpacked(tmp_path, name):
    source = raw_tar(tmp_path / "evil.tar.gz", {"manifest.json": b"{}", name: b"x"})
    into = tmp_path / "deep" / "out"
    into.mkdir(parents=True)
    assert refusal(source, into) == f"{source}: member “{name}” lies outside the archive."
    assert not list(into.iterdir()) and not (tmp_path / "deep" / "outside.txt").exists()


@pytest.mark.parametrize("manifest", [None, b"{not json", b"[]", b'{"format": 1}', b'"members"'])
def test_a_tar_without_a_readable_manifest_is_not_a_backup(tmp_path, manifest):
    files = {"db.sqlite3": b"x"} | ({"manifest.json": manifest} if manifest is not None else {})
    source = raw_tar(tmp_path / "x.tar.gz", files)
    message = refusal(source, tmp_path / "out")
    assert message == f"{source}: manifest.json missing or damaged; not an NTM Tracker backup."


@pytest.mark.parametrize("version", [2, None, "1"])
def test_an_archive_of_another_format_is_refused_naming_it(members, tmp_path, version):
    source = written(members, manifest_for(members) | {"format": version})
    assert refusal(source, tmp_path / "out") == f"{source}: backup format {version} is not supported."


def test_a_member_the_manifest_does_not_list_is_refused(members, tmp_path):
    manifest = manifest_for(members)
    source = raw_tar(tmp_path / "x.tar.gz", {
        "manifest.json": json.dumps(manifest).encode(),
        "db.sqlite3": (members / "db.sqlite3").read_bytes(),
        "media/dossiers/9/biên bản.pdf": (members / "media/dossiers/9/biên bản.pdf").read_bytes(),
        "media/extra.exe": b"MZ", "zz.txt": b"?"})
    assert refusal(source, tmp_path / "out") == f"{source}: members not in the manifest: media/extra.exe, zz.txt"


def test_a_member_the_manifest_lists_but_the_archive_lacks_is_refused(members, tmp_path):
    manifest = manifest_for(members)
    source = raw_tar(tmp_path / "x.tar.gz", {"manifest.json": json.dumps(manifest).encode(),
                                              "db.sqlite3": (members / "db.sqlite3").read_bytes()})
    message = refusal(source, tmp_path / "out")
    assert message == f"{source}: member “media/dossiers/9/biên bản.pdf” listed in the manifest is missing."


def test_an_altered_member_is_refused_and_told_in_vietnamese(members, tmp_path):
    manifest = manifest_for(members)
    (members / "db.sqlite3").write_bytes(b"SQLite format 3\x00 changed after the checksum")
    source = written(members, manifest)
    message = refusal(source, tmp_path / "out", lang="vi")
    assert message.startswith(f"{source}: thành phần “db.sqlite3” có mã kiểm tra sha256 khác manifest")
    assert message.endswith("không khôi phục gì.")


def test_refusals_are_in_vietnamese_by_default(tmp_path):
    source = tmp_path / "x.tar.gz"
    source.write_bytes(b"not gzip")
    assert f"{source} không phải bản sao lưu NTM Tracker (.tar.gz)" in refusal(source, tmp_path / "out", lang="vi")
    assert refusal(tmp_path / "none", tmp_path / "out", lang="vi") == f"Không có tệp {tmp_path / 'none'}."
