"""The generation of the published results: the home page's figures are built again only when stored results
change (`bump`), never cached while no generation exists, and old generations are pruned."""

from __future__ import annotations

import pytest

from ntm.portal import generation, selectors
from ntm.portal.models import ResultsGeneration

pytestmark = pytest.mark.django_db


@pytest.fixture
def builds(monkeypatch):
    """How many times the figures were built from the database."""
    calls: list[int] = []
    monkeypatch.setattr(selectors, "public_progress", lambda: calls.append(1) or ())
    monkeypatch.setattr(selectors, "_published", None)
    return calls


def test_no_generation_until_results_are_written():
    assert generation.current() is None


def test_each_write_makes_a_new_generation():
    generation.bump()
    first = generation.current()
    generation.bump()
    assert first and generation.current() != first


def test_without_a_generation_the_figures_are_built_on_every_visit(builds):
    selectors.published()
    selectors.published()
    assert len(builds) == 2, "the results could be anything: nothing may be cached"


def test_the_figures_are_kept_until_the_results_change(builds):
    generation.bump()
    first = selectors.published()
    assert selectors.published() is first and len(builds) == 1
    generation.bump()
    selectors.published()
    assert len(builds) == 2


def test_old_generations_are_pruned_keeping_the_newest(monkeypatch):
    monkeypatch.setattr(generation, "PRUNE_EVERY", 5)
    monkeypatch.setattr(generation, "KEEP", 2)
    for _ in range(12):
        generation.bump()
    newest = ResultsGeneration.objects.order_by("-pk").first()
    assert generation.current() == newest.token
    kept = ResultsGeneration.objects.count()
    assert kept < 12 and ResultsGeneration.objects.filter(pk__gte=newest.pk - 2).count() == 3
