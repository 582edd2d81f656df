"""A sign-in refused by the throttle (accounts/throttle.py) is shown as the login form with
its error and what was typed, answered 429 with Retry-After so that clients know to wait."""

from http import HTTPStatus


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
