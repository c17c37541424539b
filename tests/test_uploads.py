"""The checks every upload passes before anything parses it (`ntm.uploads`), called directly: names with
invisible characters, zip archives that are damaged, encrypted, escape their folder, repeat a name or unpack
far beyond their size, and a name whose ending does not match the content. The import and dossier tests cover
the pages; these cover each refusal and its wording in both languages."""

from __future__ import annotations

import io
import random
import warnings
import zipfile

import pytest

from ntm.uploads import DOC, DOCX, PDF, ArchiveDamaged, UploadProblem, check_archive, check_content, check_name


def archive(*entries: tuple[str | zipfile.ZipInfo, bytes]) -> io.BytesIO:
    out = io.BytesIO()
    with warnings.catch_warnings(), zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        warnings.simplefilter("ignore")  # zipfile warns about a repeated name: that is the point here
        for name, data in entries:
            zf.writestr(name, data)
    out.seek(0)
    return out


@pytest.mark.parametrize("name", ["Báo cáo xã Quê Mỹ Thạnh (bản 2).pdf", "Tờ trình số 12-QĐ.docx", "ảnh_đường.jpg"])
def test_vietnamese_names_are_accepted(name):
    check_name(name)


@pytest.mark.parametrize(
    ("name", "code"),
    [("bao\tcao.pdf", "U+0009"), ("bao\u2028cao.pdf", "U+2028"), ("bao\ue000cao.pdf", "U+E000"),
     ("bao\u2066cao.pdf", "U+2066"), ("bao\u00adcao.pdf", "U+00AD")],
    ids=["a tab", "a line separator", "a private-use character", "a bidi isolate", "a soft hyphen"],
)
def test_a_name_with_an_invisible_character_is_refused_naming_it(name, code):
    with pytest.raises(UploadProblem) as caught:
        check_name(name)

    assert caught.value.text("vi") == (f"tên tệp chứa ký tự điều khiển hoặc ký tự vô hình ({code}); hãy đổi tên "
                                       "tệp rồi tải lên lại")
    assert caught.value.text("en-gb").startswith(f"the file name contains a control or invisible character ({code})")


def test_a_sound_archive_is_opened():
    with check_archive(archive(("[Content_Types].xml", b"<Types/>"), ("word/document.xml", b"<w/>"))) as zf:
        assert zf.namelist() == ["[Content_Types].xml", "word/document.xml"]


@pytest.mark.parametrize(
    "data", [b"", b"PK\x03\x04 not really a zip", archive(("a.xml", b"<a/>" * 100)).getvalue()[:-30]],
    ids=["empty", "a zip header and nothing else", "cut short"],
)
def test_a_damaged_archive_is_refused_as_damaged(data):
    with pytest.raises(ArchiveDamaged) as caught:
        check_archive(io.BytesIO(data))

    assert caught.value.text("en") == "the file is not a valid Office (zip) file: damaged or not fully uploaded"


def encrypted() -> io.BytesIO:
    # zipfile cannot write an encrypted part: set the "encrypted" flag bit in the written headers instead
    data = bytearray(archive(("word/document.xml", b"<w/>")).getvalue())
    for signature, flag_at in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        data[data.find(signature) + flag_at] |= 0x1
    return io.BytesIO(bytes(data))


@pytest.mark.parametrize(
    ("stream", "vi", "en"),
    [
        (archive(("../../etc/cron.d/x", b"x")), "tệp nén chứa đường dẫn ra ngoài tệp; không mở",
         "the compressed file holds a path outside itself; it was not opened"),
        (archive(("/etc/passwd", b"x")), "tệp nén chứa đường dẫn ra ngoài tệp; không mở",
         "the compressed file holds a path outside itself; it was not opened"),
        (archive(("xl/workbook.xml", b"<a/>"), ("xl/workbook.xml", b"<b/>")),
         "tệp nén có hai thành phần cùng tên; không mở",
         "the compressed file holds two parts with the same name; it was not opened"),
        (encrypted(), "tệp có phần được mã hóa (đặt mật khẩu); hãy bỏ mật khẩu rồi tải lên lại",
         "part of the file is encrypted (password); remove the password and upload it again"),
    ],
    ids=["a path climbing out", "an absolute path", "a name twice", "an encrypted part"],
)
def test_an_archive_that_is_unsafe_to_open_is_refused(stream, vi, en):
    with pytest.raises(UploadProblem) as caught:
        check_archive(stream)

    assert (caught.value.text("vi"), caught.value.text("en")) == (vi, en)


def test_a_part_unpacking_far_beyond_its_size_is_refused_but_plain_data_of_that_size_is_not(settings):
    settings.NTM_UPLOAD_MAX_RATIO = 20
    settings.NTM_UPLOAD_MAX_UNZIPPED_BYTES = 16 * 1024 * 1024
    zeros = archive(("xl/sharedStrings.xml", b"\0" * (2 * 1024 * 1024)))  # packs a thousand times smaller
    noise = archive(("xl/media/image1.png", random.Random(13).randbytes(2 * 1024 * 1024)))

    with pytest.raises(UploadProblem) as caught:
        check_archive(zeros)
    assert caught.value.text("vi") == "tệp nén giải ra quá lớn (quá 16 MB) hoặc nén bất thường; không mở"
    check_archive(noise).close()


def test_too_many_parts_or_bytes_are_refused_with_the_limit(settings):
    settings.NTM_UPLOAD_MAX_ENTRIES = 3
    with pytest.raises(UploadProblem) as caught:
        check_archive(archive(*[(f"p{i}.xml", b"<p/>") for i in range(4)]))
    assert caught.value.text("en") == "the compressed file holds too many parts (at most 3); it was not opened"

    settings.NTM_UPLOAD_MAX_ENTRIES = 100
    settings.NTM_UPLOAD_MAX_UNZIPPED_BYTES = 1024
    with pytest.raises(UploadProblem) as caught:
        check_archive(archive(("a.xml", random.Random(1).randbytes(2048))))
    assert caught.value.text("en").startswith("the compressed file unpacks to too much")


@pytest.mark.parametrize(
    ("content_type", "name", "en"),
    [
        (PDF, "bao-cao.pdf.exe", "the file name must end in .pdf to match its content"),
        (DOCX, "to-trinh.doc", "the file name must end in .docx to match its content"),
        ("application/zip", "tep.zip", "this kind of file is not accepted"),
    ],
    ids=["a PDF named as a program", "a new Word file named as an old one", "a kind not accepted"],
)
def test_a_name_must_end_as_its_content_does(content_type, name, en):
    with pytest.raises(UploadProblem) as caught:
        check_content(io.BytesIO(b"%PDF-1.7"), content_type, name)

    assert caught.value.text("en") == en


def test_an_old_office_file_needs_a_consistent_header():
    header = bytearray(512)
    header[:8] = bytes.fromhex("D0CF11E0A1B11AE1")
    header[0x1A:0x22] = (3).to_bytes(2, "little") + (0xFFFE).to_bytes(2, "little") + (9).to_bytes(2, "little") \
        + (6).to_bytes(2, "little")
    complete = bytes(header) + bytes(1024)

    check_content(io.BytesIO(complete), DOC, "BIEN-BAN.DOC")  # endings are compared without case
    with pytest.raises(UploadProblem) as caught:
        check_content(io.BytesIO(bytes(header) + bytes(100)), DOC, "bien-ban.doc")  # header only
    assert caught.value.text("vi").startswith("nội dung tệp không phải là tệp Office cũ (.doc/.xls) hợp lệ")
