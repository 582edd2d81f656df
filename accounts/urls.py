from django.urls import path

from accounts import views

urlpatterns = [
    path("avatars/<str:name>", views.avatar_photo, name="avatar_photo"),
    path("members/", views.member_list, name="member_list"),
    path("members/<str:username>/", views.member_detail, name="member_detail"),
    path("experts/", views.expert_list, name="expert_list"),
    path("profile/", views.profile_edit, name="profile_edit"),
    path("theme/", views.theme_set, name="theme_set"),
    path("profile/privacy/", views.privacy_edit, name="privacy_edit"),
    path("profile/data/", views.my_data, name="my_data"),
    path("profile/data/<str:token>/", views.my_data_download, name="my_data_download"),
    path("profile/delete/", views.account_delete, name="account_delete"),
    path("notifications/", views.notification_list, name="notification_list"),
    path("notifications/read/", views.notification_read, name="notification_read_all"),
    path(
        "notifications/<id:notification_id>/read/",
        views.notification_read,
        name="notification_read",
    ),
    path(
        "notifications/<id:notification_id>/",
        views.notification_open,
        name="notification_open",
    ),
]
