"""Every websocket route of the project (the apps own their consumers)."""

from forums.routing import websocket_urlpatterns as forum_routes

websocket_urlpatterns = [*forum_routes]
