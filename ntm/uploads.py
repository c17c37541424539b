"""Checks every uploaded file passes before a parser opens it or storage keeps it: the name, the zip
archive behind .xlsx/.docx (entries, unpacked size, compression ratio — read from the central directory,
never by unpacking), and the content against its type all the way through (a PDF parses as a PDF, an
image decodes, an Office file is a complete OOXML package).

Limits come from settings (`NTM_UPLOAD_*` in the environment). A refusal says what is wrong in
Vietnamese and English (`UploadProblem.text(language)`), so callers can show or wrap it."""

from __future__ import annotations

import io
import struct
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass
from typing import IO
from xml.etree import ElementTree

from django.conf import settings
from django.utils.translation import get_language

MB = 1024 * 1024
# Unicode categories refused in file names: controls (NUL…), format characters (the bidi overrides
# U+202A–U+202E and isolates U+2066–U+2069, zero-width joiners…), surrogates, private use, unassigned,
# and line/paragraph separators.
_REFUSED_CATEGORIES = ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp")


@dataclass(frozen=True)
class Limits:
    max_entries: int
    max_unzipped_bytes: int
    max_ratio: int
    max_pixels: int


def limits() -> Limits:
    return Limits(settings.NTM_UPLOAD_MAX_ENTRIES, settings.NTM_UPLOAD_MAX_UNZIPPED_BYTES,
                  settings.NTM_UPLOAD_MAX_RATIO, settings.NTM_UPLOAD_MAX_PIXELS)


class UploadProblem(ValueError):
    """Why an upload is refused; nothing was parsed or stored."""

    def __init__(self, vi: str, en: str):
        self.vi, self.en = vi, en
        super().__init__(vi)

    def text(self, language: str) -> str:
        return self.en if language.startswith("en") else self.vi

    def __str__(self) -> str:
        return self.text(get_language() or "vi")


class ArchiveDamaged(UploadProblem):
    """Not a readable zip at all (damaged, truncated, or not a zip): callers may say it in their words."""


# --- Names --------------------------------------------------------------------------------------------


def check_name(name: str) -> None:
    """Refuse a name with control, invisible or direction-changing characters (e.g. NUL, U+202E, which
    makes "report‮fdp.exe" look like "reportexe.pdf")."""
    bad = next((c for c in name if unicodedata.category(c) in _REFUSED_CATEGORIES), None)
    if bad is not None:
        code = f"U+{ord(bad):04X}"
        raise UploadProblem(f"tên tệp chứa ký tự điều khiển hoặc ký tự vô hình ({code}); hãy đổi tên tệp rồi "
                            "tải lên lại",
                            f"the file name contains a control or invisible character ({code}); rename the file "
                            "and upload it again")


# --- Zip archives (.xlsx, .docx) ----------------------------------------------------------------------

_EOCD = b"PK\x05\x06"
_ZIP64_LOCATOR = b"PK\x06\x07"
_ZIP64_EOCD = b"PK\x06\x06"


def _entry_count(stream: IO[bytes]) -> int:
    """The number of entries the end-of-central-directory record declares (zip64 too), read before
    `zipfile` builds one object per entry, so a file declaring millions of entries costs nothing."""
    stream.seek(0, io.SEEK_END)
    size = stream.tell()
    tail_start = max(0, size - (22 + 65535))
    stream.seek(tail_start)
    tail = stream.read()
    stream.seek(0)
    at = tail.rfind(_EOCD)
    if at < 0 or len(tail) - at < 22:
        raise zipfile.BadZipFile
    count = struct.unpack_from("<H", tail, at + 10)[0]
    locator = at - 20
    if locator >= 0 and tail[locator:locator + 4] == _ZIP64_LOCATOR:
        offset = struct.unpack_from("<Q", tail, locator + 8)[0]
        stream.seek(offset)
        record = stream.read(56)
        stream.seek(0)
        if len(record) < 56 or record[:4] != _ZIP64_EOCD:
            raise zipfile.BadZipFile
        count = struct.unpack_from("<Q", record, 32)[0]
    return count


def _too_big(lim: Limits) -> UploadProblem:
    mb = f"{lim.max_unzipped_bytes / MB:g}"
    return UploadProblem(f"tệp nén giải ra quá lớn (quá {mb} MB) hoặc nén bất thường; không mở",
                         f"the compressed file unpacks to too much (over {mb} MB) or is compressed abnormally; "
                         "it was not opened")


def check_archive(stream: IO[bytes]) -> zipfile.ZipFile:
    """The zip archive, opened, once its central directory shows it is safe to read: at most
    `max_entries` entries, `max_unzipped_bytes` unpacked in all, no entry (over 1 MB) nor the whole
    compressed more than `max_ratio` times, no encrypted entry, no path outside the archive, no name twice.
    `zipfile` never unpacks more than an entry's declared size, so these figures bound what a parser reads."""
    lim = limits()
    stream.seek(0, io.SEEK_END)
    packed = stream.tell()
    stream.seek(0)
    try:
        if _entry_count(stream) > lim.max_entries:
            raise UploadProblem(f"tệp nén có quá nhiều thành phần (tối đa {lim.max_entries}); không mở",
                                f"the compressed file holds too many parts (at most {lim.max_entries}); "
                                "it was not opened")
        archive = zipfile.ZipFile(stream)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, struct.error):
        raise ArchiveDamaged("tệp không phải là tệp nén Office hợp lệ (hỏng hoặc chưa tải lên hết)",
                            "the file is not a valid Office (zip) file: damaged or not fully uploaded") from None
    infos = archive.infolist()
    total = sum(i.file_size for i in infos)
    names = [i.filename for i in infos]
    if len(infos) > lim.max_entries or total > lim.max_unzipped_bytes:
        raise _too_big(lim)
    if total > MB and total > lim.max_ratio * max(packed, 1):
        raise _too_big(lim)
    for info in infos:
        if info.file_size > MB and info.file_size > lim.max_ratio * max(info.compress_size, 1):
            raise _too_big(lim)
        if info.flag_bits & 0x1:
            raise UploadProblem("tệp có phần được mã hóa (đặt mật khẩu); hãy bỏ mật khẩu rồi tải lên lại",
                                "part of the file is encrypted (password); remove the password and upload it again")
        if info.filename.startswith(("/", "\\")) or ".." in info.filename.replace("\\", "/").split("/"):
            raise UploadProblem("tệp nén chứa đường dẫn ra ngoài tệp; không mở",
                                "the compressed file holds a path outside itself; it was not opened")
    if len(set(names)) != len(names):
        raise UploadProblem("tệp nén có hai thành phần cùng tên; không mở",
                            "the compressed file holds two parts with the same name; it was not opened")
    return archive


# --- Content against its type -------------------------------------------------------------------------

_OOXML_MAIN = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
}
_CT_NS = "{http://schemas.openxmlformats.org/package/2006/content-types}"


def _not_a(kind_vi: str, kind_en: str) -> UploadProblem:
    return UploadProblem(f"nội dung tệp không phải là {kind_vi} hợp lệ (hỏng, chưa tải lên hết hoặc là loại tệp "
                         "khác đổi đuôi)",
                         f"the content is not a valid {kind_en} (damaged, not fully uploaded, or another kind of "
                         "file renamed)")


def check_ooxml(stream: IO[bytes], kind: str) -> None:
    """A complete .docx or .xlsx: a safe archive whose content types name the main part, which exists,
    and every part's checksum holds (read in chunks, within the limits `check_archive` enforced)."""
    kind_vi = {"docx": "tệp Word (.docx)", "xlsx": "tệp Excel (.xlsx)"}[kind]
    kind_en = {"docx": "Word file (.docx)", "xlsx": "Excel file (.xlsx)"}[kind]
    with check_archive(stream) as archive:
        try:
            types = ElementTree.fromstring(archive.read("[Content_Types].xml"))
            parts = {o.get("PartName", "").lstrip("/") for o in types.iter(f"{_CT_NS}Override")
                     if o.get("ContentType") == _OOXML_MAIN[kind]}
            if not parts or not parts <= set(archive.namelist()) or archive.testzip() is not None:
                raise _not_a(kind_vi, kind_en)
        except (KeyError, ElementTree.ParseError, zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError):
            raise _not_a(kind_vi, kind_en) from None
    stream.seek(0)


def check_pdf(stream: IO[bytes]) -> None:
    """A PDF whose cross-reference, catalog and page tree read (pypdf): `%PDF-` followed by HTML fails."""
    import logging

    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    quiet = logging.getLogger("pypdf")
    level, quiet.level = quiet.level, logging.CRITICAL  # damaged files are expected here, not log-worthy
    try:
        reader = PdfReader(stream, strict=False)
        if reader.is_encrypted or "/Root" not in reader.trailer or len(reader.pages) < 1:
            raise _not_a("tệp PDF", "PDF")
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, OSError, RecursionError):
        raise _not_a("tệp PDF", "PDF") from None
    finally:
        quiet.level = level
        stream.seek(0)


def check_image(stream: IO[bytes], fmt: str) -> None:
    """A PNG or JPEG that decodes, within `max_pixels` (checked from the header before decoding)."""
    from PIL import Image, UnidentifiedImageError

    lim = limits()
    try:
        with Image.open(stream) as image:
            if image.format != fmt:
                raise _not_a(f"ảnh {fmt}", f"{fmt} image")
            width, height = image.size
            if width * height > lim.max_pixels:
                raise UploadProblem(f"ảnh quá lớn ({width} × {height} điểm ảnh; tối đa {lim.max_pixels:,})",
                                    f"the image is too large ({width} × {height} pixels; at most "
                                    f"{lim.max_pixels:,})")
            image.draft("RGB", (max(1, width // 8), max(1, height // 8)))  # JPEG: decode small, still whole
            image.load()
    except UploadProblem:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError, EOFError):
        raise _not_a(f"ảnh {fmt}", f"{fmt} image") from None
    finally:
        stream.seek(0)


_OLE = bytes.fromhex("D0CF11E0A1B11AE1")


def check_ole(stream: IO[bytes]) -> None:
    """An old .doc/.xls (OLE compound file): a consistent header (version, byte order, sector sizes) and
    at least the header and one sector of each kind."""
    head = stream.read(512)
    stream.seek(0, io.SEEK_END)
    size = stream.tell()
    stream.seek(0)
    if len(head) < 512 or not head.startswith(_OLE):
        raise _not_a("tệp Office cũ (.doc/.xls)", "legacy Office file (.doc/.xls)")
    major, order, sector_shift, mini_shift = struct.unpack_from("<HHHH", head, 0x1A)
    if order != 0xFFFE or mini_shift != 6 or (major, sector_shift) not in ((3, 9), (4, 12)):
        raise _not_a("tệp Office cũ (.doc/.xls)", "legacy Office file (.doc/.xls)")
    if size < 512 + 2 * (1 << sector_shift):
        raise _not_a("tệp Office cũ (.doc/.xls)", "legacy Office file (.doc/.xls)")


PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOC = "application/msword"
XLS = "application/vnd.ms-excel"

# The endings a name may have for each type: "bao-cao.exe" holding a PDF is refused, since the download
# keeps the uploader's name.
NAME_ENDINGS = {PDF: (".pdf",), PNG: (".png",), JPEG: (".jpg", ".jpeg"), DOCX: (".docx",), XLSX: (".xlsx",),
                DOC: (".doc",), XLS: (".xls",)}


def check_content(stream: IO[bytes], content_type: str, name: str) -> None:
    """The whole content is of `content_type` (as sniffed from its first bytes), and the name ends as
    that type does."""
    endings = NAME_ENDINGS.get(content_type)
    if endings is None:
        raise UploadProblem("loại tệp không được nhận", "this kind of file is not accepted")
    if not name.lower().endswith(endings):
        raise UploadProblem(f"tên tệp phải có đuôi {' hoặc '.join(endings)} cho đúng nội dung tệp",
                            f"the file name must end in {' or '.join(endings)} to match its content")
    if content_type == PDF:
        check_pdf(stream)
    elif content_type in (PNG, JPEG):
        check_image(stream, "PNG" if content_type == PNG else "JPEG")
    elif content_type in (DOCX, XLSX):
        check_ooxml(stream, "docx" if content_type == DOCX else "xlsx")
    else:
        check_ole(stream)
