from django.urls import path

from resources import views
from resources.feeds import LibraryFeed

urlpatterns = [
    path("library/", views.library, name="library"),
    path("library/feed/", LibraryFeed(), name="library_feed"),
    path("library/submit/", views.resource_submit, name="resource_submit"),
    path("library/mine/", views.my_submissions, name="my_submissions"),
    path("library/collections/", views.collection_list, name="collection_list"),
    path("library/collections/new/", views.collection_edit, name="collection_create"),
    path("library/collections/<slug:slug>/", views.collection_detail, name="collection_detail"),
    path("library/collections/<slug:slug>/edit/", views.collection_edit, name="collection_edit"),
    path(
        "library/collections/<slug:slug>/candidates/",
        views.collection_candidates,
        name="collection_candidates",
    ),
    path("library/collections/<slug:slug>/items/", views.collection_item, name="collection_item"),
    path("library/collections/<slug:slug>/move/", views.collection_move, name="collection_move"),
    path("library/<id:resource_id>/", views.resource_detail, name="resource_detail"),
    path("library/<id:resource_id>/edit/", views.resource_edit, name="resource_edit"),
    path("library/<id:resource_id>/decide/", views.resource_decide, name="resource_decide"),
    path(
        "library/<id:resource_id>/files/<id:file_id>/",
        views.resource_file,
        name="resource_file",
    ),
    path(
        "library/<id:resource_id>/files/<id:file_id>/remove/",
        views.file_remove,
        name="file_remove",
    ),
    path("library/<id:resource_id>/<str:action>/", views.resource_curate, name="resource_curate"),
    path("c/<slug:slug>/library/", views.library, name="community_library"),
    path("c/<slug:slug>/review/", views.review_queue, name="review_queue"),
    path("search/", views.search_page, name="search"),
]
