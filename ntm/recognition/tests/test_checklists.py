"""The dossier checklist read from YAML (`ntm.recognition.checklists`): the repository's list loads, and a broken
list fails at start naming every problem at once."""

from __future__ import annotations

import textwrap

import pytest
from django.core.exceptions import ImproperlyConfigured

from ntm.core.recognition import Step
from ntm.recognition.checklists import CHECKLIST_FILE, load_checklist


def write(tmp_path, text: str):
    path = tmp_path / "checklists.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_the_repository_checklist_names_each_kind_once_for_a_step_someone_takes():
    docs = load_checklist(CHECKLIST_FILE)

    assert docs and len({d.code for d in docs}) == len(docs)
    assert {d.step for d in docs} <= {Step.SUBMITTED, Step.VERIFIED, Step.APPRAISED, Step.RECOGNISED, Step.REVOKED}
    assert all(d.name_vi and d.name_en for d in docs)
    assert all(d.source == "provisional" for d in docs)  # until the official list of 18/2022/QĐ-TTg is transcribed


def test_a_document_takes_the_files_source_unless_it_names_its_own(tmp_path):
    path = write(tmp_path, """\
        source: provisional
        documents:
          - {code: bao-cao, step: submitted, name_vi: "Báo cáo của xã", name_en: "Commune report"}
          - {code: quyet-dinh, step: recognised, name_vi: "Quyết định công nhận", name_en: "Decision",
             source: official, required: false}
        """)

    docs = load_checklist(path)

    assert [(d.code, d.step, d.source, d.required) for d in docs] == [
        ("bao-cao", Step.SUBMITTED, "provisional", True), ("quyet-dinh", Step.RECOGNISED, "official", False)]
    assert docs[0].name_vi == "Báo cáo của xã"


def test_every_problem_of_a_broken_list_is_named_at_once(tmp_path):
    path = write(tmp_path, """\
        documents:
          - {code: bao-cao, step: submitted, name_vi: "Báo cáo"}
          - {code: nhap, step: drafting, name_vi: "Bản nháp", name_en: "Draft"}
          - {code: tra-lai, step: returned, name_vi: "Trả lại", name_en: "Returned"}
          - {code: lap, step: nop, name_vi: "Lập", name_en: "Made"}
          - {code: to-trinh, step: submitted, name_vi: "Tờ trình", name_en: "Request"}
          - {code: to-trinh, step: appraised, name_vi: "Tờ trình lại", name_en: "Request again"}
        """)

    with pytest.raises(ImproperlyConfigured) as caught:
        load_checklist(path)

    assert str(caught.value).split("\n") == [
        "checklists.yaml: tài liệu thứ 1: thiếu name_en",
        "checklists.yaml: nhap: bước “drafting” không hợp lệ",  # nobody uploads for a resting draft
        "checklists.yaml: tra-lai: bước “returned” không hợp lệ",
        "checklists.yaml: lap: bước “nop” không hợp lệ",
        "checklists.yaml: to-trinh: trùng mã",
    ]


def test_a_list_without_documents_is_empty(tmp_path):
    assert load_checklist(write(tmp_path, "source: provisional\n")) == ()
