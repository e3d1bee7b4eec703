"""Settings for the ARP tracker, read from the environment.

See README.md ("Configuration") for every variable. Defaults let anyone try the
app with no server: SQLite under var/, tasks run inline, email to the console.
"""

from pathlib import Path

import environ
import plotly
import xstatic.pkg.bootstrap
from celery.schedules import crontab

from arp.config import broker_url, database_config, email_config, fail

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
TESTING = env.bool("ARP_TESTING", default=False)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if DEBUG or TESTING:
        SECRET_KEY = "django-insecure-dev-only-key-do-not-use-in-production"  # noqa: S105
    else:
        fail("SECRET_KEY must be set when DEBUG is off.")

ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG or TESTING else []
)
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "simple_history",
    "arp",
    "programme",
    "learning_spaces",
    "disproportionality",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "arp.urls"
WSGI_APPLICATION = "arp.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "arp.roles.context_processor",
            ],
        },
    },
]

DATABASES = {
    "default": database_config(
        env, default_url=f"sqlite:///{BASE_DIR / 'var/arp.sqlite3'}"
    )
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# Persistent connections save a PostgreSQL handshake on every request.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

_VALIDATORS = "django.contrib.auth.password_validation"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": f"{_VALIDATORS}.UserAttributeSimilarityValidator"},
    {"NAME": f"{_VALIDATORS}.MinimumLengthValidator"},
    {"NAME": f"{_VALIDATORS}.CommonPasswordValidator"},
    {"NAME": f"{_VALIDATORS}.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# UK conventions: 22 Nov 2026, Europe/London.
LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
DATE_FORMAT = "j M Y"
SHORT_DATE_FORMAT = "d/m/Y"
DATETIME_FORMAT = "j M Y, H:i"
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y"]
FORMAT_MODULE_PATH = ["arp.formats"]

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "staticfiles"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/bootstrap", xstatic.pkg.bootstrap.BASE_DIR),
]
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    "arp.staticfinders.PackageFileFinder",
]
# Single files taken from installed packages (served locally, never a CDN).
PACKAGE_STATIC_FILES = {
    "vendor/plotly/plotly.min.js": Path(plotly.__file__).parent
    / "package_data"
    / "plotly.min.js",
}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": env.str(
            "STATICFILES_BACKEND",
            default="whitenoise.storage.CompressedManifestStaticFilesStorage",
        )
    },
}
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "var" / "media")
MEDIA_URL = "/media/"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Email: console unless EMAIL_URL says otherwise (e.g. smtp+tls://user:pw@host:587).
EMAIL_CONFIG = email_config(env)
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="arp-tracker@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Sessions live in the database and are read through the cache (Redis in
# production), saving a query on every signed-in request.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://arp")}

# Celery: with no broker, tasks run inline in the calling process.
CELERY_BROKER_URL = broker_url(env)
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = env.str(
    "CELERY_RESULT_BACKEND", default=CELERY_BROKER_URL or None
)
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULE = {
    "programme-action-reminders": {
        "task": "programme.tasks.send_action_reminders",
        "schedule": crontab(hour=7, minute=30, day_of_week="mon"),
    },
    "programme-publication-queue": {
        "task": "programme.tasks.send_publication_queue_reminder",
        "schedule": crontab(hour=7, minute=35, day_of_week="mon"),
    },
    "learning-spaces-session-reminders": {
        "task": "learning_spaces.tasks.send_session_reminders",
        "schedule": crontab(hour=7, minute=0),
    },
    "learning-spaces-confidence-indicator": {
        "task": "learning_spaces.tasks.record_confidence_indicator",
        "schedule": crontab(hour=6, minute=0, day_of_month=1, month_of_year="1,4,7,10"),
    },
}

# Public feedback form: posts per window per client address per form. A whole
# workshop room may share one address, hence a generous default.
LEARNING_SPACES_FEEDBACK_RATE_LIMIT = env.int("FEEDBACK_RATE_LIMIT", default=60)
LEARNING_SPACES_FEEDBACK_RATE_WINDOW = env.int("FEEDBACK_RATE_WINDOW", default=600)
# How many reverse proxies append to X-Forwarded-For (0: use REMOTE_ADDR only).
LEARNING_SPACES_TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)

HOME_AREA_CODE = env.str("HOME_AREA_CODE", default="E10000012")
# Disclosure control: counts from 1 to DISCLOSURE_MIN_COUNT - 1 are never shown
# (6, as DfE's own files: counts of 1 to 5 are suppressed).
DISCLOSURE_MIN_COUNT = env.int("DISCLOSURE_MIN_COUNT", default=6)
# Above this share of children with no recorded ethnicity (refused or not yet
# obtained), every figure built on the table carries a caveat (percent, 0-100).
ETHNICITY_UNKNOWN_CAVEAT_PERCENT = env.float(
    "ETHNICITY_UNKNOWN_CAVEAT_PERCENT", default=5.0
)
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

# Security: strict in production, relaxed only under DEBUG.
SESSION_COOKIE_SECURE = not DEBUG and not TESTING
CSRF_COOKIE_SECURE = not DEBUG and not TESTING
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG and not TESTING)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 8 * 60 * 60

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
