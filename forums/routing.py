from django.urls import path

from forums import consumers

websocket_urlpatterns = [
    path("ws/chat/<slug:community_slug>/<slug:room_slug>/", consumers.ChatConsumer.as_asgi()),
    path("ws/live/", consumers.LiveConsumer.as_asgi()),
]
