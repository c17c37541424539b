"""What every criterion, indicator and value of a set rests on: its status (official, a blank with the
document to take it from, provisional, demo), its document (number, date, links) and note, and which
province layers were composed over the national set ("Long An 8151/QĐ-UBND, trên nền 318/QĐ-TTg").

A value is one threshold for one region or commune group and one year, as `Catalog.resolve` gives it to
the communes of a province (or as the national set gives it). Pure: a `Catalog` in, plain data out
(`show`), and text lines in Vietnamese or English (`show_lines`).
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from .catalog import ANY, Catalog, CriteriaSet, Criterion, Indicator, LayerRef, Source, Threshold
from .gaps import STATUSES, document_json, grid_scopes, set_years, value_status


def _number(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def _origins(catalog: Catalog) -> dict[int, str]:
    """id() of every threshold, indicator and criterion a layer brings → the layer's id."""
    out: dict[int, str] = {}
    for layer in catalog.layers:
        for _code, t in layer.thresholds:
            out[id(t)] = layer.id
        indicators = [i for _c, i in layer.indicators] + [i for c in layer.criteria for i in c.indicators]
        for crit in layer.criteria:
            out[id(crit)] = layer.id
        for ind in indicators:
            out[id(ind)] = layer.id
            for t in ind.thresholds:
                out[id(t)] = layer.id
    return out


def source_json(catalog: Catalog, source: Source) -> dict:
    return {"status": str(source.status), "document": document_json(catalog.documents.get(source.document or "")),
            "urls": list(source.urls), "note": source.note}


def threshold_json(catalog: Catalog, t: Threshold | None, origins: dict[int, str]) -> dict:
    """The provenance of a value: status, document, the links it was read at, note, the layer it comes
    from (None: the national set) and the line of the file that gives it (scope "*" / year None: every)."""
    if t is None:
        return {"value": None, "status": "missing", "document": None, "urls": [], "note": "", "layer": None,
                "line": None}
    return {"value": _number(t.value), "status": value_status(t),
            "document": document_json(catalog.documents.get(t.source.document or "")), "urls": list(t.source.urls),
            "note": t.source.note, "layer": origins.get(id(t)), "line": {"scope": t.scope, "year": t.year}}


def layer_json(catalog: Catalog, ref: LayerRef) -> dict:
    return {"id": ref.id, "version": ref.version, "name_vi": ref.name_vi, "name_en": ref.name_en,
            "provinces": ref.provinces, "demo": ref.demo,
            "document": document_json(catalog.documents.get(ref.document))}


def _criterion_json(catalog: Catalog, crit: Criterion, origins: dict[int, str]) -> dict:
    return {"code": crit.code, "number": crit.number, "name_vi": crit.name_vi, "name_en": crit.name_en,
            "key": crit.key, "alternatives": [list(a) for a in crit.alternatives],
            "source": source_json(catalog, crit.source), "layer": origins.get(id(crit)), "indicators": []}


def _indicator_json(catalog: Catalog, ind: Indicator, origins: dict[int, str]) -> dict:
    return {"code": ind.code, "name_vi": ind.name_vi, "name_en": ind.name_en, "unit": ind.unit,
            "comparison": str(ind.comparison), "judged_by": "number" if ind.comparison.is_numeric else "verdict",
            "department": ind.department, "min": _number(ind.minimum), "max": _number(ind.maximum),
            "derived": ind.derived.share_of_communes_meeting if ind.derived else None,
            "source": source_json(catalog, ind.source), "layer": origins.get(id(ind)), "values": []}


def compositions(catalog: Catalog, set_id: str, province: str, years: Iterable[int]
                 ) -> list[tuple[tuple[int, ...], CriteriaSet]]:
    """The set as it applies to a province's communes, with the years each composition applies."""
    out: list[tuple[tuple[int, ...], CriteriaSet]] = []
    for year in years:
        cset = catalog.resolve(set_id, province, year) if province else catalog.get(set_id)
        if out and out[-1][1].version == cset.version:
            out[-1] = ((*out[-1][0], year), cset)
        else:
            out.append(((year,), cset))
    return out


def show(catalog: Catalog, set_id: str, province: str = "", year: int | None = None, lang: str = "vi",
         province_name: str = "") -> dict:
    """Every criterion, indicator and value of `set_id` with its provenance: as the national set gives it,
    or as it applies to the communes of `province` (composed with its layers year by year); every year
    the set is in force, or only `year`. Raises KeyError for an unknown set."""
    national = catalog.get(set_id)
    years = (year,) if year is not None else set_years(catalog, national)
    composed = compositions(catalog, set_id, province, years)
    origins = _origins(catalog)
    criteria: dict[str, dict] = {}
    counts = dict.fromkeys(STATUSES, 0)
    for comp_years, cset in composed:
        scopes = grid_scopes(cset)
        for crit in cset.criteria:
            indicators = criteria[crit.code]["indicators"] if crit.code in criteria else {}
            criteria[crit.code] = {**_criterion_json(catalog, crit, origins), "indicators": indicators}
            for ind in crit.indicators:
                values = indicators[ind.code]["values"] if ind.code in indicators else []
                indicators[ind.code] = {**_indicator_json(catalog, ind, origins), "values": values}
                if not ind.comparison.is_numeric:
                    continue
                for y in comp_years:
                    for scope in scopes:
                        entry = threshold_json(catalog, ind.threshold_for(scope, y), origins)
                        counts[entry["status"]] += 1
                        values.append({"scope": None if scope == ANY else scope, "year": y, **entry})
    return {
        "set": {"id": national.id, "version": national.version, "name_vi": national.name_vi,
                "name_en": national.name_en, "level": national.level, "unit_kind": str(national.unit_kind),
                "dimension": str(national.dimension), "scopes": list(national.scopes),
                "effective_from": national.effective_from.isoformat(),
                "effective_to": national.effective_to.isoformat() if national.effective_to else None,
                "document": document_json(catalog.documents.get(national.document)),
                "source": source_json(catalog, national.source)},
        "province": {"key": province, "name": province_name} if province else None,
        "years": list(years),
        "rests_on": [{"years": list(ys), "version": cset.version, "text": catalog.describe(cset, lang),
                      "layers": [layer_json(catalog, ref) for ref in cset.layers]} for ys, cset in composed],
        "values": {"total": sum(counts.values()), **counts},
        "criteria": [{**c, "indicators": list(c["indicators"].values())} for c in criteria.values()],
    }


# --- text -----------------------------------------------------------------------------------------------

_LABELS = {
    "vi": {
        "official": "chính thức", "missing": "chưa có số", "provisional": "tạm tính", "demo": "minh họa",
        "version": "Phiên bản", "rests_on": "Căn cứ", "criterion": "Tiêu chí", "source": "nguồn",
        "verdict": "Đạt/Không đạt", "all_scopes": "mọi vùng/nhóm", "all_years": "mọi năm", "values": "{n} giá trị",
        "take_from": "lấy từ", "no_document": "chưa rõ văn bản", "layer": "lớp", "province": "Tỉnh",
        "counts": "Giá trị: {official} chính thức, {missing} chưa có số, {provisional} tạm tính, {demo} minh họa"
                  " trên {total}",
        "years": "Năm",
    },
    "en": {
        "official": "official", "missing": "no figure yet", "provisional": "provisional", "demo": "demo",
        "version": "Version", "rests_on": "Rests on", "criterion": "Criterion", "source": "source",
        "verdict": "met / not met", "all_scopes": "every scope", "all_years": "every year", "values": "{n} values",
        "take_from": "take from", "no_document": "document unknown", "layer": "layer", "province": "Province",
        "counts": "Values: {official} official, {missing} without a figure, {provisional} provisional, {demo} demo"
                  " of {total}",
        "years": "Years",
    },
}


def _date(iso: str | None, lang: str) -> str:
    if not iso:
        return ""
    y, m, d = iso.split("-")
    return f"{d}/{m}/{y}" if lang != "en" else iso


def _value_text(value: int | float | None, lang: str) -> str:
    """70, 1.000, 0,5 in Vietnamese; 70, 1,000, 0.5 in English; "—" for no figure."""
    if value is None:
        return "—"
    text = f"{value:,}"
    return text.translate(str.maketrans(",.", ".,")) if lang != "en" else text


def citation(catalog: Catalog, source: Source, lang: str = "vi") -> str:
    """What a page shows a reader about where a value comes from: the document's number, date and title.
    Never the source's note: that is the editors' research trail (files read, confidence), not for readers."""
    doc = catalog.documents.get(source.document or "")
    if doc is None:
        return ""
    signed = _date(doc.signed.isoformat(), lang) if doc.signed else ""
    head = f"{doc.number} ({signed})" if signed else doc.number
    return f"{head}: {doc.title_vi}" if doc.title_vi else head


def _doc(doc: dict | None, lang: str) -> str:
    if doc is None:
        return ""
    signed = _date(doc["signed"], lang)
    return f"{doc['number']} ({signed})" if signed else doc["number"]


def _provenance(p: dict, lab: dict[str, str], lang: str) -> str:
    """status · document (date) · layer · note · first link."""
    parts = [lab[p["status"]]]
    doc = _doc(p["document"], lang)
    if p["status"] == "missing":
        parts.append(f"{lab['take_from']} {doc or lab['no_document']}")
    elif doc:
        parts.append(doc)
    if p.get("layer"):
        parts.append(f"{lab['layer']} {p['layer']}")
    if p["note"]:
        parts.append(p["note"])
    urls = p["urls"] or (p["document"] or {}).get("urls") or []
    if urls:
        parts.append(urls[0])
    return " · ".join(parts)


def show_lines(data: dict, lang: str = "vi") -> list[str]:
    """The listing as text: the set, what it rests on, then each criterion, indicator and line of values
    (one line of the file stands for the values it decides: "mọi vùng/nhóm, mọi năm: chưa có số (28 giá trị)")."""
    lab = _LABELS["en" if lang == "en" else "vi"]
    s = data["set"]
    name = s["name_vi"] if lang != "en" else s["name_en"]
    out = [f"{s['id']} — {name}", f"{lab['version']} {s['version']} · {_provenance(s['source'], lab, lang)}"]
    if data["province"]:
        p = data["province"]
        out.append(f"{lab['province']}: {p['name']} ({p['key']})" if p["name"] else f"{lab['province']}: {p['key']}")
    years = data["years"]
    out.append(f"{lab['years']}: {years[0]}–{years[-1]}" if len(years) > 1 else f"{lab['years']}: {years[0]}")
    for r in data["rests_on"]:
        span = f"{r['years'][0]}–{r['years'][-1]}" if len(r["years"]) > 1 else str(r["years"][0])
        out.append(f"{lab['rests_on']} ({span}): {r['text']}")
    out.append(lab["counts"].format(**data["values"]))
    for c in data["criteria"]:
        cname = c["name_vi"] if lang != "en" else c["name_en"]
        out.append(f"{lab['criterion']} {c['code']}. {cname} — {lab['source']}: {_provenance(c['source'], lab, lang)}")
        for i in c["indicators"]:
            iname = i["name_vi"] if lang != "en" else i["name_en"]
            how = lab["verdict"] if i["judged_by"] == "verdict" else f"{i['comparison']} {i['unit']}".strip()
            out.append(f"  {i['code']} {iname} ({how}) — {lab['source']}: {_provenance(i['source'], lab, lang)}")
            groups: dict[tuple, list[dict]] = {}
            for v in i["values"]:
                line = v["line"] or {"scope": v["scope"], "year": v["year"]}
                key = (line["scope"], line["year"], v["layer"], v["value"], v["status"])
                groups.setdefault(key, []).append(v)
            for (scope, year, _layer, value, _status), values in groups.items():
                where = lab["all_scopes"] if scope in (ANY, None) else scope
                when = lab["all_years"] if year is None else str(year)
                count = lab["values"].format(n=len(values))
                head = f"{where}, {when} ({count})" if value is None else \
                    f"{where}, {when}: {_value_text(value, lang)} ({count})"
                out.append(f"    {head} — {_provenance(values[0], lab, lang)}")
    return out
