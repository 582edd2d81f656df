from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

from accounts.views import language_set
from project import views, welcome
from project.api import api

# allauth answers its rate limits with ``<ROOT_URLCONF>.handler429``.
handler429 = views.too_many_requests

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("metrics", views.metrics, name="metrics"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("styleguide/", views.styleguide, name="styleguide"),
    # Before Django's own i18n URLs: the same view, which also saves a member's choice.
    path("i18n/setlang/", language_set, name="set_language"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript_catalog"),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("c/<slug:slug>/", views.community_detail, name="community_detail"),
    path("welcome/", welcome.welcome_start, name="welcome"),
    path("welcome/profile/", welcome.welcome_profile, name="welcome_profile"),
    path("welcome/communities/", welcome.welcome_communities, name="welcome_communities"),
    path("welcome/email/", welcome.welcome_notifications, name="welcome_notifications"),
    path("welcome/finish/", welcome.welcome_finish, name="welcome_finish"),
    path("", include("core.urls")),
    path("", include("accounts.urls")),
    path("", include("mail.urls")),
    path("", include("forums.urls")),
    path("", include("resources.urls")),
    path("", include("events.urls")),
    path("api/v1/", api.urls),
]

if settings.DEBUG:
    from django.views.static import serve

    # Uploads are served by the application only in development; production serves them through
    # resources' download view (permission-checked) from the configured storage.
    urlpatterns += [path("media/<path:path>", serve, {"document_root": settings.MEDIA_ROOT})]
