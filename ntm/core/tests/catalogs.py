"""Small inline catalogs for the core tests: a common vocabulary and a builder for one-set catalogs."""

from __future__ import annotations

import textwrap

from ntm.core.catalog import Catalog
from ntm.core.loader import build_catalog

COMMON = """
schema: 1
documents:
  - {id: DOC, number: "1/QĐ-TTg", title_vi: "Văn bản thử", urls: ["https://example.org/doc"]}
regions:
  - {code: R1, name_vi: "Vùng 1", name_en: "Region 1"}
  - {code: R2, name_vi: "Vùng 2", name_en: "Region 2"}
groups:
  - {code: G1, name_vi: "Xã nhóm 1", name_en: "Group 1"}
  - {code: G2, name_vi: "Xã nhóm 2", name_en: "Group 2"}
units:
  - {vi: "%", en: "%"}
  - {vi: "% số xã", en: "% of communes"}
departments:
  - {code: office, name_vi: "Phòng thử", name_en: "Test office"}
"""

OFFICIAL = 'source: {status: official, document: DOC, urls: ["https://example.org/doc"]}'


def set_text(criteria: str, *, set_id: str = "s", level: str = "ntm", unit_kind: str = "commune",
             dimension: str = "region") -> str:
    """A set file whose `criteria:` block is `criteria` (YAML, written at column 0)."""
    head = textwrap.dedent(f"""\
        schema: 1
        id: {set_id}
        version: "1"
        level: {level}
        unit_kind: {unit_kind}
        name_vi: "Bộ thử"
        name_en: "Test set"
        document: DOC
        effective_from: 2022-03-08
        dimension: {dimension}
        {OFFICIAL}
        criteria:
        """)
    return head + textwrap.indent(textwrap.dedent(criteria), "  ")


def catalog(criteria: str, **kwargs) -> Catalog:
    return build_catalog(COMMON, [("s.yaml", set_text(criteria, **kwargs))])


def numeric(code: str, comparison: str, thresholds: str, *, unit: str = "%", years: str = "[]") -> str:
    """One criterion `code` with one numeric indicator `code`.1 and the given thresholds (flow list)."""
    return textwrap.dedent(f"""\
        - code: "{code}"
          number: 1
          name_vi: "Tiêu chí {code}"
          name_en: "Criterion {code}"
          {OFFICIAL}
          indicators:
            - code: "{code}.1"
              name_vi: "Chỉ tiêu"
              name_en: "Indicator"
              unit: "{unit}"
              comparison: "{comparison}"
              {OFFICIAL}
              years: {years}
              thresholds: {thresholds}
        """)
