"""Accord settings: one module, read from the environment.

Every variable is listed in docs/settings.md (a test checks it). The
defaults run the embedded mode: SQLite in ``ACCORD_DATA_DIR``, no ``.env``.
"""

from __future__ import annotations

import dj_database_url

from accord.conf import data_dir, env_bool, env_int, env_list, env_str, local_secret_key

DATA_DIR = data_dir()
PRODUCTION = env_str("ACCORD_ENV", "development") == "production"

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_str("SECRET_KEY") or ("" if PRODUCTION else local_secret_key(DATA_DIR))
if PRODUCTION and not SECRET_KEY:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("SECRET_KEY must be set when ACCORD_ENV=production")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "template_partials",
    "django_tasks",
    "django_tasks_db",
    "accord.directory",
    "accord.crm",
    "accord.inbox",
    "accord.funnel",
    "accord.metrics",
    "accord.diagnostic",
    "accord.playbook",
    "accord.cadence",
    "accord.feedback",
    "accord.connectors",
    "accord.api",
    "accord.web",
    "accord.audit",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "accord.web.security.SecurityHeadersMiddleware",
    "accord.web.security.BodyLimitMiddleware",
    "accord.ratelimit.RateLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "accord.urls"
WSGI_APPLICATION = "accord.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accord.web.context.navigation",
            ],
        },
    }
]

DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "accord.sqlite3",
            "OPTIONS": {
                # Writers queue behind one another instead of failing with
                # "database is locked": IMMEDIATE takes the write lock at BEGIN.
                "transaction_mode": "IMMEDIATE",
                "timeout": 30,
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                    "PRAGMA foreign_keys=ON; PRAGMA busy_timeout=30000;"
                ),
            },
        }
    }

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-us"
TIME_ZONE = env_str("ACCORD_TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # WhiteNoise serves from finders; the folder must exist
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
MEDIA_ROOT = DATA_DIR / "uploads"

DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("ACCORD_MAX_BODY_BYTES", 5 * 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Rate limits (COUNT/SECONDS), counted in the cache below; see docs/security.md.
ACCORD_RATE_LOGIN = env_str("ACCORD_RATE_LOGIN", "10/900")
ACCORD_RATE_API = env_str("ACCORD_RATE_API", "1200/60")
ACCORD_RATE_WEBHOOK = env_str("ACCORD_RATE_WEBHOOK", "30000/60")
ACCORD_TRUSTED_PROXY_HEADER = env_str("ACCORD_TRUSTED_PROXY_HEADER", "")
REDIS_URL = env_str("REDIS_URL")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "accord"}
    )
}

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("ACCORD_FROM_EMAIL", "accord@localhost")

TASKS = {
    "default": {
        "BACKEND": env_str(
            "ACCORD_TASKS_BACKEND", "django_tasks.backends.immediate.ImmediateBackend"
        )
    }
}

ACCORD_COMPANY_CURRENCY = env_str("ACCORD_COMPANY_CURRENCY", "USD")
ACCORD_WEBHOOK_SECRET = env_str("ACCORD_WEBHOOK_SECRET", "")
ACCORD_IMPORT_MAX_UPLOAD_BYTES = env_int("ACCORD_IMPORT_MAX_UPLOAD_BYTES", 200 * 1024 * 1024)
ACCORD_IMPORT_PRECEDENCE = env_str("ACCORD_IMPORT_PRECEDENCE", "")
ACCORD_BASE_URL = env_str("ACCORD_BASE_URL", "http://127.0.0.1:8000")

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

if PRODUCTION:
    # Behind a TLS-terminating proxy that sets X-Forwarded-Proto.
    DEBUG = False
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("ACCORD_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("ACCORD_HSTS_SECONDS", 31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("ACCORD_LOG_LEVEL", "WARNING")},
}
