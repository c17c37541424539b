"""What an uploaded dossier file is, judged by its first bytes and never by its name (`ntm.recognition.files`),
and which names are refused outright (paths, reserved characters, controls, length)."""

from __future__ import annotations

import io
import zipfile

import pytest

from ntm.recognition.files import DOC, DOCX, JPEG, PDF, PNG, XLS, XLSX, is_executable, name_problem, sniff

OLE = bytes.fromhex("D0CF11E0A1B11AE1") + bytes(504)


def office(main: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("[Content_Types].xml", f'<Types><Override PartName="/x.xml" ContentType="application/'
                                           f'vnd.openxmlformats-officedocument.{main}+xml"/></Types>')
    return out.getvalue()


@pytest.mark.parametrize(
    ("head", "name", "kind"),
    [
        (b"%PDF-1.7\n", "anh.png", PDF),  # the content decides, not the name
        (b"\x89PNG\r\n\x1a\n....", "bao-cao.pdf", PNG),
        (b"\xff\xd8\xff\xe0....", "a.jpeg", JPEG),
        (office("wordprocessingml.document.main"), "a.xlsx", DOCX),
        (office("spreadsheetml.sheet.main"), "a.docx", XLSX),
        (OLE, "bien-ban.doc", DOC),
        (OLE, "SO-LIEU.XLS", XLS),  # an old Office file: only the name tells .doc from .xls
        (OLE, "khong-duoi", DOC),
    ],
    ids=["a PDF named .png", "a PNG named .pdf", "a JPEG", "a Word file named .xlsx", "an Excel file named .docx",
         "an old Word file", "an old Excel file, capitals", "an old Office file without an ending"],
)
def test_the_kind_is_read_from_the_content(head, name, kind):
    stream = io.BytesIO(head)

    assert sniff(stream, name) == kind
    assert stream.tell() == 0  # the stream is left at its start for whoever reads it next


@pytest.mark.parametrize(
    "head",
    [b"", b"<html><script>", b"MZ\x90\x00", office("presentationml.presentation.main"), b"PK\x03\x04broken"],
    ids=["empty", "HTML", "a Windows program", "a PowerPoint file", "a broken zip"],
)
def test_other_content_is_not_an_accepted_kind(head):
    assert sniff(io.BytesIO(head), "bao-cao.pdf") is None


def test_programs_are_recognised_by_their_first_bytes():
    assert all(is_executable(h) for h in (b"MZ\x90", b"\x7fELF\x02", b"#!/bin/sh", b"\xcf\xfa\xed\xfe"))
    assert not is_executable(b"%PDF-1.7")


@pytest.mark.parametrize(
    ("name", "problem"),
    [("Báo cáo kết quả xã Quê Mỹ Thạnh.pdf", None), ("", "length"), ("a" * 201, "length"), ("a" * 200, None),
     ("../../etc/passwd", "path"), ("thu-muc/bao-cao.pdf", "path"), ("bao:cao.pdf", "path"),
     ('bao"cao".pdf', "path"), ("bao\ncao.pdf", "control"), ("bao\u202ecao.pdf", "control")],
    ids=["Vietnamese", "empty", "too long", "just long enough", "climbing out", "a folder", "a colon", "quotes",
         "a new line", "a direction override"],
)
def test_a_name_is_refused_for_length_path_or_control_characters(name, problem):
    assert name_problem(name) == problem
