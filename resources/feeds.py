"""Atom feed of the library: newly published resources, all or of one community or kind
(``?community=<slug>&kind=<kind>``). Published resources only: they are public."""

from __future__ import annotations

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from core import markup
from core.models import Community
from core.site import site_name
from resources.models import Resource

ITEMS = 30


class LibraryFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request):
        community = None
        slug = request.GET.get("community", "")
        kind = request.GET.get("kind", "")
        if slug:
            community = Community.objects.filter(slug=slug).first()
            if community is None:
                raise Http404("community")
        if kind and kind not in Resource.Kind.values:
            raise Http404("kind")
        return {"community": community, "kind": kind}

    def title(self, obj):
        parts = [_("New in the library")]
        if obj["community"]:
            parts.append(obj["community"].name)
        if obj["kind"]:
            parts.append(str(Resource.Kind(obj["kind"]).label))
        return " · ".join([*parts, site_name()])

    def link(self, obj):
        from django.urls import reverse

        if obj["community"]:
            return reverse("community_library", kwargs={"slug": obj["community"].slug})
        return reverse("library")

    def items(self, obj):
        resources = Resource.objects.filter(status=Resource.Status.PUBLISHED)
        if obj["community"]:
            resources = resources.filter(communities=obj["community"])
        if obj["kind"]:
            resources = resources.filter(kind=obj["kind"])
        return resources.order_by("-published_at", "-id")[:ITEMS]

    def item_title(self, resource):
        return resource.title

    def item_description(self, resource):
        return markup.render(resource.summary) if resource.summary else ""

    def item_link(self, resource):
        return resource.get_absolute_url()

    def item_pubdate(self, resource):
        return resource.published_at or resource.created

    def item_categories(self, resource):
        return [str(resource.get_kind_display())]
