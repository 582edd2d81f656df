from django.urls import path

from mail import views

urlpatterns = [
    path("profile/email/", views.mail_preferences, name="mail_preferences"),
    path("email/unsubscribe/<str:token>/", views.mail_unsubscribe, name="mail_unsubscribe"),
    path("searches/save/", views.saved_search_create, name="saved_search_create"),
    path("searches/<id:saved_id>/", views.saved_search_detail, name="saved_search_detail"),
    path("searches/<id:saved_id>/delete/", views.saved_search_delete, name="saved_search_delete"),
    path(
        "searches/<id:saved_id>/feed-address/",
        views.saved_search_feed_reset,
        name="saved_search_feed_reset",
    ),
    path("searches/feed/<str:token>/", views.SavedSearchFeed(), name="saved_search_feed"),
]
