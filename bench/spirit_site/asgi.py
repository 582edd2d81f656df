"""ASGI entry point for daphne: ``daphne bench.spirit_site.asgi:application``."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.spirit_site.settings")
application = get_asgi_application()
