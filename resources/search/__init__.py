"""Search over the library, forum threads and posts, and chat messages.

One entry point for pages and the API: :func:`search`. One module per database backend
(``postgres.py``, ``sqlite.py``) behind it, both fed by the same plain-Python normalizer
(``normalize.py``), so that the two behave alike and one test suite covers both.
"""

from resources.search.index import (
    index_message,
    index_post,
    index_resource,
    index_thread,
    reindex_all,
)
from resources.search.query import SearchParams, SearchResult, search

__all__ = [
    "SearchParams",
    "SearchResult",
    "index_message",
    "index_post",
    "index_resource",
    "index_thread",
    "reindex_all",
    "search",
]
