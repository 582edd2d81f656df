"""The JSON API (django-ninja), assembled from the apps' routers. OpenAPI at
/api/v1/openapi.json. Reads only; a malformed parameter is a 422 naming the field."""

from ninja import NinjaAPI

from accounts.api import router as members_router
from events.api import router as events_router
from resources.api import router as library_router
from search.api import router as search_router

api = NinjaAPI(
    title="Community of practice API",
    version="1",
    description=(
        "Search across the shared library, forum threads and posts, and chat messages "
        "(only what the caller may read), read the library, list the events, and the member "
        "directory (as each person's privacy choices allow)."
    ),
    docs_url=None,  # the bundled docs page loads scripts from a CDN, which our CSP forbids
    urls_namespace="api",
)
api.add_router("", search_router)
api.add_router("", library_router)
api.add_router("", events_router)
api.add_router("", members_router)
