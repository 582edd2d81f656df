from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    """One index over every app's documents. Apps register their document types in their own
    ``ready()`` (search.documents.register); the index imports none of them."""

    name = "search"
    verbose_name = _("Search")
