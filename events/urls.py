from django.urls import path

from events import views

urlpatterns = [
    path("events/", views.event_list, name="event_list"),
    path("events/new/", views.event_create, name="event_create_hub"),
    path("events/mine/", views.my_events, name="my_events"),
    path("events/calendar/<str:token>.ics", views.personal_calendar, name="personal_calendar"),
    path("events/<id:event_id>/", views.event_detail, name="event_detail"),
    path("events/<id:event_id>/edit/", views.event_edit, name="event_edit"),
    path("events/<id:event_id>/cancel/", views.event_cancel, name="event_cancel"),
    path("events/<id:event_id>/duplicate/", views.event_duplicate, name="event_duplicate"),
    path("events/<id:event_id>/register/", views.event_register, name="event_register"),
    path("events/<id:event_id>/unregister/", views.event_unregister, name="event_unregister"),
    path("events/<id:event_id>/registrants/", views.event_registrants, name="event_registrants"),
    path("events/<id:event_id>/follow-up/", views.event_follow_up, name="event_follow_up"),
    path("events/<id:event_id>/materials/", views.event_materials, name="event_materials"),
    path("events/<id:event_id>/event.ics", views.event_ics, name="event_ics"),
    path("c/<slug:slug>/events/", views.community_events, name="community_events"),
    path("c/<slug:slug>/events/new/", views.event_create, name="event_create"),
    path("c/<slug:slug>/events.ics", views.community_calendar, name="community_calendar"),
]
