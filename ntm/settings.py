"""NTM Tracker settings. Everything configurable comes from the environment, read here only."""

from __future__ import annotations

import functools
import json
import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.functional import lazy

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name: str, default: str = "") -> str:
    """A setting from NAME, or from the file named by NAME_FILE (for secrets)."""
    file = os.environ.get(f"{name}_FILE")
    if file:
        return Path(file).read_text(encoding="utf-8").strip()
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = env(name)
    if raw == "":
        return default
    if raw not in ("true", "false"):
        raise ImproperlyConfigured(f"{name}={raw!r}: expected 'true' or 'false'")
    return raw == "true"


def env_int(name: str, default: int) -> int:
    raw = env(name)
    if raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r}: expected a whole number") from None


DATA_DIR = Path(env("NTM_DATA_DIR", str(BASE_DIR / "data")))
CATALOG_DIR = Path(env("NTM_CATALOG_DIR", str(BASE_DIR / "catalog")))

DEBUG = env_bool("DEBUG", False)


@functools.cache
def _key_file() -> str:
    """The key kept in the data folder, written the first time a key is needed (not when settings load)."""
    path = DATA_DIR / "secret_key"
    if not path.exists():
        import secrets

        DATA_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50), encoding="utf-8")
    return path.read_text(encoding="utf-8").strip()


# SECRET_KEY from the environment, else one generated once and kept in the data folder. Importing the
# settings writes nothing: the folders are made when Django starts (ntm/server/apps.py), the key file
# when something first signs with the key.
SECRET_KEY = env("SECRET_KEY") or lazy(_key_file, str)()
ALLOWED_HOSTS = [h for h in env("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in env("CSRF_TRUSTED_ORIGINS").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "auditlog",
    "ntm.accounts",
    "ntm.units",
    "ntm.figures",
    "ntm.evaluation",
    "ntm.entry",
    "ntm.catalogs",
    "ntm.portal",
    "ntm.workflow",
    "ntm.recognition",
    "ntm.alerts",
    "ntm.resources",
    "ntm.exchange",
    "ntm.api",
    "ntm.reports",
    "ntm.maps",
    "ntm.demo",
    "ntm.server",
    "ntm.audit",
    "ntm.ops",
    "django_tasks_db",  # the queue of background work (README "Background work")
    "ntm.tasks",
]

MIDDLEWARE = [
    "ntm.server.request_log.RequestLogMiddleware",  # first: its id and timing cover everything below
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "ntm.portal.middleware.BrowserLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "ntm.accounts.two_factor.RequireTwoFactorMiddleware",
    "ntm.audit.middleware.AuditMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",  # last: turns a lockout into the lockout page
]

ROOT_URLCONF = "ntm.urls"
WSGI_APPLICATION = "ntm.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "ntm" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "ntm.alerts.context_processors.unread_alerts",
            ],
        },
    },
]


def _database() -> dj_database_url.DBConfig:
    url = env("DATABASE_URL")
    if not url:
        url = f"sqlite:///{DATA_DIR / 'ntm.sqlite3'}"  # the folder is made when Django starts
    try:
        config = dj_database_url.parse(url, conn_max_age=60)
    except ValueError as exc:
        raise ImproperlyConfigured(f"DATABASE_URL={url!r}: {exc}") from exc
    if config["ENGINE"].endswith("sqlite3"):
        # Connections are kept (each server thread has its own, as with PostgreSQL): opening one costs a
        # request ≈ 3 ms of CPU (the file, the PRAGMAs below, the schema read again).
        # WAL: readers never wait for the writer. IMMEDIATE: a transaction takes the write lock when it begins,
        # so a busy writer makes others wait (`timeout` seconds) instead of failing with "database is locked".
        config.setdefault("OPTIONS", {}).update(
            init_command="PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;", transaction_mode="IMMEDIATE",
            timeout=60)
        config.setdefault("TEST", {})["NAME"] = env("TEST_SQLITE_NAME") or None
    return config


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
]
AUTHENTICATION_BACKENDS = [
    "ntm.accounts.backends.LockoutBackend",  # django-axes: refuses locked-out names and addresses first
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "portal:me"  # each role's own page; ?next= still wins
LOGOUT_REDIRECT_URL = "/"

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "ntm" / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Asia/Ho_Chi_Minh"
FORMAT_MODULE_PATH = ["ntm.formats"]
USE_THOUSAND_SEPARATOR = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"  # made when Django starts (ntm/server/apps.py): WhiteNoise warns without it
STATICFILES_DIRS = [BASE_DIR / "ntm" / "static"]

MEDIA_URL = "/media/"  # never served publicly: uploads go through views that check permissions
MEDIA_ROOT = Path(env("NTM_MEDIA_DIR", str(DATA_DIR / "media")))


def _file_storage() -> dict:
    """Where uploads go, through Django's storage API: NTM_FILE_STORAGE names any storage class (servers on
    several hosts share one, e.g. django-storages' `storages.backends.s3.S3Storage`), NTM_FILE_STORAGE_OPTIONS
    (or the file named by NTM_FILE_STORAGE_OPTIONS_FILE, for keys) its options as a JSON object."""
    backend = env("NTM_FILE_STORAGE", "django.core.files.storage.FileSystemStorage")
    raw = env("NTM_FILE_STORAGE_OPTIONS", "{}")
    try:
        options = json.loads(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"NTM_FILE_STORAGE_OPTIONS: not JSON ({exc})") from None
    if not isinstance(options, dict):
        raise ImproperlyConfigured("NTM_FILE_STORAGE_OPTIONS: expected a JSON object, e.g. "
                                   '{"bucket_name": "ntm", "endpoint_url": "https://s3.example.gov.vn"}')
    return {"BACKEND": backend, "OPTIONS": options}


STORAGES = {
    "default": _file_storage(),
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
NTM_CATALOG_RECHECK_SECONDS = 2.0  # how soon a version published by another process is seen
NTM_JOBS_INLINE = env("NTM_JOBS_INLINE", "false").lower() == "true"  # run re-evaluations inside the request

# --- Background work (README "Background work") --------------------------------------------------------
# Django's tasks framework. NTM_TASKS=database (default): work waits in the database until `ntm worker` (on any
# host) takes it; immediate: it runs at once in the process that asks (no worker; a request waits for it).
# The "immediate" backend always exists: NTM_JOBS_INLINE (tests, `ntm serve`'s start-up child) sends work there.
NTM_TASKS = env("NTM_TASKS", "database")
if NTM_TASKS not in ("database", "immediate"):
    raise ImproperlyConfigured(f"NTM_TASKS={NTM_TASKS!r}: expected 'database' or 'immediate'")
_IMMEDIATE = {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}
TASKS = {
    "default": {"BACKEND": "django_tasks_db.DatabaseBackend"} if NTM_TASKS == "database" else _IMMEDIATE,
    "immediate": _IMMEDIATE,
}
NTM_TASK_ATTEMPTS = env_int("NTM_TASK_ATTEMPTS", 3)  # a failing task is tried this many times in all
NTM_TASK_RETRY_SECONDS = env_int("NTM_TASK_RETRY_SECONDS", 60)  # wait before the 2nd try; doubles each time
NTM_DIGEST_AT = env("NTM_DIGEST_AT", "06:30")  # local time from which `ntm worker` sends the day's digest; "off"
if NTM_DIGEST_AT != "off" and not (len(NTM_DIGEST_AT) == 5 and NTM_DIGEST_AT[2] == ":"
                                   and NTM_DIGEST_AT.replace(":", "").isdigit()
                                   and int(NTM_DIGEST_AT[:2]) < 24 and int(NTM_DIGEST_AT[3:]) < 60):
    raise ImproperlyConfigured(f"NTM_DIGEST_AT={NTM_DIGEST_AT!r}: expected HH:MM (e.g. 06:30) or 'off'")
# What `ntm worker` starts once a day, from the given local time: a function(day) that queues the day's work.
NTM_TASK_RESULTS_DAYS = env_int("NTM_TASK_RESULTS_DAYS", 14)  # the queue's rows of finished work kept this long
NTM_DAILY_TASKS = {"ntm.alerts.tasks.start_daily_digest": NTM_DIGEST_AT,
                   "ntm.tasks.housekeeping.prune_queue": "03:00"}
MAX_UPLOAD_BYTES = int(env("NTM_MAX_UPLOAD_BYTES", str(20 * 1024 * 1024)))
# What an uploaded .xlsx/.docx may unpack to, checked from its zip directory before any parser opens it
# (ntm/uploads.py); and the largest image, in pixels, decoded to check it.
NTM_UPLOAD_MAX_ENTRIES = env_int("NTM_UPLOAD_MAX_ENTRIES", 2000)
NTM_UPLOAD_MAX_UNZIPPED_BYTES = env_int("NTM_UPLOAD_MAX_UNZIPPED_BYTES", 200 * 1024 * 1024)
NTM_UPLOAD_MAX_RATIO = env_int("NTM_UPLOAD_MAX_RATIO", 100)
NTM_UPLOAD_MAX_PIXELS = env_int("NTM_UPLOAD_MAX_PIXELS", 40_000_000)

# Residents' satisfaction a commune needs for recognition (condition C2 of Decision 18/2022/QĐ-TTg).
# Provisional: the reference gives 90% only for districts; set the official commune rate when known.
NTM_COMMUNE_SATISFACTION_MIN = int(env("NTM_COMMUNE_SATISFACTION_MIN", "90"))

# Mail for alerts and digests; the console in development. NTM_MAIL_BACKEND names another backend.
MAILERS = {"default": {"BACKEND": env("NTM_MAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")}}
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "ntm-tracker@localhost")

# Log-in guard (django-axes): after NTM_LOGIN_FAILURE_LIMIT failures, the user name and the address are each
# locked for NTM_LOGIN_LOCKOUT_MINUTES; an administrator unlocks earlier (admin "Access attempts", or
# `ntm axes_reset_username NAME` / `ntm axes_reset_ip ADDRESS`); a password reset by e-mail unlocks the name.
AXES_FAILURE_LIMIT = env_int("NTM_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("NTM_LOGIN_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "ntm.accounts.lockout.locked_out"
AXES_CLIENT_IP_CALLABLE = "ntm.accounts.client.client_ip"
NTM_PROXY_COUNT = env_int("NTM_PROXY_COUNT", 0)  # reverse proxies in front that append to X-Forwarded-For
# Two-factor log-in (django-otp TOTP) required for administrators and province offices.
NTM_REQUIRE_2FA = env_bool("NTM_REQUIRE_2FA", True)
OTP_TOTP_ISSUER = "NTM Tracker"
NTM_API_TOKEN_DAYS = env_int("NTM_API_TOKEN_DAYS", 90)  # validity of a new API token
AUDITLOG_LOGENTRY_MODEL = "audit.AuditEntry"  # django-auditlog's entry plus the unit it concerns
# Its own LogEntry is swapped out, but its migrations would still create that table, which test flushes on
# PostgreSQL then cannot truncate (a foreign key to content types): no migrations, so no table.
MIGRATION_MODULES = {"auditlog": None}
AUDITLOG_DISABLE_ON_RAW_SAVE = True  # fixtures loaded with loaddata are not changes by anyone
# auditlog's default, named here because ntm/audit/bulk.py reads it (a foreign key is recorded as its id)
AUDITLOG_USE_FK_STRING_REPRESENTATION = False

# --- Deployment behind HTTPS (README "Production") -----------------------------------------------------
# Off by default so that `scripts/start` serves http://127.0.0.1:8000; a production server sets them.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", False)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", False)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)


def _proxy_ssl_header() -> tuple[str, str] | None:
    """`X-Forwarded-Proto: https` → ("HTTP_X_FORWARDED_PROTO", "https"): the header the proxy sets on HTTPS."""
    raw = env("SECURE_PROXY_SSL_HEADER")
    if not raw:
        return None
    name, sep, value = raw.partition(":")
    if not sep or not name.strip() or not value.strip():
        raise ImproperlyConfigured(f"SECURE_PROXY_SSL_HEADER={raw!r}: expected 'Header-Name: value', "
                                   "e.g. 'X-Forwarded-Proto: https'")
    return "HTTP_" + name.strip().upper().replace("-", "_"), value.strip()


SECURE_PROXY_SSL_HEADER = _proxy_ssl_header()
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"


def _content_security_policy() -> tuple[dict, dict]:
    """Django's own CSP (django.middleware.csp): every script, style, image and font from this site only
    (no CDN; htmx, Chart.js and Leaflet are static files), scripts may also carry the response's nonce.
    NTM_CSP=enforce (default) | report-only | off; NTM_CSP_REPORT_URI receives violation reports."""
    from django.utils.csp import CSP

    policy: dict[str, list[str]] = {
        "default-src": [CSP.SELF],
        "script-src": [CSP.SELF, CSP.NONCE],
        "style-src": [CSP.SELF],
        "img-src": [CSP.SELF, "data:"],
        "font-src": [CSP.SELF],
        "connect-src": [CSP.SELF],
        "object-src": [CSP.NONE],
        "base-uri": [CSP.SELF],
        "form-action": [CSP.SELF],
        "frame-ancestors": [CSP.NONE],
    }
    if report_uri := env("NTM_CSP_REPORT_URI"):
        policy["report-uri"] = [report_uri]
    mode = env("NTM_CSP", "enforce")
    if mode not in ("enforce", "report-only", "off"):
        raise ImproperlyConfigured(f"NTM_CSP={mode!r}: expected 'enforce', 'report-only' or 'off'")
    return (policy if mode == "enforce" else {}), (policy if mode == "report-only" else {})


SECURE_CSP, SECURE_CSP_REPORT_ONLY = _content_security_policy()

# --- Logs and health (README "Logs and health") ----------------------------------------------------------
# One line per request and every SQL statement slower than NTM_SLOW_QUERY_MS, from the "ntm" loggers at
# NTM_LOG_LEVEL; other libraries at LOG_LEVEL. NTM_LOG_FORMAT=json (one object a line) | text.
NTM_LOG_FORMAT = env("NTM_LOG_FORMAT", "json")
if NTM_LOG_FORMAT not in ("json", "text"):
    raise ImproperlyConfigured(f"NTM_LOG_FORMAT={NTM_LOG_FORMAT!r}: expected 'json' or 'text'")
NTM_SLOW_QUERY_MS = env_int("NTM_SLOW_QUERY_MS", 200)
NTM_HEALTH_QUEUE_MAX_SECONDS = env_int("NTM_HEALTH_QUEUE_MAX_SECONDS", 3600)  # /healthz fails past it; 0: never
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # a proxy's probe over plain HTTP gets the answer, not a redirect
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "ntm.server.request_log.RequestIdFilter"}},
    "formatters": {"app": {"()": f"ntm.server.request_log.{NTM_LOG_FORMAT.capitalize()}Formatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "app", "filters": ["request_id"]}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "WARNING")},
    "loggers": {"ntm": {"level": env("NTM_LOG_LEVEL", "INFO")}},
}
