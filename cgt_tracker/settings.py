"""Settings for CGT Tracker, read from the environment.

Development defaults are safe to run on a laptop: SQLite in the project folder, DEBUG on,
localhost only. With ``DJANGO_DEBUG=0`` the production settings below apply and a secret
key must be given (``manage.py check --deploy`` passes).
"""

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from import_export.formats import base_formats

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

DEBUG = env.bool("DJANGO_DEBUG", default=True)
SECRET_KEY = env("DJANGO_SECRET_KEY", default="dev-only-insecure-key" if DEBUG else environ.Env.NOTSET)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]", "testserver"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "import_export",
    "cgt_tracker",
    "sources",
    "companies",
    "programs",
    "policies",
    "evidence",
    "intake",
    "changes",
    "search",
    "dashboard",
]

MIDDLEWARE = [
    "cgt_tracker.request_log.RequestLogMiddleware",
    "cgt_tracker.health.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "cgt_tracker.middleware.RequestTooLargeMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The language: Django's language cookie (set by the switch on every page), else Accept-Language.
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "cgt_tracker.replicas.ReadReplicaMiddleware",
    "cgt_tracker.api.cache.CachedReadMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "cgt_tracker.middleware.DatabaseUnavailableMiddleware",
]

ROOT_URLCONF = "cgt_tracker.urls"

# The licence the About page states for the tracker's own records (the articles' text stays their publishers').
DATA_LICENSE = env("DJANGO_DATA_LICENSE", default="CC BY 4.0")
WSGI_APPLICATION = "cgt_tracker.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "cgt_tracker" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
# Persistent connections, checked before reuse, so the app rides out a PostgreSQL restart.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# Streaming read replicas (comma-separated URLs): reads go to one of them, writes to the primary, and a
# client that has just written reads from the primary for READ_YOUR_WRITES_SECONDS (cgt_tracker.replicas).
DATABASE_REPLICAS = []
for number, url in enumerate(env.list("DATABASE_REPLICA_URLS", default=[]), start=1):
    DATABASE_REPLICAS.append(f"replica{number}")
    DATABASES[f"replica{number}"] = {
        **env.db_url_config(url),
        "CONN_MAX_AGE": DATABASES["default"]["CONN_MAX_AGE"],
        "CONN_HEALTH_CHECKS": True,
        "TEST": {"MIRROR": "default"},
    }
DATABASE_ROUTERS = ["cgt_tracker.replicas.PrimaryReplicaRouter"]
READ_YOUR_WRITES_SECONDS = env.int("DJANGO_READ_YOUR_WRITES_SECONDS", default=5)

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Concurrent writers (gunicorn workers) wait for the write lock instead of failing with "database is
    # locked": IMMEDIATE takes the lock when a transaction begins, so it is never upgraded mid-way (which
    # SQLite cannot wait for); WAL lets reads go on beside the one writer.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,  # the busy timeout: seconds a writer waits for the lock
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
    # Some indexes carry extra columns for PostgreSQL's index-only scans (``include``); SQLite builds them
    # on their key columns alone, as intended, so its warning that it does so says nothing new.
    SILENCED_SYSTEM_CHECKS = ["models.W040"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# English and Simplified Chinese everywhere; codes and field names in the API never change.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("zh-hans", _("Simplified Chinese"))]
# One catalog for the whole project (every app and template): an app added later cannot miss it.
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}


def throttle_rate(variable, default):
    """A DRF rate such as "600/minute", or "off" to lift the limit (benchmarks on loopback)."""
    rate = env(variable, default=default)
    return None if rate == "off" else rate


# "No development reported": a program whose last report is more than NDR_MONTHS before the reference date,
# the newest source's publication date ("latest_source") or "today".
NDR_MONTHS = env.int("NDR_MONTHS", default=24)
NDR_REFERENCE = env.str("NDR_REFERENCE", default="latest_source")
if NDR_REFERENCE not in {"latest_source", "today"}:
    raise ImproperlyConfigured("NDR_REFERENCE is 'latest_source' or 'today'.")

REST_FRAMEWORK = {
    # Token first: an anonymous write is then answered 401 with a WWW-Authenticate header.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["cgt_tracker.api.permissions.ReadOnlyOrModelPermissions"],
    "DEFAULT_PAGINATION_CLASS": "cgt_tracker.api.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    # Search and ordering are part of each model's FilterSet (`search`, `ordering`), shared with the pages.
    "DEFAULT_FILTER_BACKENDS": ["cgt_tracker.api.filter_backend.GivenFiltersBackend"],
    # JSON only: nested lists (targets, sources…) have one unambiguous encoding.
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_RENDERER_CLASSES": [
        "cgt_tracker.api.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_SCHEMA_CLASS": "cgt_tracker.api.schema.AutoSchema",
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": throttle_rate("DJANGO_THROTTLE_ANON", "600/minute"),
        "user": throttle_rate("DJANGO_THROTTLE_USER", "3000/minute"),
    },
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "CGT Tracker API",
    "DESCRIPTION": _(
        "Cell and gene therapy programs in China, every record cited to its source article.\n\n"
        "Reads are open; writes need a user with the model's permission (`Authorization: Token <key>`, or a "
        "session). A record pointed to (`company`, `program`, `indication`…) is read as `{slug, name}` and "
        "written as its slug; lists of related records (`targets`, `designations`, `sources`…) are read and "
        "written as keys. A program's `stage` is derived from its active developments: write those at "
        "`/api/developments/`. Every list also answers `format=csv` with all its filtered rows."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "cgt_tracker.api.schema.add_links",
        "cgt_tracker.api.schema.allow_sparse_fields",
        "cgt_tracker.api.schema.refuse_nul_in_query_text",
    ],
    "ENUM_NAME_OVERRIDES": {
        "CompanyKindEnum": "companies.models.CompanyKind",
        "InstitutionKindEnum": "companies.models.InstitutionKind",
        "CollaborationKindEnum": "companies.models.Collaboration.Kind",
        "PolicyKindEnum": "policies.models.PolicyKind",
        "MilestoneKindEnum": "programs.choices.MilestoneKind",
        "DatePrecisionEnum": "cgt_tracker.models.DatePrecision",
    },
}

CACHES = {
    "default": env.cache("DJANGO_CACHE_URL", default="locmemcache://"),
}
if CACHES["default"]["BACKEND"].endswith("LocMemCache"):
    # Each process keeps its own cache; cached API responses are checked against the data version.
    CACHES["default"].setdefault("OPTIONS", {})["MAX_ENTRIES"] = 5000
elif CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    # Shared by every app server (responses and throttle counts); a Redis restart is a cache miss, not a 500.
    CACHES["default"]["BACKEND"] = "cgt_tracker.redis_cache.RedisCache"
    CACHES["default"].setdefault("OPTIONS", {}).update(
        {"socket_connect_timeout": 0.5, "socket_timeout": 0.5, "health_check_interval": 30}
    )

# Served with the pages: no inline script, styles only from our own static files.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "style-src": ["'self'"],
        "script-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    },
}

X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

if not DEBUG:
    SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# One line per request (cgt_tracker.request_log) and the request id on every line; JSON in production.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "cgt_tracker.request_log.RequestIdFilter"}},
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": ["asctime", "levelname", "name", "message", "request_id"],
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": env("DJANGO_LOG_FORMAT", default="text" if DEBUG else "json"),
        },
    },
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", default="INFO")},
    # runserver prints its own line per request; the app's request log is for gunicorn.
    "loggers": {
        "cgt_tracker.requests": {"level": env("DJANGO_REQUEST_LOG_LEVEL", default="WARNING" if DEBUG else "INFO")},
    },
}

FIXTURE_DIRS = [BASE_DIR / "fixtures"]

# Spreadsheet import and export in the admin (cgt_tracker.spreadsheets): CSV and XLSX, all or nothing.
IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_ESCAPE_ILLEGAL_CHARS_ON_EXPORT = True
IMPORT_FORMATS = EXPORT_FORMATS = [base_formats.CSV, base_formats.XLSX]
