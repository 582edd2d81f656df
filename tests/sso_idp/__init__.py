"""A real OpenID Connect provider for the single sign-on tests: django-oauth-toolkit in a tiny
Django project of its own (own settings, own SQLite file), started as a subprocess by
``tests/sso_idp/server.py``. Nothing here is imported by the platform."""
