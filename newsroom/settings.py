"""Newsroom settings, read from the environment.

Django's own settings come from ``DJANGO_*`` variables, infrastructure from plain
names (``DATABASE_URL``, ``REDIS_URL``). See docs/deploy.md for the full list.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name, default):
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from None


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG")

# The test run brings its own secret (newsroom/settings_test.py).
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("Set DJANGO_SECRET_KEY (or DJANGO_DEBUG=1 for development).")
    SECRET_KEY = "django-insecure-development-only-key"

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "django_filters",
    "accounts",
    "django_tasks_db",
    "simple_history",
    "providers",
    "articles",
    "jobs",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Outside everything that shapes a page (sessions, CSRF, ETags, CSP), so a stored
    # page keeps the headers it was made with; see newsroom/pagecache.py.
    "newsroom.pagecache.AnonymousPageCacheMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "newsroom.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.csp",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# Plain <input> and <select> widgets drawn without their templates (newsroom/formrender.py).
FORM_RENDERER = "newsroom.formrender.FastWidgetRenderer"

WSGI_APPLICATION = "newsroom.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=env_bool("DATABASE_CONN_HEALTH_CHECKS", True),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers work while an import writes; IMMEDIATE avoids
    # "database is locked" upgrades when two writers meet.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }

elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No JIT compilation: it pays off for long analytical queries, not for web
    # pages. A page's capped count (articles/paging.py) is estimated costly, so
    # PostgreSQL compiled it: 1.9 s of compiling to run 90 ms of query.
    options = DATABASES["default"].setdefault("OPTIONS", {})
    options["options"] = "-c jit=off"
    # Prepared statements (docs/deploy.md): psycopg sends the parameters apart from
    # the SQL (server-side binding) and prepares a statement once it has run
    # DATABASE_PREPARE_THRESHOLD times on a connection; PostgreSQL then plans it for
    # the connection's life instead of for every request (a page's planning cost
    # more than its execution). An empty value prepares nothing, as behind a pooler
    # that cannot keep prepared statements.
    # Full-text searches and capped counts stay unprepared: their values pick their
    # plans (newsroom/pgcursor.py).
    prepare_threshold = os.environ.get("DATABASE_PREPARE_THRESHOLD", "2").strip()
    if prepare_threshold:
        from newsroom.pgcursor import PreparingCursor

        options["server_side_binding"] = True
        options["prepare_threshold"] = env_int("DATABASE_PREPARE_THRESHOLD", 2)
        options["cursor_factory"] = PreparingCursor

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The login throttle's counts must be shared by every worker and by `unlock_login`
# (accounts/throttle.py): Redis when there is one, else a table in the database
# (created by `migrate`), never the per-process default.
LOGIN_THROTTLE_CACHE = "login-throttle"
LOGIN_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
LOGIN_LOCKOUT_SECONDS = env_int("LOGIN_LOCKOUT_SECONDS", 15 * 60)
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    LOGIN_THROTTLE_CACHE: {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "accounts_login_throttle",
    },
}
if os.environ.get("REDIS_URL"):
    CACHES = {
        alias: {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            "KEY_PREFIX": alias,
        }
        for alias in CACHES
    }

# Anonymous readers' pages are served from the cache for this long (or until anything
# they show changes). Off by default without Redis: a per-process memory cache cannot
# be emptied across gunicorn workers.
PAGE_CACHE_SECONDS = int(
    os.environ.get("NEWSROOM_PAGE_CACHE_SECONDS", "300" if os.environ.get("REDIS_URL") else "0")
)
PAGE_CACHE_ALIAS = "default"
# When a stored page must expire at the latest: the next embargo lifting or
# falling, or pin expiring (articles/schedules.py); see newsroom/pagecache.py.
PAGE_CACHE_NEXT_CHANGE = "articles.schedules.next_public_change"

# Long jobs run as Django tasks stored in the database; `manage.py db_worker` runs
# them (docs/jobs.md, also for a Redis/RQ backend instead).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
JOBS_UPLOAD_MAX_BYTES = int(os.environ.get("JOBS_UPLOAD_MAX_BYTES", 50 * 1024 * 1024))
JOBS_UPLOAD_MAX_FILES = int(os.environ.get("JOBS_UPLOAD_MAX_FILES", 5000))
JOBS_HEARTBEAT_SECONDS = float(os.environ.get("JOBS_HEARTBEAT_SECONDS", 2))
JOBS_STALE_SECONDS = float(os.environ.get("JOBS_STALE_SECONDS", 300))

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if not DEBUG  # the manifest needs collectstatic first
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "media"))

LOGIN_URL = "admin:login"

# Stories' versions (articles/history.py). Off only to measure what the import's
# versions cost (bench/import_throughput.py --history both): editors lose them.
NEWSROOM_HISTORY_ON_IMPORT = env_bool("NEWSROOM_HISTORY_ON_IMPORT", True)

# TLS usually ends at the proxy: these switch on from the environment (docs/deploy.md).
# X-Forwarded-Proto is trusted only when the operator says a proxy sets it: any client
# that reaches gunicorn directly could otherwise claim HTTPS.
if env_bool("DJANGO_SECURE_PROXY_SSL_HEADER"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT")
SECURE_HSTS_SECONDS = env_int("DJANGO_SECURE_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS")
SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD")
SESSION_COOKIE_SECURE = env_bool("DJANGO_SESSION_COOKIE_SECURE", SECURE_SSL_REDIRECT)
CSRF_COOKIE_SECURE = env_bool("DJANGO_CSRF_COOKIE_SECURE", SECURE_SSL_REDIRECT)

# One policy for the public site and the admin. Scripts and styles come from our own
# origin; one that must be inline carries nonce="{{ csp_nonce }}". Story pictures and
# outlets' logos may live on any http(s) host, so images alone may come from elsewhere.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "https:", "http:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

# JSON lines (as gunicorn.conf.py writes the access log) unless asked for plain text;
# development defaults to text.
LOG_FORMAT = os.environ.get("NEWSROOM_LOG_FORMAT", "text" if DEBUG else "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "newsroom.logs.JsonFormatter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            **({"formatter": "json"} if LOG_FORMAT == "json" else {}),
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
}
