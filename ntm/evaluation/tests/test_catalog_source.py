"""Published versions in the database stand in for the repository's file when newer, newest first;
an older one is left unused and listed."""

import yaml

from ntm.catalog_source import get_catalog, reload_catalog, repository_texts, shadowed_versions
from ntm.catalogs.models import CatalogVersion, State

NTMNC = "commune-ntmnc-2021-2025"


def publish(version: str, **extra) -> CatalogVersion:
    raw = yaml.safe_load(repository_texts()[NTMNC][1])
    raw["version"] = version
    return CatalogVersion.objects.create(set_id=NTMNC, version=version, state=State.PUBLISHED,
                                         takes_effect="2024-01-01", text=yaml.safe_dump(raw, allow_unicode=True),
                                         **extra)


def test_the_newest_published_version_replaces_the_repositorys_set(db):
    publish("2024.2")
    publish("2024.10")
    assert reload_catalog().get(NTMNC).version.startswith("2024.10+")


def test_without_published_versions_the_repository_set_is_used(db):
    publish("2024.3").delete()
    assert reload_catalog().get(NTMNC).version.startswith("2024.1+")


def test_drafts_and_future_versions_are_not_in_force(db):
    publish("2024.4").__class__.objects.filter(version="2024.4").update(state=State.DRAFT)
    publish("2024.5").__class__.objects.filter(version="2024.5").update(takes_effect="2999-01-01")
    assert reload_catalog().get(NTMNC).version.startswith("2024.1+")


def test_an_older_version_than_the_repositorys_is_listed_not_used(db):
    publish("2023.9")
    reload_catalog()
    assert get_catalog().get(NTMNC).version.startswith("2024.1+")
    assert [(s.set_id, s.version) for s in shadowed_versions()] == [(NTMNC, "2023.9")]
