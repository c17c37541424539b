"""Load and validate the catalog files (`catalog/*.yaml`). Pure: text in, `Catalog` or problems out.

Every problem is collected before failing, and each names its file, criterion and indicator.
A missing official threshold is written `value: null`; it is never invented here.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from .catalog import (
    ANY,
    Catalog,
    Comparison,
    CriteriaSet,
    Criterion,
    Derivation,
    Dimension,
    Document,
    Indicator,
    Layer,
    Region,
    Source,
    SourceStatus,
    Threshold,
    UnitKind,
)

COMMON_FILE = "_common.yaml"
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml: ten times faster on the catalog


@lru_cache(maxsize=512)
def read_yaml(text: str) -> Any:
    """Parse YAML text (safe loader, libyaml when present). Cached: a catalog text is read by several
    steps of one load and by every load; callers must not change what it returns."""
    return yaml.load(text, Loader=_Loader)  # noqa: S506 — a safe loader

SET_KEYS = {
    "schema", "id", "version", "level", "unit_kind", "name_vi", "name_en", "document", "amended_by",
    "effective_from", "effective_to", "dimension", "source", "criteria", "notes", "applies_to",
}
APPLIES_TO = ("", "without_communes")
CRITERION_KEYS = {
    "number", "code", "name_vi", "name_en", "source", "indicators", "alternatives", "key", "group_vi", "notes",
}
INDICATOR_KEYS = {
    "code", "name_vi", "name_en", "unit", "comparison", "source", "department", "thresholds", "years",
    "derived", "min", "max", "notes",
}
THRESHOLD_KEYS = {"scope", "year", "value", "status", "document", "urls", "note"}
SOURCE_KEYS = {"status", "document", "urls", "note"}
COMMON_KEYS = {"schema", "documents", "regions", "groups", "units", "departments", "notes"}
LAYER_KEYS = {
    "schema", "id", "version", "base", "provinces", "name_vi", "name_en", "document", "documents",
    "effective_from", "effective_to", "demo", "source", "thresholds", "indicators", "remove_indicators",
    "criteria", "notes",
}
LAYER_THRESHOLD_KEYS = THRESHOLD_KEYS | {"indicator"}
DOCUMENT_KEYS = {"id", "number", "title_vi", "title_en", "signed", "issuer", "urls", "note"}


@dataclass(frozen=True)
class Problem:
    file: str
    message_vi: str
    message_en: str
    criterion: str = ""
    indicator: str = ""

    def where(self, lang: str = "vi") -> str:
        parts = [self.file]
        if self.criterion:
            parts.append(("tiêu chí " if lang == "vi" else "criterion ") + self.criterion)
        if self.indicator:
            parts.append(("chỉ tiêu " if lang == "vi" else "indicator ") + self.indicator)
        return ", ".join(parts)

    def render(self, lang: str = "vi") -> str:
        return f"{self.where(lang)}: {self.message_vi if lang == 'vi' else self.message_en}"

    def __str__(self) -> str:
        return self.render("vi")


class CatalogError(Exception):
    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@dataclass(frozen=True)
class Vocabulary:
    documents: Mapping[str, Document]
    regions: tuple[Region, ...]
    groups: tuple[Region, ...]
    units: frozenset[str]
    units_en: Mapping[str, str]
    departments: frozenset[str]


class _Reader:
    """Collects problems while reading one file."""

    def __init__(self, file: str, demo: bool = False):
        self.file = file
        self.demo = demo  # a demo layer: its values are demo whatever they say
        self.problems: list[Problem] = []

    def fail(self, vi: str, en: str, criterion: str = "", indicator: str = "") -> None:
        self.problems.append(Problem(self.file, vi, en, criterion, indicator))

    def check_keys(self, raw: Mapping[str, Any], allowed: set[str], criterion: str = "", indicator: str = ""):
        for key in sorted(set(raw) - allowed):
            self.fail(f'khóa không hợp lệ "{key}"', f'unknown key "{key}"', criterion, indicator)

    def require(self, raw: Mapping[str, Any], key: str, criterion: str = "", indicator: str = "") -> Any:
        value = raw.get(key)
        if value in (None, ""):
            self.fail(f'thiếu "{key}"', f'"{key}" is missing', criterion, indicator)
        return value


def _as_mapping(value: Any) -> Mapping[str, Any] | None:
    return value if isinstance(value, Mapping) else None


def _items(value: Any) -> list:
    """A YAML list as written, a lone value as a list of one (`urls: https://…` is one address, never its
    letters), nothing as []."""
    if value is None or value == "":
        return []
    return list(value) if isinstance(value, list | tuple) else [value]


def _tables(r: _Reader, raw: Any, what_vi: str, what_en: str, criterion: str = "", indicator: str = ""
            ) -> list[Mapping[str, Any]]:
    """The entries of a list that must each be a table (key: value); a bare value in their place is a
    problem to report, not a crash (`thresholds: [80]`)."""
    items = _items(raw)
    for item in items:
        if not isinstance(item, Mapping):
            r.fail(f'mỗi {what_vi} phải là một bảng khóa: giá trị, không phải "{item}"',
                   f'each {what_en} must be a mapping of keys to values, not "{item}"', criterion, indicator)
    return [item for item in items if isinstance(item, Mapping)]


def _decimal(value: Any) -> Decimal | None:
    if isinstance(value, bool) or value is None:
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def _date(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            return None
    return None


def parse_common(text: str, file: str = COMMON_FILE) -> tuple[Vocabulary, list[Problem]]:
    r = _Reader(file)
    try:
        raw = read_yaml(text) or {}
    except yaml.YAMLError as exc:
        r.fail(f"YAML không đọc được: {exc}", f"YAML does not parse: {exc}")
        raw = {}
    r.check_keys(raw, COMMON_KEYS)
    documents = _documents(r, raw.get("documents"))
    regions = tuple(Region(x["code"], x["name_vi"], x["name_en"]) for x in raw.get("regions") or [])
    groups = tuple(Region(x["code"], x["name_vi"], x["name_en"]) for x in raw.get("groups") or [])
    units_en = {str(u["vi"]): str(u["en"]) for u in raw.get("units") or []}
    units = frozenset(units_en) | {""}
    departments = frozenset(d["code"] for d in raw.get("departments") or [])
    return Vocabulary(documents, regions, groups, units, units_en, departments), r.problems


def _documents(r: _Reader, raw: Any) -> dict[str, Document]:
    documents: dict[str, Document] = {}
    for d in raw or []:
        if _as_mapping(d) is None:
            r.fail("mỗi văn bản phải là một bảng khóa: giá trị", "each document must be a mapping")
            continue
        r.check_keys(d, DOCUMENT_KEYS)
        doc_id = r.require(d, "id")
        r.require(d, "number")
        documents[doc_id] = Document(
            id=doc_id, number=str(d.get("number", "")), title_vi=str(d.get("title_vi", "")),
            signed=_date(d.get("signed")), urls=tuple(_items(d.get("urls"))),
        )
    return documents


def _source(r: _Reader, raw: Any, vocab: Vocabulary, criterion: str = "", indicator: str = "") -> Source:
    m = _as_mapping(raw)
    if m is None:
        r.fail("thiếu nguồn (source)", "source is missing", criterion, indicator)
        return Source(SourceStatus.PROVISIONAL)
    r.check_keys(m, SOURCE_KEYS, criterion, indicator)
    return _status_source(r, m, vocab, criterion, indicator)


def _status_source(r: _Reader, m: Mapping[str, Any], vocab: Vocabulary, criterion: str, indicator: str) -> Source:
    status_raw = m.get("status")
    known = True
    try:
        status = SourceStatus(str(status_raw))
    except ValueError:
        known = False
        r.fail(f'trạng thái nguồn "{status_raw}" không hợp lệ (official hoặc provisional)',
               f'source status "{status_raw}" is invalid (official or provisional)', criterion, indicator)
        status = SourceStatus.PROVISIONAL
    if r.demo:
        return Source(SourceStatus.DEMO, m.get("document"), tuple(_items(m.get("urls"))), m.get("note") or "")
    if status is SourceStatus.DEMO:
        r.fail("giá trị minh họa (demo) chỉ được nằm trong lớp dữ liệu mẫu (demo: true), không nằm trong bộ tiêu chí",
               "demo values belong in a demo layer (demo: true), never in a criteria set", criterion, indicator)
    doc = m.get("document")
    if doc is not None and doc not in vocab.documents:
        r.fail(f'văn bản "{doc}" không có trong {COMMON_FILE}', f'document "{doc}" is not in {COMMON_FILE}',
               criterion, indicator)
    urls = tuple(_items(m.get("urls")))
    if status is SourceStatus.OFFICIAL and not (doc and urls):
        r.fail("nguồn chính thức phải ghi văn bản (document) và nơi đọc được (urls)",
               "an official source needs its document and the urls where it was read", criterion, indicator)
    if status is SourceStatus.PROVISIONAL and known and not m.get("note"):
        r.fail("nguồn tạm tính phải ghi chú lý do (note)", "a provisional source needs a note saying why",
               criterion, indicator)
    return Source(status, doc, urls, m.get("note") or "")


def _threshold(r: _Reader, t: Mapping[str, Any], scopes: tuple[str, ...], vocab: Vocabulary, crit: str,
               code: str) -> Threshold:
    scope = str(t.get("scope", ANY))
    year = t.get("year")
    if year is not None and (isinstance(year, bool) or not isinstance(year, int)):
        r.fail(f'năm "{year}" không phải là số năm', f'year "{year}" is not a year', crit, code)
        year = None
    if scope != ANY and scope not in scopes:
        r.fail(f'vùng/nhóm "{scope}" không thuộc bộ tiêu chí (có: {", ".join(scopes)})',
               f'region/group "{scope}" is not one of the set\'s ({", ".join(scopes)})', crit, code)
    value = t.get("value")
    number = _decimal(value)
    if value is not None and number is None:
        r.fail(f'ngưỡng "{value}" không phải là số', f'threshold "{value}" is not a number', crit, code)
    if value is None:
        src = Source(SourceStatus.OFFICIAL, t.get("document"), tuple(_items(t.get("urls"))), t.get("note") or "")
        if src.document and src.document not in vocab.documents:
            r.fail(f'văn bản "{src.document}" không có trong {COMMON_FILE}',
                   f'document "{src.document}" is not in {COMMON_FILE}', crit, code)
    else:
        src = _status_source(r, t, vocab, crit, code)
    return Threshold(scope, year, number, src)


def _thresholds(r: _Reader, raw: Any, ind: Indicator, scopes: tuple[str, ...], years: list[int],
                vocab: Vocabulary, crit: str) -> tuple[Threshold, ...]:
    code = ind.code
    out: list[Threshold] = []
    seen: set[tuple[str, int | None]] = set()
    for t in _tables(r, raw, "ngưỡng", "threshold", crit, code):
        r.check_keys(t, THRESHOLD_KEYS, crit, code)
        threshold = _threshold(r, t, scopes, vocab, crit, code)
        if (threshold.scope, threshold.year) in seen:
            r.fail(f'ngưỡng trùng cho "{threshold.scope}" năm {threshold.year}',
                   f'duplicate threshold for "{threshold.scope}" year {threshold.year}', crit, code)
        seen.add((threshold.scope, threshold.year))
        out.append(threshold)
    if ind.comparison.is_numeric and ind.derived is None:
        _check_coverage(r, out, scopes, years, crit, code)
    elif out and not ind.comparison.is_numeric:
        r.fail("chỉ tiêu Đạt/Không đạt không có ngưỡng số", "a met/not-met indicator takes no numeric threshold",
               crit, code)
    return tuple(out)


def _check_coverage(r: _Reader, out: list[Threshold], scopes: tuple[str, ...], years: list[int],
                    crit: str, code: str) -> None:
    each_year: list[int | None] = [*years] or [None]
    for scope in scopes:
        for year in each_year:
            covered = any(t.scope in (scope, ANY) and (t.year in (year, None)) for t in out)
            if not covered:
                when = f" năm {year}" if year else ""
                when_en = f" for {year}" if year else ""
                r.fail(f'thiếu ngưỡng cho vùng/nhóm "{scope}"{when} (ghi value: null nếu chưa có số chính thức)',
                       f'no threshold for region/group "{scope}"{when_en} (write value: null when the official '
                       "figure is not known)", crit, code)


def _indicator(r: _Reader, raw: Mapping[str, Any], crit: str, scopes: tuple[str, ...], vocab: Vocabulary
               ) -> Indicator | None:
    code = str(raw.get("code", "?"))
    r.check_keys(raw, INDICATOR_KEYS, crit, code)
    for key in ("code", "name_vi", "name_en", "comparison"):
        r.require(raw, key, crit, code)
    unit = str(raw.get("unit") or "")
    if unit not in vocab.units:
        r.fail(f'đơn vị "{unit}" không có trong danh mục đơn vị của {COMMON_FILE}',
               f'unit "{unit}" is not in the unit list of {COMMON_FILE}', crit, code)
    try:
        comparison = Comparison(str(raw.get("comparison")))
    except ValueError:
        r.fail(f'phép so sánh "{raw.get("comparison")}" không hợp lệ (>=, <=, =, met)',
               f'comparison "{raw.get("comparison")}" is invalid (>=, <=, =, met)', crit, code)
        return None
    department = str(raw.get("department") or "")
    if department and department not in vocab.departments:
        r.fail(f'phòng/ngành "{department}" không có trong {COMMON_FILE}',
               f'department "{department}" is not in {COMMON_FILE}', crit, code)
    derived = None
    if raw.get("derived") is not None:
        d = _as_mapping(raw["derived"]) or {}
        derived = Derivation(str(d.get("share_of_communes_meeting", "")))
    ind = Indicator(
        code=code, name_vi=str(raw.get("name_vi", "")), name_en=str(raw.get("name_en", "")), unit=unit,
        comparison=comparison, source=_source(r, raw.get("source"), vocab, crit, code), department=department,
        derived=derived, minimum=_decimal(raw.get("min")), maximum=_decimal(raw.get("max")),
    )
    thresholds = _thresholds(r, raw.get("thresholds"), ind, scopes, _items(raw.get("years")), vocab, crit)
    return Indicator(**{**ind.__dict__, "thresholds": thresholds})


def _criterion(r: _Reader, raw: Mapping[str, Any], scopes: tuple[str, ...], vocab: Vocabulary,
               codes: set[str]) -> Criterion:
    number = raw.get("number")
    crit = str(raw.get("code") or number or "?")
    r.check_keys(raw, CRITERION_KEYS, crit)
    r.require(raw, "name_vi", crit)
    r.require(raw, "name_en", crit)
    indicators: list[Indicator] = []
    given = _items(raw.get("indicators"))
    for ind_raw in _tables(r, given, "chỉ tiêu", "indicator", crit):
        ind = _indicator(r, ind_raw, crit, scopes, vocab)
        if ind is None:
            continue
        if ind.code in codes:
            r.fail(f'mã chỉ tiêu "{ind.code}" bị trùng', f'indicator code "{ind.code}" is duplicated', crit, ind.code)
        codes.add(ind.code)
        indicators.append(ind)
    if not given:  # indicators given but refused have been named already
        r.fail("tiêu chí không có chỉ tiêu nào", "the criterion has no indicator", crit)
    own = {i.code for i in indicators}
    alternatives = tuple(tuple(str(c) for c in _items(alt)) for alt in _items(raw.get("alternatives")))
    for alt in alternatives:
        for c in set(alt) - own:
            r.fail(f'phương án thay thế nhắc chỉ tiêu "{c}" không thuộc tiêu chí',
                   f'alternative names indicator "{c}", which is not in the criterion', crit)
    return Criterion(
        code=crit, number=int(number) if isinstance(number, int) else 0, name_vi=str(raw.get("name_vi", "")),
        name_en=str(raw.get("name_en", "")), source=_source(r, raw.get("source"), vocab, crit),
        indicators=tuple(indicators), alternatives=alternatives, key=bool(raw.get("key", False)),
        group_vi=str(raw.get("group_vi") or ""),
    )


def parse_set(text: str, file: str, vocab: Vocabulary) -> tuple[CriteriaSet | None, list[Problem]]:
    r = _Reader(file)
    try:
        raw = read_yaml(text)
    except yaml.YAMLError as exc:
        r.fail(f"YAML không đọc được: {exc}", f"YAML does not parse: {exc}")
        return None, r.problems
    if not isinstance(raw, Mapping):
        r.fail("tệp phải là một bảng khóa: giá trị", "the file must be a mapping of keys to values")
        return None, r.problems
    r.check_keys(raw, SET_KEYS)
    for key in ("id", "version", "level", "unit_kind", "name_vi", "name_en", "document", "effective_from",
                "dimension", "criteria"):
        r.require(raw, key)
    try:
        unit_kind = UnitKind(str(raw.get("unit_kind")))
        dimension = Dimension(str(raw.get("dimension")))
    except ValueError:
        r.fail("unit_kind (commune|district) hoặc dimension (region|group|none) không hợp lệ",
               "unit_kind (commune|district) or dimension (region|group|none) is invalid")
        return None, r.problems
    scopes = _scopes(dimension, vocab)
    if raw.get("document") not in vocab.documents:
        r.fail(f'văn bản "{raw.get("document")}" không có trong {COMMON_FILE}',
               f'document "{raw.get("document")}" is not in {COMMON_FILE}')
    codes: set[str] = set()
    criteria = [_criterion(r, c, scopes, vocab, codes) for c in _tables(r, raw.get("criteria"), "tiêu chí",
                                                                         "criterion")]
    crit_codes = [c.code for c in criteria]
    for dup in sorted({c for c in crit_codes if crit_codes.count(c) > 1}):
        r.fail(f'mã tiêu chí "{dup}" bị trùng', f'criterion code "{dup}" is duplicated', dup)
    effective_from = _date(raw.get("effective_from"))
    if effective_from is None:
        r.fail("effective_from phải là ngày (YYYY-MM-DD)", "effective_from must be a date (YYYY-MM-DD)")
    applies_to = str(raw.get("applies_to") or "")
    if applies_to not in APPLIES_TO:
        r.fail(f'applies_to "{applies_to}" không hợp lệ (bỏ trống hoặc without_communes)',
               f'applies_to "{applies_to}" is invalid (empty or without_communes)')
    if r.problems:
        return None, r.problems
    digest = hashlib.sha256(text.encode()).hexdigest()[:8]
    assert effective_from is not None
    return CriteriaSet(
        id=str(raw["id"]), version=f"{raw['version']}+{digest}", level=str(raw["level"]), unit_kind=unit_kind,
        name_vi=str(raw["name_vi"]), name_en=str(raw["name_en"]), document=str(raw["document"]),
        effective_from=effective_from, effective_to=_date(raw.get("effective_to")), dimension=dimension,
        scopes=scopes, criteria=tuple(criteria), source=_source(r, raw.get("source"), vocab), path=file,
        applies_to=applies_to,
    ), r.problems


def _scopes(dimension: Dimension, vocab: Vocabulary) -> tuple[str, ...]:
    return {
        Dimension.REGION: tuple(x.code for x in vocab.regions),
        Dimension.GROUP: tuple(x.code for x in vocab.groups),
        Dimension.NONE: (),
    }[dimension]


def _raw_mapping(r: _Reader, text: str) -> Mapping[str, Any] | None:
    try:
        raw = read_yaml(text)
    except yaml.YAMLError as exc:
        r.fail(f"YAML không đọc được: {exc}", f"YAML does not parse: {exc}")
        return None
    if not isinstance(raw, Mapping):
        r.fail("tệp phải là một bảng khóa: giá trị", "the file must be a mapping of keys to values")
        return None
    return raw


def is_layer_text(text: str) -> bool:
    """Whether a catalog file is a layer (it names a `base`) rather than a set."""
    try:
        raw = read_yaml(text)
    except yaml.YAMLError:
        return False
    return isinstance(raw, Mapping) and "base" in raw


def parse_layer(text: str, file: str, vocab: Vocabulary, base: CriteriaSet | None
                ) -> tuple[Layer | None, list[Problem]]:
    """A province layer (or demo overlay). `base` is the set at the bottom of its chain, for the
    regions or groups its thresholds may name; None when that set is unknown."""
    r = _Reader(file)
    raw = _raw_mapping(r, text)
    if raw is None:
        return None, r.problems
    r.demo = raw.get("demo") is True
    r.check_keys(raw, LAYER_KEYS)
    for key in ("id", "version", "base", "provinces", "name_vi", "name_en", "document", "effective_from"):
        r.require(raw, key)
    if base is None:
        r.fail(f'bộ tiêu chí nền "{raw.get("base")}" không có', f'base set "{raw.get("base")}" does not exist')
        return None, r.problems
    scopes = base.scopes
    if raw.get("document") not in vocab.documents:
        r.fail(f'văn bản "{raw.get("document")}" không có trong {COMMON_FILE} hay trong "documents" của tệp',
               f'document "{raw.get("document")}" is neither in {COMMON_FILE} nor in the file\'s "documents"')
    provinces, names = [], []
    for p in _items(raw.get("provinces")):
        pm = _as_mapping(p) or {}
        if not pm.get("key"):
            r.fail('mỗi tỉnh phải ghi "key" (mã khóa đơn vị, ví dụ p80) và "name"',
                   'each province needs its "key" (unit key, e.g. p80) and "name"')
            continue
        provinces.append(str(pm["key"]))
        names.append(str(pm.get("name") or pm["key"]))
    thresholds: list[tuple[str, Threshold]] = []
    seen: set[tuple[str, str, int | None]] = set()
    for t in _items(raw.get("thresholds")):
        m = _as_mapping(t)
        if m is None or not m.get("indicator"):
            r.fail('mỗi ngưỡng của lớp phải ghi chỉ tiêu ("indicator")', 'each layer threshold needs its "indicator"')
            continue
        code = str(m["indicator"])
        r.check_keys(m, LAYER_THRESHOLD_KEYS, indicator=code)
        threshold = _threshold(r, m, scopes, vocab, "", code)
        if (code, threshold.scope, threshold.year) in seen:
            r.fail(f'ngưỡng trùng cho "{threshold.scope}" năm {threshold.year}',
                   f'duplicate threshold for "{threshold.scope}" year {threshold.year}', indicator=code)
        seen.add((code, threshold.scope, threshold.year))
        thresholds.append((code, threshold))
    indicators: list[tuple[str, Indicator]] = []
    for raw_ind in _items(raw.get("indicators")):
        m = dict(_as_mapping(raw_ind) or {})
        crit = str(m.pop("criterion", "") or "")
        if not crit:
            r.fail('chỉ tiêu thêm vào phải ghi tiêu chí ("criterion")', 'an added indicator needs its "criterion"',
                   indicator=str(m.get("code", "?")))
            continue
        ind = _indicator(r, m, crit, scopes, vocab)
        if ind is not None:
            indicators.append((crit, ind))
    codes: set[str] = set()
    criteria = [_criterion(r, c, scopes, vocab, codes) for c in _tables(r, raw.get("criteria"), "tiêu chí",
                                                                         "criterion")]
    effective_from = _date(raw.get("effective_from"))
    if effective_from is None:
        r.fail("effective_from phải là ngày (YYYY-MM-DD)", "effective_from must be a date (YYYY-MM-DD)")
    source = _source(r, raw.get("source"), vocab)
    if effective_from is None:
        return None, r.problems
    # Returned even with problems, so that what does not fit the base is reported in the same pass.
    digest = hashlib.sha256(text.encode()).hexdigest()[:8]
    layer = Layer(
        id=str(raw["id"]), version=f"{raw['version']}+{digest}", base=str(raw["base"]), provinces=tuple(provinces),
        province_names=tuple(names), name_vi=str(raw["name_vi"]), name_en=str(raw["name_en"]),
        document=str(raw["document"]), effective_from=effective_from, effective_to=_date(raw.get("effective_to")),
        source=source, demo=r.demo, thresholds=tuple(thresholds), indicators=tuple(indicators),
        removed=tuple(str(c) for c in _items(raw.get("remove_indicators"))), criteria=tuple(criteria), path=file,
    )
    return layer, r.problems


def _layer_documents(texts: list[tuple[str, str]], vocab: Vocabulary) -> tuple[Vocabulary, list[Problem]]:
    """Every layer may declare its own (provincial) documents; they join the shared vocabulary."""
    documents = dict(vocab.documents)
    problems: list[Problem] = []
    for file, text in texts:
        r = _Reader(file)
        raw = _raw_mapping(r, text) or {}
        for doc_id, doc in _documents(r, raw.get("documents")).items():
            if doc_id in documents and documents[doc_id] != doc:
                r.fail(f'văn bản "{doc_id}" đã được khai báo khác',
                       f'document "{doc_id}" is declared differently elsewhere')
            documents[doc_id] = doc
        problems.extend(r.problems)
    return Vocabulary(documents, vocab.regions, vocab.groups, vocab.units, vocab.units_en, vocab.departments), problems


def build_catalog(common_text: str, set_texts: Iterable[tuple[str, str]]) -> Catalog:
    """Parse the common vocabulary, every set and every layer; raise `CatalogError` listing every problem."""
    from .layers import check_layer, compose

    vocab, problems = parse_common(common_text)
    texts = list(set_texts)
    layer_texts = [(f, t) for f, t in texts if is_layer_text(t)]
    vocab, found = _layer_documents(layer_texts, vocab)
    problems.extend(found)
    sets: list[CriteriaSet] = []
    for file, text in texts:
        if (file, text) in layer_texts:
            continue
        s, found = parse_set(text, file, vocab)
        problems.extend(found)
        if s is not None:
            sets.append(s)
    by_id = {s.id: s for s in sets}
    raw_bases = {}
    for _file, text in layer_texts:
        raw = read_yaml(text) or {}
        raw_bases[str(raw.get("id"))] = str(raw.get("base"))
    layers: dict[str, Layer] = {}
    for file, text in layer_texts:
        raw = read_yaml(text) or {}
        chain: list[str] = []
        base = str(raw.get("base"))
        while base in raw_bases and base not in chain and len(chain) < 10:
            chain.append(base)
            base = raw_bases[base]
        layer, found = parse_layer(text, file, vocab, by_id.get(base))
        problems.extend(found)
        if layer is None:
            continue
        under = by_id[base]
        for layer_id in reversed(chain):
            if layer_id in layers:
                under = compose(under, layers[layer_id])
        for code, vi, en in check_layer(under, layer):
            problems.append(Problem(file, vi, en, indicator=code))
        layers[layer.id] = layer
    ids = [s.id for s in sets] + [layer_id for layer_id in raw_bases]
    for dup in sorted({i for i in ids if ids.count(i) > 1}):
        problems.append(Problem("catalog", f'mã bộ tiêu chí "{dup}" bị trùng', f'set id "{dup}" is duplicated'))
    if problems:
        raise CatalogError(problems)
    return Catalog(tuple(sets), vocab.documents, vocab.regions, vocab.groups, vocab.units_en,
                   layers=tuple(layers.values()))


LAYER_DIR = "provinces"  # province layers: catalog/provinces/*.yaml


def catalog_texts(directory: Path) -> list[tuple[str, str]]:
    """(file name, text) of every set and layer file of a catalog folder, `_common.yaml` excluded."""
    files = sorted(p for p in directory.glob("*.yaml") if p.name != COMMON_FILE)
    files += sorted((directory / LAYER_DIR).glob("*.yaml"))
    return [(str(p.relative_to(directory)), p.read_text(encoding="utf-8")) for p in files]


def load_catalog(directory: Path, extra: Iterable[tuple[str, str]] = ()) -> Catalog:
    """Read `_common.yaml`, every other `*.yaml` of a folder and its `provinces/` layers, plus `extra`
    texts (e.g. the demo's layers)."""
    common = (directory / COMMON_FILE).read_text(encoding="utf-8")
    return build_catalog(common, [*catalog_texts(directory), *extra])
