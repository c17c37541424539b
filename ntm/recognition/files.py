"""What an uploaded file is, judged by its content (magic bytes), never by the name the uploader gave.
The checks of the whole content, the name and zip archives are in `ntm.uploads`."""

from __future__ import annotations

import unicodedata
import zipfile
from typing import IO

from ntm.uploads import UploadProblem, check_archive

PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOC = "application/msword"
XLS = "application/vnd.ms-excel"

EXTENSIONS = {PDF: ".pdf", PNG: ".png", JPEG: ".jpg", DOCX: ".docx", XLSX: ".xlsx", DOC: ".doc", XLS: ".xls"}

OLE = bytes.fromhex("D0CF11E0A1B11AE1")
EXECUTABLE_MAGIC = (b"MZ", b"\x7fELF", b"\xcf\xfa\xed\xfe", b"\xce\xfa\xed\xfe", b"\xca\xfe\xba\xbe", b"#!")
FORBIDDEN_IN_NAMES = set('/\\:*?"<>|')


def is_executable(head: bytes) -> bool:
    return head.startswith(EXECUTABLE_MAGIC)


def _ooxml(stream: IO[bytes]) -> str | None:
    """DOCX or XLSX: a zip with `[Content_Types].xml` naming the main part."""
    try:
        with check_archive(stream) as archive:  # limits checked before reading inside
            types = archive.read("[Content_Types].xml")
    except (zipfile.BadZipFile, KeyError, OSError, UploadProblem):
        return None
    finally:
        stream.seek(0)
    if b"wordprocessingml.document.main" in types:
        return DOCX
    if b"spreadsheetml.sheet.main" in types:
        return XLSX
    return None


def sniff(stream: IO[bytes], name: str) -> str | None:
    """The content type of an accepted kind, or None. The name only tells an old .doc from an .xls."""
    head = stream.read(8)
    stream.seek(0)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"PK\x03\x04"):
        return _ooxml(stream)
    if head.startswith(OLE):
        return XLS if name.lower().endswith(".xls") else DOC
    return None


def name_problem(name: str) -> str | None:
    """Why a file name is refused (a path, control or reserved characters), or None."""
    if not name or len(name) > 200:
        return "length"
    if ".." in name or any(c in FORBIDDEN_IN_NAMES for c in name):
        return "path"
    if any(unicodedata.category(c).startswith("C") for c in name):
        return "control"
    return None
