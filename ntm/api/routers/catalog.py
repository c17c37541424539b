"""The criteria catalog, read-only: sets → criteria → indicators → thresholds, each with its source
(official, with the document it was read in, or provisional). The catalog is public law, so any
authenticated caller may read all of it."""


from django.http import Http404, HttpRequest
from ninja import Router

from ntm.core.catalog import Catalog, CriteriaSet, Criterion, Indicator, Source, Threshold
from ntm.evaluation.catalog_source import get_catalog

from ..schemas import CriteriaSetOut, CriteriaSetSummary, Message

router = Router(tags=["catalog"])


def _document(catalog: Catalog, doc_id: str | None) -> dict | None:
    doc = catalog.documents.get(doc_id) if doc_id else None
    if doc is None:
        return None
    return {"id": doc.id, "number": doc.number, "title_vi": doc.title_vi, "signed": doc.signed,
            "urls": list(doc.urls)}


def _source(catalog: Catalog, source: Source) -> dict:
    return {"status": source.status.value, "document": _document(catalog, source.document),
            "urls": list(source.urls), "note": source.note}


def _threshold(catalog: Catalog, t: Threshold) -> dict:
    return {"scope": t.scope, "year": t.year, "value": t.value, "source": _source(catalog, t.source)}


def _indicator(catalog: Catalog, ind: Indicator) -> dict:
    return {
        "code": ind.code, "name_vi": ind.name_vi, "name_en": ind.name_en, "unit": ind.unit,
        "comparison": ind.comparison.value, "department": ind.department,
        "derived_from_level": ind.derived.share_of_communes_meeting if ind.derived else None,
        "minimum": ind.minimum, "maximum": ind.maximum, "source": _source(catalog, ind.source),
        "thresholds": [_threshold(catalog, t) for t in ind.thresholds],
    }


def _criterion(catalog: Catalog, crit: Criterion) -> dict:
    return {
        "code": crit.code, "number": crit.number, "name_vi": crit.name_vi, "name_en": crit.name_en,
        "key": crit.key, "group_vi": crit.group_vi, "alternatives": [list(a) for a in crit.alternatives],
        "source": _source(catalog, crit.source), "indicators": [_indicator(catalog, i) for i in crit.indicators],
    }


def _summary(catalog: Catalog, cset: CriteriaSet) -> dict:
    return {
        "id": cset.id, "version": cset.version, "level": cset.level, "unit_kind": cset.unit_kind.value,
        "name_vi": cset.name_vi, "name_en": cset.name_en, "document": _document(catalog, cset.document),
        "effective_from": cset.effective_from, "effective_to": cset.effective_to,
        "dimension": cset.dimension.value, "scopes": list(cset.scopes), "criteria_count": len(cset.criteria),
        "source": _source(catalog, cset.source),
    }


@router.get("/sets", response=list[CriteriaSetSummary], summary="Các bộ tiêu chí / criteria sets")
def list_sets(request: HttpRequest):
    catalog = get_catalog()
    return [_summary(catalog, s) for s in catalog.sets]


@router.get("/sets/{set_id}", response={200: CriteriaSetOut, 401: Message, 404: Message},
            summary="Một bộ tiêu chí đầy đủ / one criteria set in full")
def get_set(request: HttpRequest, set_id: str):
    catalog = get_catalog()
    try:
        cset = catalog.get(set_id)
    except KeyError:
        raise Http404(set_id) from None
    return {**_summary(catalog, cset), "criteria": [_criterion(catalog, c) for c in cset.criteria]}
