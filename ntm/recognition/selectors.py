"""Reads for the recognition pages and rules: a dossier's facts, checklist, timeline and checks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.conf import settings

from ntm.catalog_source import get_catalog
from ntm.core import recognition as rules
from ntm.core.catalog import CriteriaSet, UnitKind
from ntm.evaluation.models import UnitResult
from ntm.units.models import Recognition

from .checklists import checklist
from .models import CapitalDebt, Dossier, IndicatorCheck


def satisfaction_min() -> Decimal:
    # Provisional: the reference gives no commune rate (recognition_rules C2: required_rate_percent: null).
    return Decimal(str(getattr(settings, "NTM_COMMUNE_SATISFACTION_MIN", 90)))


def criteria_set(dossier: Dossier) -> CriteriaSet | None:
    return get_catalog().set_for(UnitKind.COMMUNE, dossier.level, dossier.year)


def unmet_criteria(dossier: Dossier) -> tuple[str, ...] | None:
    cset = criteria_set(dossier)
    if cset is None:
        return None
    result = UnitResult.objects.filter(unit=dossier.commune, criteria_set=cset.id, year=dossier.year).first()
    if result is None:
        return None
    return tuple(result.unmet)


def present_kinds(dossier: Dossier) -> set[str]:
    return set(dossier.documents.values_list("kind", flat=True))


def outstanding_debt(commune) -> bool:
    return CapitalDebt.objects.filter(commune=commune, settled_on__isnull=True).exists()


def open_returns(dossier: Dossier) -> tuple[str, ...]:
    return tuple(IndicatorCheck.objects.filter(dossier=dossier, returned=True).values_list("indicator", flat=True))


def facts(dossier: Dossier, *, today: date, comment: str = "", decision_number: str = "",
          decision_date: date | None = None) -> rules.DossierFacts:
    return rules.DossierFacts(
        step=rules.Step(dossier.step), today=today, unmet_criteria=unmet_criteria(dossier),
        satisfaction_rate=dossier.satisfaction_rate, satisfaction_min=satisfaction_min(),
        outstanding_debt=outstanding_debt(dossier.commune), security_ok=dossier.security_ok,
        documents_present=present_kinds(dossier), checklist=rules.checklist_for(checklist(), today),
        open_returns=open_returns(dossier),
        already_recognised=Recognition.objects.filter(unit=dossier.commune, level=dossier.level,
                                                      revoked_on__isnull=True).exists(),
        comment=comment, decision_number=decision_number, decision_date=decision_date,
    )


@dataclass(frozen=True)
class ChecklistLine:
    document: rules.RequiredDocument
    present: bool


def checklist_lines(dossier: Dossier, today: date) -> list[ChecklistLine]:
    present = present_kinds(dossier)
    return [ChecklistLine(d, d.code in present) for d in rules.checklist_for(checklist(), today)]


def completeness(dossier: Dossier, today: date) -> int:
    return rules.completeness(rules.checklist_for(checklist(), today), present_kinds(dossier))
