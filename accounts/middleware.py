"""A sign-in refused by the throttle (accounts/throttle.py) is shown as the login form with
its error and what was typed, answered 429 with Retry-After so that clients know to wait."""

import zoneinfo
from http import HTTPStatus
from urllib.parse import unquote

from django.utils import timezone


class SignInThrottleMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        wait = getattr(request, "signin_retry_after", None)
        if wait:
            response.status_code = HTTPStatus.TOO_MANY_REQUESTS
            response.reason_phrase = HTTPStatus.TOO_MANY_REQUESTS.phrase
            response["Retry-After"] = str(wait)
        return response


class TimezoneMiddleware:
    """Times are shown in the reader's zone: the one on their profile, else the one their
    browser reports (the ``tz`` cookie site.js keeps), else the site's TIME_ZONE."""

    COOKIE = "tz"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        chosen = getattr(user, "timezone", "") if user is not None and user.is_authenticated else ""
        cookie = unquote(request.COOKIES.get(self.COOKIE, ""))
        zone = _zone(chosen) or _zone(cookie)
        # A zone that does not exist (a stale or hand-made cookie): the site's zone, and the
        # page says so (base.html) instead of showing other times without a word.
        request.timezone_unknown = bool(cookie) and not chosen and _zone(cookie) is None
        if zone is not None:
            timezone.activate(zone)
        else:
            timezone.deactivate()
        response = self.get_response(request)
        if request.timezone_unknown:
            response.delete_cookie(self.COOKIE)
        return response


def _zone(name: str):
    if not name or len(name) > 64:
        return None
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None
