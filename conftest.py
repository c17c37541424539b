"""Shared test set-up. App-level conftest files add personas and builders for their own tests."""

import os

# Playwright's sync API runs an event loop; Django refuses ORM calls from such a thread unless told.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

import pytest  # noqa: E402


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Tests create many users; real hashing would dominate the run."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _two_factor_not_required(settings):
    """Tests sign users in with `force_login`, which gives no second factor; the two-factor tests (ntm/accounts)
    turn the requirement back on."""
    settings.NTM_REQUIRE_2FA = False


@pytest.fixture(autouse=True)
def _language_reset():
    """A request to an /en/ page leaves English active in the thread; the next test starts in Vietnamese."""
    yield
    from django.utils import translation

    translation.deactivate()


@pytest.fixture(autouse=True)
def _catalog_follows_the_database(settings):
    """Versions published in a test are rolled back after it: look again before and after each test.
    Re-evaluation jobs run when the transaction commits, not in a thread."""
    from ntm.catalog_source import recheck

    settings.NTM_JOBS_INLINE = True
    recheck()
    yield
    recheck()


@pytest.fixture
def demo(db):
    """The Tân Trụ demo's units, targets, figures and users, loaded by the real demo loader. Tests of
    the workflow, dossiers, alerts and resources add their parts of the demo themselves."""
    from ntm.demo.loader import load_demo

    return load_demo(with_work=False, with_2026=False)


@pytest.fixture
def demo_2026(db):
    """The Tân Trụ demo's units, figures and users plus the new Tây Ninh (since 1/7/2025) in 2025–2026:
    all its communes, illustrative groups and verdicts against the 2026–2030 set."""
    from ntm.demo.loader import load_demo

    return load_demo(with_work=False, with_2026=True)


@pytest.fixture
def full_demo(db):
    """Everything `ntm demo --load-only` loads."""
    from ntm.demo.loader import load_demo

    return load_demo()
