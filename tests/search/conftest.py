"""Search is tested on documents the apps put in the index through their own services, as the
application does: the factories of the library and forum tests serve here too."""

from tests.resources.conftest import (  # noqa: F401 - fixtures, used by name
    curator,
    make_message,
    make_reply,
    make_resource,
    make_thread,
)
