"""Atom feeds of the forum: a community's new threads and a thread's replies. Public content
only: what a visitor may read (threads and their visible posts), never chat."""

from __future__ import annotations

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from core import permissions
from core.models import Community
from core.permissions import Action
from core.site import site_name
from forums.models import Post, Thread

ITEMS = 30


def _public(community: Community) -> bool:
    from django.contrib.auth.models import AnonymousUser

    return permissions.can(AnonymousUser(), Action.THREAD_READ, community)


class CommunityThreadsFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request, slug: str):
        community = get_object_or_404(Community, slug=slug)
        if not _public(community):
            raise Community.DoesNotExist
        return community

    def title(self, community):
        return _("New threads in %(community)s") % {"community": community.name} + (
            f" · {site_name()}"
        )

    def link(self, community):
        from django.urls import reverse

        return reverse("thread_list", kwargs={"slug": community.slug})

    def items(self, community):
        return (
            Thread.objects.filter(community=community, is_deleted=False)
            .select_related("community", "author")
            .order_by("-created", "-id")[:ITEMS]
        )

    def item_title(self, thread):
        return thread.title

    def item_description(self, thread):
        opening = Post.objects.filter(thread=thread, number=1).first()
        return opening.html if opening and opening.is_visible else ""

    def item_link(self, thread):
        return thread.get_absolute_url()

    def item_pubdate(self, thread):
        return thread.created

    def item_author_name(self, thread):
        return thread.author.name if thread.author else None


class ThreadRepliesFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request, slug: str, thread_id: int):
        thread = get_object_or_404(
            Thread.objects.select_related("community"),
            pk=thread_id,
            community__slug=slug,
            is_deleted=False,
        )
        if not _public(thread.community):
            raise Thread.DoesNotExist
        return thread

    def title(self, thread):
        return _("Replies in “%(title)s”") % {"title": thread.title} + f" · {site_name()}"

    def link(self, thread):
        return thread.get_absolute_url()

    def items(self, thread):
        return (
            Post.objects.filter(thread=thread, is_hidden=False, is_deleted=False)
            .select_related("author", "thread__community")
            .order_by("-number")[:ITEMS]
        )

    def item_title(self, post):
        author = post.author.name if post.author else _("Someone")
        return _("%(author)s, post %(number)d") % {"author": author, "number": post.number}

    def item_description(self, post):
        return post.html

    def item_link(self, post):
        return post.get_absolute_url()

    def item_pubdate(self, post):
        return post.created

    def item_updateddate(self, post):
        return post.edited_at or post.created

    def item_author_name(self, post):
        return post.author.name if post.author else None
