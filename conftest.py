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
def _catalog_follows_the_database(settings):
    """Versions published in a test are rolled back after it: look again before and after each test.
    Re-evaluation jobs run when the transaction commits, not in a thread."""
    from ntm.evaluation.catalog_source import recheck

    settings.NTM_JOBS_INLINE = True
    recheck()
    yield
    recheck()


@pytest.fixture
def demo(db):
    """The Tân Trụ demo's units, targets, figures and users, loaded by the real demo loader. Tests of
    the workflow, dossiers, alerts and resources add their parts of the demo themselves."""
    from ntm.demo.loader import load_demo

    return load_demo(with_work=False)


@pytest.fixture
def full_demo(db):
    """Everything `ntm demo --load-only` loads."""
    from ntm.demo.loader import load_demo

    return load_demo()
