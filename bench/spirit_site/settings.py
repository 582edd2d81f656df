"""django-spirit as its installer sets it up: ``spirit-install`` copies spirit's project template,
whose production settings (settings/prod.py over settings/base.py) a site then imports and
adjusts. This module is that adjustment for the benchmark (bench/peer_spirit.py): the database it
is given, a local-memory cache, DEBUG off, served by daphne on 127.0.0.1.

Environment: SPIRIT_DATABASE_URL (postgres://user@host:port/name) and SECRET_KEY.
"""

import os
from pathlib import Path
from urllib.parse import unquote, urlsplit

# Spirit's own defaults: installed apps, middleware, templates, auth backends, search, languages,
# manifest static files, exactly as a freshly installed spirit site has them.
from spirit.extra.project_template.project_name.settings.prod import *  # noqa: F403

REPO_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = REPO_DIR / "var"

DEBUG = False
SECRET_KEY = os.environ["SECRET_KEY"]
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ADMINS = []
ST_SITE_URL = "http://127.0.0.1/"

ROOT_URLCONF = "bench.spirit_site.urls"
WSGI_APPLICATION = None
ASGI_APPLICATION = "bench.spirit_site.asgi.application"

_db = urlsplit(os.environ["SPIRIT_DATABASE_URL"])
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": _db.path.lstrip("/"),
        "USER": unquote(_db.username or ""),
        "PASSWORD": unquote(_db.password or ""),
        "HOST": _db.hostname or "",
        "PORT": str(_db.port or ""),
        # The same connection handling as the project under daphne (project/settings.py): a
        # small psycopg pool rather than a new connection per request, so spirit is not
        # measured paying for connection set-up the project does not pay for.
        "CONN_MAX_AGE": 0,
        "OPTIONS": {"pool": {"min_size": 1, "max_size": 10, "timeout": 10}},
    }
}

# Spirit's template uses the database cache in production and local memory in development;
# local memory is the fastest of them for one process, so it is the one spirit gets here.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "st_rate_limit": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "spirit_rl_cache",
        "TIMEOUT": None,
    },
}

# Paths the template puts next to itself (inside spirit's package) go under var/ instead.
TEMPLATES[0]["DIRS"] = []  # noqa: F405
STATIC_ROOT = str(VAR_DIR / "spirit-static")
MEDIA_ROOT = str(VAR_DIR / "spirit-media")
HAYSTACK_CONNECTIONS = {
    "default": {
        "ENGINE": "haystack.backends.whoosh_backend.WhooshEngine",
        "PATH": str(VAR_DIR / "spirit-search"),
    }
}

# Warnings and errors to the console only (the template also writes a log file and mails the
# admins).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
