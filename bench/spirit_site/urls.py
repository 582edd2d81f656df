import spirit.urls
from django.http import HttpResponse
from django.urls import include, path


def bare(request):
    """The baseline: a Django view doing nothing, behind spirit's middleware and the same server
    (as bench/urls.py is for the project)."""
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/bare/", bare), path("", include(spirit.urls))]
