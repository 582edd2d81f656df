"""Search is tested on documents the apps put in the index through their own services, as the
application does: the factories of the library and forum tests serve here too."""

import pytest

from search import thesaurus
from tests.resources.conftest import (  # noqa: F401 - fixtures, used by name
    curator,
    make_message,
    make_reply,
    make_resource,
    make_thread,
)


@pytest.fixture(autouse=True)
def _thesaurus_compiled_per_test():
    """Each test compiles the thesaurus from its own database (a concept one test added in the
    admin must not linger in the next)."""
    thesaurus._compiled = None
    yield
    thesaurus._compiled = None
