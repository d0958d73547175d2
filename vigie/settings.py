"""Vigie's settings: the only module that reads the environment.

Every variable is documented in the README ("Configuration"). On the embedded default (no
VIGIE_ENV=production) the secret key and the encryption key are generated once and kept in
VIGIE_DATA_DIR; in production they must be given, and a missing one stops the start-up with a clear
message.
"""

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent
ENV = os.environ.get("VIGIE_ENV", "development")
PRODUCTION = ENV == "production"
DATA_DIR = Path(os.environ.get("VIGIE_DATA_DIR", "var")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _kept_secret(variable: str, filename: str, generate) -> str:
    """The secret from the environment, or (outside production) one generated once in DATA_DIR."""
    value = os.environ.get(variable)
    if value:
        return value
    if PRODUCTION:
        raise ImproperlyConfigured(f"{variable} est obligatoire quand VIGIE_ENV=production.")
    path = DATA_DIR / filename
    if not path.exists():
        path.write_text(generate())
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _kept_secret("VIGIE_SECRET_KEY", "secret_key", lambda: secrets.token_urlsafe(50))
ENCRYPTION_KEY = _kept_secret("VIGIE_ENCRYPTION_KEY", "encryption_key", lambda: Fernet.generate_key().decode())
DEBUG = os.environ.get("VIGIE_DEBUG", "") == "1"
ALLOWED_HOSTS = [h for h in os.environ.get("VIGIE_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]
if not PRODUCTION:
    ALLOWED_HOSTS += ["testserver"]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("VIGIE_CSRF_TRUSTED_ORIGINS", "").split(",") if o]
# How many proxies in front of Vigie append the caller's address to X-Forwarded-For (0: REMOTE_ADDR).
PROXY_COUNT = int(os.environ.get("VIGIE_PROXY_COUNT", "0"))

# Platforms: a webhook is enabled only when its secret is set.
FACEBOOK_APP_SECRET = os.environ.get("VIGIE_FACEBOOK_APP_SECRET", "")
FACEBOOK_VERIFY_TOKEN = os.environ.get("VIGIE_FACEBOOK_VERIFY_TOKEN", "")
LINKEDIN_CLIENT_SECRET = os.environ.get("VIGIE_LINKEDIN_CLIENT_SECRET", "")
# Where the platforms' APIs answer (the demo and the tests point them at local fake platforms).
FACEBOOK_GRAPH_URL = os.environ.get("VIGIE_FACEBOOK_GRAPH_URL", "https://graph.facebook.com/v21.0")
# Facebook Login, to connect a Page from the « Canaux » page (the app's id; its secret is FACEBOOK_APP_SECRET).
FACEBOOK_APP_ID = os.environ.get("VIGIE_FACEBOOK_APP_ID", "")
FACEBOOK_DIALOG_URL = os.environ.get("VIGIE_FACEBOOK_DIALOG_URL", "https://www.facebook.com/v21.0/dialog/oauth")
LINKEDIN_API_URL = os.environ.get("VIGIE_LINKEDIN_API_URL", "https://api.linkedin.com/rest")
# LinkedIn's authorisation flow (the app's client id; its secret is LINKEDIN_CLIENT_SECRET).
LINKEDIN_CLIENT_ID = os.environ.get("VIGIE_LINKEDIN_CLIENT_ID", "")
LINKEDIN_OAUTH_URL = os.environ.get("VIGIE_LINKEDIN_OAUTH_URL", "https://www.linkedin.com/oauth/v2")
YOUTUBE_API_URL = os.environ.get("VIGIE_YOUTUBE_API_URL", "https://www.googleapis.com/youtube/v3")
# Freshdesk: the API is https://<domain>.freshdesk.com/api/v2 unless this overrides it (the local fake).
FRESHDESK_API_URL = os.environ.get("VIGIE_FRESHDESK_API_URL", "")
YOUTUBE_DAILY_QUOTA = int(os.environ.get("VIGIE_YOUTUBE_DAILY_QUOTA", "10000"))
# The monday.com planning board: GraphQL API address; the app's Signing Secret checks its webhooks
# (unset: /webhooks/monday answers 404).
MONDAY_API_URL = os.environ.get("VIGIE_MONDAY_API_URL", "https://api.monday.com/v2")
MONDAY_SIGNING_SECRET = os.environ.get("VIGIE_MONDAY_SIGNING_SECRET", "")
# Google's OAuth client for YouTube: the authorisation flow, and refreshing the one-hour access tokens.
GOOGLE_CLIENT_ID = os.environ.get("VIGIE_GOOGLE_CLIENT_ID", "")
GOOGLE_CLIENT_SECRET = os.environ.get("VIGIE_GOOGLE_CLIENT_SECRET", "")
GOOGLE_AUTH_URL = os.environ.get("VIGIE_GOOGLE_AUTH_URL", "https://accounts.google.com/o/oauth2/v2/auth")
GOOGLE_TOKEN_URL = os.environ.get("VIGIE_GOOGLE_TOKEN_URL", "https://oauth2.googleapis.com/token")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "huey.contrib.djhuey",
    "axes",
    "vigie.accounts",
    "vigie.audit",
    "vigie.ingestion",
    "vigie.connectors",
    "vigie.inbox",
    "vigie.moderation",
    "vigie.triage",
    "vigie.policy",
    "vigie.replies",
    "vigie.notifications",
    "vigie.helpdesk",
    "vigie.procedure",
    "vigie.records",
    "vigie.sla",
    "vigie.rounds",
    "vigie.crisis",
    "vigie.indicators",
    "vigie.pipeline",  # above the apps it drives (docs/architecture.md, « Layers »)
    "vigie.api",
    "vigie.demo",
    "vigie.ops",
    "vigie.planning",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",  # last: turns a locked-out login into the lockout page
]

ROOT_URLCONF = "vigie.urls"
WSGI_APPLICATION = "vigie.wsgi.application"

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
                "vigie.accounts.context.roles",
                "vigie.crisis.context.active_crises",
                "vigie.inbox.context.awaiting_approval",
            ],
            # `web_url`: the only way an external address becomes a link; `pluriel`: French plurals
            "builtins": ["vigie.lib.links", "vigie.lib.plural"],
        },
    },
]

# Database: SQLite (WAL) in DATA_DIR by default; VIGIE_DATABASE_URL overrides it (PostgreSQL).
DATABASE_URL = os.environ.get("VIGIE_DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "vigie.sqlite3",
            "CONN_MAX_AGE": 60,  # as on PostgreSQL: a connection (and its PRAGMAs) per thread, not per request
            "CONN_HEALTH_CHECKS": True,
            "OPTIONS": {
                "timeout": 30,
                "transaction_mode": "IMMEDIATE",
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=30000;",
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# On SQLite, webhook deliveries are written to a file of their own first (vigie/ingestion/journal.py).
DELIVERY_JOURNAL = DATA_DIR / "deliveries.sqlite3"

# Background work: huey, on SQLite in DATA_DIR by default, on Redis when VIGIE_REDIS_URL is set.
REDIS_URL = os.environ.get("VIGIE_REDIS_URL", "")
HUEY_IMMEDIATE = os.environ.get("VIGIE_HUEY_IMMEDIATE", "") == "1"
if REDIS_URL:
    HUEY = {"huey_class": "huey.RedisHuey", "name": "vigie", "url": REDIS_URL, "immediate": HUEY_IMMEDIATE}
else:
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": "vigie",
        "filename": str(DATA_DIR / "queue.sqlite3"),
        "immediate": HUEY_IMMEDIATE,
    }
HUEY["consumer"] = {
    "workers": int(os.environ.get("VIGIE_WORKERS", "2")),
    "worker_type": os.environ.get("VIGIE_WORKER_TYPE", "thread"),  # "process" uses every core (PostgreSQL)
}
# Cache (rate limits): shared on Redis in production, per process otherwise.
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses a locked account or address
    "django.contrib.auth.backends.ModelBackend",
]
# Login throttling (django-axes): 10 failures lock the account, and separately the address, 15 minutes.
AXES_FAILURE_LIMIT = 10
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "vigie.accounts.throttling.locked_out_response"
AXES_CLIENT_IP_CALLABLE = "vigie.lib.ratelimit.client_address"
AXES_VERBOSE = False
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"  # the direction lands on « Indicateurs », the others on the inbox
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "fr"
# the interface is French whatever the browser asks (dates, Django's own messages)
LANGUAGES = [("fr", "Français")]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True
# typed links without a scheme are taken as https (Django 6 default)
FORMS_URLFIELD_ASSUME_HTTPS = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
WHITENOISE_USE_FINDERS = True

# E-mail through Django's mail layer: SMTP when VIGIE_EMAIL_HOST is set, otherwise the console.
EMAIL_HOST = os.environ.get("VIGIE_EMAIL_HOST", "")
EMAIL_PORT = int(os.environ.get("VIGIE_EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("VIGIE_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("VIGIE_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("VIGIE_EMAIL_USE_TLS", "1") == "1"
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST else "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = os.environ.get("VIGIE_EMAIL_FROM", "vigie@localhost")
# The centre's website, inserted as {lien_site} in the replies.
CENTRE_SITE_URL = os.environ.get("VIGIE_CENTRE_SITE_URL", "https://www.ahtma-formation.fr")
# Where people reach Vigie: links in e-mails sent by the worker (no request to read the host from).
VIGIE_BASE_URL = os.environ.get("VIGIE_BASE_URL", "http://127.0.0.1:8000")

# Behind the production HTTPS proxy (which sets X-Forwarded-Proto).
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = os.environ.get("VIGIE_SSL_REDIRECT", "1") == "1"
    SECURE_HSTS_SECONDS = int(os.environ.get("VIGIE_HSTS_SECONDS", "31536000"))
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (django-csp): scripts only from Vigie's own files, never inline nor eval'd.
# Inline styles stay allowed: htmx adds its indicator style, Swagger UI its page style.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["vigie.api.authentication.BearerTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["vigie.api.permissions.CanReadInbox"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "API Vigie",
    "DESCRIPTION": "Lecture des messages et des fils de la boîte de réception (lecture seule, v1).",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # every operation's error answers (400, 401, 403, 404) and their bodies: vigie/api/schema.py
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums", "vigie.api.schema.document_errors"],
}

# How long a raw event may stay pending before the sweeper queues it again.
INGESTION_REQUEUE_AFTER_SECONDS = int(os.environ.get("VIGIE_REQUEUE_AFTER_SECONDS", "60"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("VIGIE_LOG_LEVEL", "INFO")},
    # huey's consumer adds a handler of its own (at INFO) to a "huey" logger that has none: with it, every
    # task was logged twice, once a second; this one handler keeps huey to its warnings, written once
    "loggers": {"huey": {"handlers": ["console"], "level": "WARNING", "propagate": False}},
}
