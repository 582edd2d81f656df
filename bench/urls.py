from django.http import HttpResponse
from django.urls import include, path


def bare(request):
    """The baseline: a Django view doing nothing, behind the same middleware and server."""
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/bare/", bare), path("", include("project.urls"))]
