"""Settings for the ARP tracker, read from the environment.

See README.md ("Configuration") for every variable. Defaults let anyone try the
app with no server: SQLite under var/, tasks run inline, email to the console.
"""

from datetime import timedelta
from pathlib import Path

import environ
import plotly
import xstatic.pkg.bootstrap
from celery.schedules import crontab
from csp.constants import NONCE, NONE, SELF

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
    "axes",
    "csp",
    "arp",
    "programme",
    "learning_spaces",
    "disproportionality",
    "workforce",
]

MIDDLEWARE = [
    "arp.middleware.RequestBodyLimitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "arp.middleware.SessionTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "arp.middleware.SecurityHeadersMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # last, as django-axes asks: it turns a lockout into the lockout page
    "axes.middleware.AxesMiddleware",
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
    {"NAME": f"{_VALIDATORS}.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": f"{_VALIDATORS}.CommonPasswordValidator"},
    {"NAME": f"{_VALIDATORS}.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_URL_PATH = "/accounts/login/"
AUTHENTICATION_BACKENDS = [
    # django-axes first: it refuses a locked-out username and address.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Sign-in lockout: 10 wrong passwords for a username from one address lock
# that pair for 15 minutes, on /accounts/login/ and /admin/login/.
AXES_FAILURE_LIMIT = env.int("SIGNIN_FAILURE_LIMIT", default=10)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("SIGNIN_LOCKOUT_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "arp.clients.client_address"
AXES_LOCKOUT_TEMPLATE = "registration/lockout.html"
AXES_VERBOSE = False  # arp.accounts logs each failure itself, without passwords
# Password-reset requests per hour (django-axes does not cover them).
PASSWORD_RESET_LIMIT_PER_ADDRESS = env.int("PASSWORD_RESET_PER_ADDRESS", default=10)
PASSWORD_RESET_LIMIT_PER_ACCOUNT = env.int("PASSWORD_RESET_PER_ACCOUNT", default=3)
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
# Any request body larger than this gets 413 before it is read (uploads are
# at most 20 MB; the proxy's client_max_body_size should match).
MAX_REQUEST_BODY_BYTES = env.int("MAX_REQUEST_BODY_BYTES", default=25 * 1024 * 1024)
# Evidence archives (.docx, .xlsx, .odt ... are zip files): refused when they
# would unpack past these limits, or name a path outside themselves.
EVIDENCE_MAX_UNCOMPRESSED_BYTES = env.int(
    "EVIDENCE_MAX_UNCOMPRESSED_BYTES", default=100 * 1024 * 1024
)
EVIDENCE_MAX_ARCHIVE_MEMBERS = env.int("EVIDENCE_MAX_ARCHIVE_MEMBERS", default=1000)

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Email: console unless EMAIL_URL says otherwise (e.g. smtp+tls://user:pw@host:587).
EMAIL_CONFIG = email_config(env)
vars().update(EMAIL_CONFIG)
# A silent SMTP server must not hang a worker: give up after this many seconds.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=20)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="arp-tracker@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Sessions live in the database and are read through the cache (Redis in
# production), saving a query on every signed-in request.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://arp")}
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    # Falls back to local memory when Redis is down (arp/cache.py).
    CACHES["default"]["BACKEND"] = "arp.cache.ResilientRedisCache"

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
# Jobs finish or fail: a task past the soft limit gets an exception it can
# clean up after; past the hard limit its worker process is killed. Queueing
# gives up in seconds when the broker is down (arp.celery.enqueue records
# the job to re-send instead of failing the request).
CELERY_TASK_SOFT_TIME_LIMIT = env.int("TASK_SOFT_TIME_LIMIT", default=300)
CELERY_TASK_TIME_LIMIT = env.int("TASK_TIME_LIMIT", default=360)
CELERY_TASK_PUBLISH_RETRY = False
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 2, "socket_timeout": 5}
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# An import still running (or waiting) this long after upload is marked
# failed by the reaper, so it can be uploaded again.
IMPORT_BATCH_MAX_MINUTES = env.int("IMPORT_BATCH_MAX_MINUTES", default=15)
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
    "programme-audit-indicator": {
        "task": "programme.tasks.record_audit_indicator",
        "schedule": crontab(
            hour=6, minute=10, day_of_month=1, month_of_year="1,4,7,10"
        ),
    },
    "learning-spaces-self-evaluation-indicators": {
        "task": "learning_spaces.tasks.record_self_evaluation_indicators",
        "schedule": crontab(
            hour=6, minute=20, day_of_month=1, month_of_year="1,4,7,10"
        ),
    },
    "learning-spaces-self-evaluation-reminders": {
        "task": "learning_spaces.tasks.send_self_evaluation_reminders",
        "schedule": crontab(hour=8, minute=0, day_of_month=1),
    },
    "learning-spaces-resend-feedback-links": {
        "task": "learning_spaces.tasks.resend_feedback_links",
        "schedule": crontab(minute="*/10"),
    },
    "disproportionality-reap-import-batches": {
        "task": "disproportionality.tasks.reap_import_batches",
        "schedule": crontab(minute="*/5"),
    },
    "learning-spaces-purge-feedback-text": {
        "task": "learning_spaces.tasks.purge_feedback_text",
        "schedule": crontab(hour=2, minute=15),
    },
    "learning-spaces-confidence-indicator": {
        "task": "learning_spaces.tasks.record_confidence_indicator",
        "schedule": crontab(hour=6, minute=0, day_of_month=1, month_of_year="1,4,7,10"),
    },
    "workforce-report-reminders": {
        "task": "workforce.tasks.send_report_reminders",
        "schedule": crontab(hour=7, minute=15, day_of_week="mon-fri"),
    },
    "workforce-purge-closed-reports": {
        "task": "workforce.tasks.purge_closed_reports",
        "schedule": crontab(hour=2, minute=30),
    },
}

# Public feedback form: posts per window per client network per form. A whole
# workshop room (200 people and their retries) may share one address.
LEARNING_SPACES_FEEDBACK_RATE_LIMIT = env.int("FEEDBACK_RATE_LIMIT", default=1000)
LEARNING_SPACES_FEEDBACK_RATE_WINDOW = env.int("FEEDBACK_RATE_WINDOW", default=600)
# How many reverse proxies append to X-Forwarded-For (0: use REMOTE_ADDR only).
LEARNING_SPACES_TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
# Addresses (CIDR) the nearest proxy connects from; X-Forwarded-For from
# anyone else is ignored. See README "Behind the council's reverse proxy".
LEARNING_SPACES_TRUSTED_PROXIES = env.list(
    "TRUSTED_PROXIES", default=["127.0.0.1/32", "::1/128"]
)
# Days the original words of a feedback answer are kept; then a daily task
# deletes them, keeping only ratings, themes and any approved redacted quote.
LEARNING_SPACES_TEXT_RETENTION_DAYS = env.int(
    "FEEDBACK_TEXT_RETENTION_DAYS", default=90
)

# Staff experience (workforce app): reports of racism and SC-WRES figures.
WORKFORCE_ACKNOWLEDGE_WORKING_DAYS = env.int("WORKFORCE_ACKNOWLEDGE_DAYS", default=5)
WORKFORCE_REPORT_RETENTION_DAYS = env.int("WORKFORCE_RETENTION_DAYS", default=365)
WORKFORCE_MIN_COUNT = env.int("WORKFORCE_MIN_COUNT", default=10)
WORKFORCE_ESCALATION_PATH = env.list(
    "WORKFORCE_ESCALATION_PATH",
    default=["HR grievance", "Senior manager", "Police (hate crime)"],
)
# Figures about children (audit results): groups smaller than this are not
# shown, and a second group is hidden when one alone could be worked out.
DISCLOSURE_MIN_COUNT = env.int("DISCLOSURE_MIN_COUNT", default=6)
# Key for the audit reference (a keyed hash of the case id); empty uses
# SECRET_KEY. Changing it stops re-audits linking to earlier audits.
AUDIT_REFERENCE_KEY = env.str("AUDIT_REFERENCE_KEY", default="")
# Leaders' self-evaluation: aggregates only when at least this many answered.
SELF_EVALUATION_MIN_RESPONDENTS = env.int("SELF_EVALUATION_MIN_RESPONDENTS", default=5)

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
# Signed out after 30 minutes without a request, and 8 hours after signing
# in whatever happens (arp.middleware.SessionTimeoutMiddleware).
SESSION_IDLE_TIMEOUT = env.int("SESSION_IDLE_MINUTES", default=30) * 60
SESSION_ABSOLUTE_TIMEOUT = SESSION_COOKIE_AGE
# Content-Security-Policy (django-csp): scripts only from this site or with
# the page's nonce (plotly is served locally); no frames, plugins or
# foreign forms. Plotly sets inline styles, hence style-src 'unsafe-inline'.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, "'unsafe-inline'"],
        "img-src": [SELF, "data:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}
    },
    "filters": {
        # No log line may tie an anonymous answer to a time or a device.
        "drop_feedback": {"()": "arp.anonymous_logging.DropFeedbackRequests"}
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["drop_feedback"],
        }
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
