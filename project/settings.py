"""The one settings module, driven by the environment (see .env.example).

With nothing set, the project runs on the embedded default: SQLite under var/, the in-memory
channel layer, a local-memory cache, e-mail printed to the console, uploads under var/media/.
With DATABASE_URL / REDIS_URL / SECRET_KEY / ... set, the same module configures production.
"""

import os
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
# A developer may keep their variables in .env; production passes real environment variables.
# ENV_FILE names another file ("" for none: the tests that start manage.py with an exact
# environment use that, so a developer's .env cannot leak into them).
ENV_FILE = os.environ.get("ENV_FILE", str(BASE_DIR / ".env"))
if ENV_FILE:
    environ.Env.read_env(ENV_FILE, overwrite=False)

DEBUG = env.bool("DEBUG", default=True)


class MissingSetting(ImproperlyConfigured):
    """A production setting without a default was not provided; manage.py prints it as one line."""


def _required_in_production(name: str, hint: str) -> str:
    # Blank counts as unset: "SECRET_KEY= " in an .env file must not become the key.
    value = _given(name)
    if not value:
        raise MissingSetting(f"{name} must be set when DEBUG is off: {hint}")
    return value


def _given(name: str) -> str:
    """The variable's value, "" when unset. "NAME=" (a copied .env.example, docker-compose's
    ${NAME:-}) means "not given" too, so the caller's default applies, not an empty value."""
    return env.str(name, default="").strip()


def _names(name: str, default: list[str]) -> list[str]:
    """A comma-separated list without blank entries ("a, ,b" is ["a", "b"]); none: ``default``."""
    return [item.strip() for item in env.list(name, default=[]) if item.strip()] or default


if DEBUG:
    SECRET_KEY = _given("SECRET_KEY") or "insecure-development-key-never-use-in-production"
    ALLOWED_HOSTS = _names("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
else:
    SECRET_KEY = _required_in_production(
        "SECRET_KEY",
        'generate one with python -c "import secrets; print(secrets.token_urlsafe(50))"',
    )
    ALLOWED_HOSTS = _names("ALLOWED_HOSTS", default=[])
    if not ALLOWED_HOSTS:
        raise MissingSetting(
            "ALLOWED_HOSTS must be set when DEBUG is off: e.g. ALLOWED_HOSTS=cop.example.org"
        )

CSRF_TRUSTED_ORIGINS = _names("CSRF_TRUSTED_ORIGINS", default=[])
# The site's own address, used in links that leave the site (e-mails, quotes) and as the origin
# websockets and the Content Security Policy trust. In production it defaults to https on the
# first allowed host.
SITE_URL = (
    _given("SITE_URL")
    or (
        f"https://{ALLOWED_HOSTS[0].lstrip('.')}"
        if not DEBUG and "*" not in ALLOWED_HOSTS[0]
        else ""
    )
    or "http://127.0.0.1:8000"
).rstrip("/")

INSTALLED_APPS = [
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "channels",
    "django_htmx",
    "csp",
    "django.forms",
    "django_countries",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "allauth.socialaccount.providers.saml",
    "django_tasks",
    "django_tasks_db",
    # The stack, bottom to top (docs/architecture.md; an import-linter contract enforces it).
    "core",
    "accounts",
    "search",
    "mail",
    "resources",
    "forums",
    "events",
    "project",
]

# Background tasks: rows in the database, run by ``manage.py worker`` (core/worker.py).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

MIDDLEWARE = [
    "core.middleware.RequestIdMiddleware",
    "core.middleware.RequestMetricsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "accounts.middleware.SignInThrottleMiddleware",
    "accounts.middleware.TimezoneMiddleware",
]

ROOT_URLCONF = "project.urls"
ASGI_APPLICATION = "project.asgi.application"
WSGI_APPLICATION = None

TEMPLATES = [
    {
        "BACKEND": "core.templating.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.site",
                "accounts.context_processors.inbox",
                "accounts.context_processors.theme",
                "core.context_processors.drafts",
                "core.context_processors.moderation",
            ],
        },
    },
]

# Every form field as the design system lays it out (label, error, control, help below).
FORM_RENDERER = "core.forms.FormRenderer"

# --- Data -------------------------------------------------------------------------------------

DATABASES = {
    "default": env.db_url_config(
        _given("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'db.sqlite3'}", engine=None
    ),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Tests use a file, not memory, so that a daphne subprocess can share the test database.
    # SQLITE_TEST_DB lets several test runs share a checkout without sharing a database.
    DATABASES["default"]["TEST"] = {
        "NAME": str(VAR_DIR / env.str("SQLITE_TEST_DB", default="test-db.sqlite3"))
    }
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update(
        {
            # WAL lets readers proceed while one writer commits; IMMEDIATE takes the write lock
            # when a transaction starts, so concurrent writers queue instead of failing mid-way.
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    )
else:
    # Under ASGI each request runs in a thread of its own, so persistent connections
    # (CONN_MAX_AGE) would stay open in threads that are gone until PostgreSQL refuses new
    # clients. Django's own psycopg pool shares a few connections among them instead.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": 1,
        "max_size": env.int("DB_POOL_SIZE", default=10),
        "timeout": 10,
    }
    # Server-side parameters: psycopg then prepares a statement the fifth time a connection
    # runs it, and PostgreSQL stops planning the same few page queries over and over (their
    # planning took longer than their execution; docs/benchmarks.md). Not for a pooler in
    # transaction mode (PgBouncer), which the deployment does not use.
    DATABASES["default"]["OPTIONS"].setdefault(
        "server_side_binding", env.bool("DB_SERVER_SIDE_BINDING", default=True)
    )
    # Search counts and ranks over bitmaps of up to a million entries: with PostgreSQL's 4 MB
    # default they turn lossy, and every row of a lossy page is checked again (3x slower).
    DATABASES["default"]["OPTIONS"].setdefault(
        "options", f"-c work_mem={env.str('DB_WORK_MEM', default='16MB')}"
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

REDIS_URL = env.str("REDIS_URL", default="")
# A prefix keeps several deployments (or test runs) apart on one Redis server.
REDIS_PREFIX = env.str("REDIS_PREFIX", default="cop")

if REDIS_URL:
    # The pub/sub flavour of channels-redis: a group_send is one PUBLISH, fanned out to the
    # room's connections inside each daphne process, instead of one Redis entry per
    # connection. Delivery is at most once, which the realtime design already assumes (the
    # layer is a doorbell; clients catch up from the database with "sync").
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            "CONFIG": {"hosts": [REDIS_URL], "prefix": f"{REDIS_PREFIX}:asgi"},
        }
    }
    CACHES = {
        "default": {
            # Fails open (core/cache.py): Redis away means uncached pages, not errors.
            "BACKEND": "core.cache.FailOpenRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": f"{REDIS_PREFIX}:cache",
            # A Redis that hangs costs a request at most this long, then counts as away.
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Accounts ---------------------------------------------------------------------------------

AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"

ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email", "username"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "username*", "password1*", "password2*"]
ACCOUNT_UNIQUE_EMAIL = True
# Verification is always asked for; it is mandatory (no login before it) when DEBUG is off.
ACCOUNT_EMAIL_VERIFICATION = _given("ACCOUNT_EMAIL_VERIFICATION") or (
    "optional" if DEBUG else "mandatory"
)
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_REDIRECT_URL = "home"
ACCOUNT_USER_DISPLAY = "accounts.models.user_display"
# Rate limits are on (allauth's defaults plus a stricter signup limit); they count in the cache,
# which is Redis in production so that all daphne processes share the counters. Wrong passwords
# are throttled by accounts/throttle.py (per account and address, with backoff), not by
# allauth's per-account lock, which anyone could turn against a colleague; "login_failed" here
# still limits attempts at second-factor codes.
ACCOUNT_RATE_LIMITS = {
    "signup": "20/m/ip",
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "reset_password": "20/m/ip,5/m/key",
    "confirm_email": "1/3m/key",
}
# Behind a reverse proxy, allauth must know how many proxies append to X-Forwarded-For to rate
# limit by the real client address (see README, "Production").
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
if not DEBUG:
    # Links allauth builds without a request (and the SSO callback's scheme behind a proxy).
    ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = env.str("MFA_TOTP_ISSUER", default="Community of Practice")

# --- Single sign-on (README, "Single sign-on") ---------------------------------------------


def _sso_config(entries) -> tuple[dict, list[str]]:
    """allauth's SOCIALACCOUNT_PROVIDERS for ``entries``, and the origins the browser is sent
    to when signing in (the Content Security Policy's form-action must allow them)."""
    from urllib.parse import urlsplit

    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise ImproperlyConfigured("SSO_PROVIDERS must be a JSON list of objects")
    oidc, saml, origins = [], [], []
    seen: set[tuple[str, str]] = set()
    for entry in entries:
        kind = entry.get("type", "oidc")
        provider_id, name = entry.get("id", ""), entry.get("name", "")
        if not provider_id or not name:
            raise ImproperlyConfigured("SSO_PROVIDERS: every provider needs an id and a name")
        # allauth finds a provider again (e.g. between the callback and the sign-up form) by
        # its id, and an OIDC one also by its client id: both must be unique.
        for key in (
            ("id", provider_id),
            (f"{kind} client_id", entry.get("client_id", provider_id)),
        ):
            if key in seen:
                raise ImproperlyConfigured(
                    f"SSO_PROVIDERS: two providers share the {key[0]} {key[1]!r}"
                )
            seen.add(key)
        if kind == "oidc":
            for key in ("server_url", "client_id", "secret"):
                if not entry.get(key):
                    raise ImproperlyConfigured(f"SSO_PROVIDERS: {provider_id} needs {key}")
            oidc.append(
                {
                    "provider_id": provider_id,
                    "name": name,
                    "client_id": entry["client_id"],
                    "secret": entry["secret"],
                    "settings": {
                        "server_url": entry["server_url"],
                        **({"scope": entry["scope"]} if entry.get("scope") else {}),
                        # Sign in to an existing account with the same address only when the
                        # provider says it verified it (allauth checks email_verified).
                        "email_authentication": entry.get("link_verified_email", True),
                    },
                }
            )
            address = entry["server_url"]
        elif kind == "saml":
            if not entry.get("idp"):
                raise ImproperlyConfigured(f"SSO_PROVIDERS: {provider_id} needs idp")
            saml.append(
                {
                    "provider_id": provider_id,
                    "name": name,
                    # allauth's SAML URLs carry this: /accounts/saml/<client_id>/login/.
                    "client_id": provider_id,
                    "settings": {
                        key: entry[key]
                        for key in ("idp", "sp", "advanced", "attribute_mapping")
                        if key in entry
                    }
                    | {"email_authentication": entry.get("link_verified_email", True)},
                }
            )
            address = entry["idp"].get("sso_url") or entry["idp"].get("metadata_url", "")
        else:
            raise ImproperlyConfigured(f"SSO_PROVIDERS: unknown type {kind!r} (oidc or saml)")
        for url in [address, *entry.get("form_action", [])]:
            parts = urlsplit(url)
            if parts.scheme and parts.netloc:
                origins.append(f"{parts.scheme}://{parts.netloc}")
    providers = {
        "openid_connect": {"APPS": oidc, "OAUTH_PKCE_ENABLED": True},
        "saml": {"APPS": saml},
    }
    return providers, sorted(set(origins))


def _sso_entries(raw: str) -> list:
    import json

    try:
        return json.loads(raw) if raw else []
    except ValueError as error:
        raise ImproperlyConfigured(f"SSO_PROVIDERS is not valid JSON: {error}") from None


# SSO_PROVIDERS: a JSON list, one object per institution, e.g.
# [{"id": "gov", "name": "Government ID", "server_url": "https://id.example.gov/realms/civil",
#   "client_id": "cop", "secret": "…"}]  (OpenID Connect; "type": "saml" for SAML 2.0).
# The apps live in settings, not in the database: no admin step and no code change per
# institution.
SOCIALACCOUNT_PROVIDERS, SSO_ORIGINS = _sso_config(_sso_entries(_given("SSO_PROVIDERS")))
SOCIALACCOUNT_ADAPTER = "accounts.adapter.SocialAccountAdapter"
SOCIALACCOUNT_FORMS = {"signup": "accounts.sso.InstitutionSignupForm"}
# A provider's verified address signs in to the account that has it, and links the two; an
# unverified one never does (allauth only matches addresses the provider marked verified).
SOCIALACCOUNT_EMAIL_AUTHENTICATION = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = True
SOCIALACCOUNT_AUTO_SIGNUP = True
SOCIALACCOUNT_LOGIN_ON_GET = False  # a POST starts the redirect: no sign-in by a mere link
SOCIALACCOUNT_STORE_TOKENS = False  # we read who someone is, never act for them later

# --- E-mail -----------------------------------------------------------------------------------

EMAIL_CONFIG = env.email_url_config(_given("EMAIL_URL") or "consolemail://")
vars().update(EMAIL_CONFIG)
if EMAIL_CONFIG.get("EMAIL_BACKEND") == "django.core.mail.backends.console.EmailBackend":
    # The embedded default prints e-mails, framed so they stand out in make run's output.
    EMAIL_BACKEND = "mail.console.EmailBackend"
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=20)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="community@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The site's name in e-mails and feeds (empty: "Civil Service Hub", translated).
SITE_NAME = env.str("SITE_NAME", default="")
# Where mail clients may send an unsubscribe request by e-mail (List-Unsubscribe's mailto);
# empty: DEFAULT_FROM_EMAIL. The one-click https link needs nothing.
UNSUBSCRIBE_MAILTO = env.str("UNSUBSCRIBE_MAILTO", default="")
# A notification e-mail waits this long, and is not sent if its entry was read meanwhile.
NOTIFY_DELAY_SECONDS = env.int("NOTIFY_DELAY_SECONDS", default=120)
# Digests are planned at this hour (UTC), daily, and on Mondays for the weekly one.
DIGEST_HOUR = env.int("DIGEST_HOUR", default=6)
# How often saved searches set to "immediately" are checked for new results.
ALERT_EVERY_SECONDS = env.int("ALERT_EVERY_SECONDS", default=120)

# --- Internationalisation ---------------------------------------------------------------------

LANGUAGES = [("kk", _("Kazakh")), ("ru", _("Russian")), ("en", _("English"))]
LANGUAGE_CODE = env.str("DEFAULT_LANGUAGE", default="en")
if LANGUAGE_CODE not in {code for code, _name in LANGUAGES}:
    raise ImproperlyConfigured("DEFAULT_LANGUAGE must be one of kk, ru, en")
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_SAMESITE = "Lax"
# Our catalogues first; then Kazakh for allauth and django-countries, which ship none.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale" / "thirdparty"]
TIME_ZONE = env.str("TIME_ZONE", default="Asia/Almaty")
USE_I18N = True
USE_TZ = True

# --- Operations --------------------------------------------------------------------------------

# /metrics (Prometheus): with a token, scrapers send "Authorization: Bearer <token>"; without
# one it answers only when DEBUG is on (docs/operations.md).
METRICS_TOKEN = env.str("METRICS_TOKEN", default="")
# How long a web process finishes its requests after SIGTERM before it stops anyway.
SHUTDOWN_GRACE_SECONDS = env.float("SHUTDOWN_GRACE_SECONDS", default=20.0)

# --- Static files and uploads -----------------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = Path(_given("STATIC_ROOT") or VAR_DIR / "static")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(_given("MEDIA_ROOT") or VAR_DIR / "media")
# Behind nginx: a permitted download is answered with X-Accel-Redirect to this internal prefix
# and nginx sends the file from the same directory (deploy/nginx/cop.conf). Empty: the
# application sends the bytes itself.
MEDIA_ACCEL_REDIRECT = env.str("MEDIA_ACCEL_REDIRECT", default="")
# MEDIA_STORAGE=s3 stores uploads on S3-compatible storage through django-storages
# (pip install -r requirements-s3.txt; AWS_* variables as in .env.example).
MEDIA_STORAGE = env.str("MEDIA_STORAGE", default="filesystem")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
if MEDIA_STORAGE == "s3":
    bucket = env.str("AWS_STORAGE_BUCKET_NAME", default="").strip()
    if not bucket:
        raise MissingSetting("AWS_STORAGE_BUCKET_NAME must be set when MEDIA_STORAGE=s3")
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            # Empty values (docker-compose passes "" for unset ones) mean "not given": boto3
            # then uses its defaults (AWS endpoint, its own credential chain, e.g. an IAM role).
            "endpoint_url": env.str("AWS_S3_ENDPOINT_URL", default="") or None,
            "region_name": env.str("AWS_S3_REGION_NAME", default="") or None,
            "access_key": env.str("AWS_ACCESS_KEY_ID", default="") or None,
            "secret_key": env.str("AWS_SECRET_ACCESS_KEY", default="") or None,
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
elif MEDIA_STORAGE != "filesystem":
    raise ImproperlyConfigured("MEDIA_STORAGE must be 'filesystem' or 's3'")
WHITENOISE_USE_FINDERS = DEBUG
UPLOAD_MAX_BYTES = env.int("UPLOAD_MAX_BYTES", default=25 * 1024 * 1024)
# The first handler refuses a file as soon as it grows past UPLOAD_MAX_BYTES while streaming.
FILE_UPLOAD_HANDLERS = [
    "resources.uploads.LimitedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
# Uploads bigger than this spill to a temporary file instead of memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- Security ---------------------------------------------------------------------------------

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not the cookie
if not DEBUG:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    # The TLS-terminating proxy tells us the original scheme.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # /healthz is probed over plain HTTP by the container runtime.
    # Health checks and Prometheus call the process itself over plain HTTP on the inside.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^metrics$"]

WEBSOCKET_ORIGIN = SITE_URL.replace("https://", "wss://", 1).replace("http://", "ws://", 1)
# Scripts and styles come from our own origin only; no inline script or style anywhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        # The page's own origin, and the site's websocket origin (wss: for an https site);
        # never every ws:/wss: host, which would let injected script talk to anyone's server.
        "connect-src": ["'self'", WEBSOCKET_ORIGIN],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        # Signing in with an institution posts a form that redirects to its provider.
        "form-action": ["'self'", *SSO_ORIGINS],
        "frame-ancestors": ["'none'"],
    }
}

# --- Realtime ---------------------------------------------------------------------------------

CHAT_MESSAGE_MAX_CHARS = 4000
CHAT_FLOOD_MESSAGES = env.int("CHAT_FLOOD_MESSAGES", default=8)
CHAT_FLOOD_SECONDS = env.int("CHAT_FLOOD_SECONDS", default=10)
CHAT_SYNC_LIMIT = 500

# "Ask this expert": new private questions one person may open per hour (forums/services/
# questions.py); past it, the form says so and keeps the text.
QUESTIONS_PER_HOUR = env.int("QUESTIONS_PER_HOUR", default=5)
# Replies one person may send in private conversations per hour, all conversations together.
QUESTION_REPLIES_PER_HOUR = env.int("QUESTION_REPLIES_PER_HOUR", default=60)

# --- Logging ----------------------------------------------------------------------------------

# LOG_FORMAT=json in production: one JSON object per line with the request id (the proxy's
# X-Request-ID) on every line of a request, a task or a websocket connection.
LOG_FORMAT = env.str("LOG_FORMAT", default="plain")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
        "json": {"()": "core.logs.JsonFormatter"},
    },
    "filters": {
        "refusals_at_info": {"()": "core.logs.RefusalsAtInfo"},
        "request_id": {"()": "core.logs.RequestIdFilter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json" if LOG_FORMAT == "json" else "plain",
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # 400/403/404 are answers, not faults: one line at INFO (core/logs.py).
        "django.request": {"filters": ["refusals_at_info"]},
    },
}
