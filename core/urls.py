from django.urls import path

from core import views

urlpatterns = [
    path("c/<slug:slug>/join/", views.community_join, name="community_join"),
    path("c/<slug:slug>/leave/", views.community_leave, name="community_leave"),
    path("c/<slug:slug>/audit/", views.audit_log, name="audit_log"),
    path("c/<slug:slug>/moderation/", views.moderation_dashboard, name="moderation_dashboard"),
    path("moderation/", views.moderation_overview, name="moderation_overview"),
]
