from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectConfig(AppConfig):
    """The top of the stack: settings, URLs, ASGI, the pages that show every app at once (home,
    community page), health, and the commands that start the server or load demo content."""

    name = "project"
    verbose_name = _("Platform")
