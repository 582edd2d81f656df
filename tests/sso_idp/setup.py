"""Prepare the test identity provider's database: ``python -m tests.sso_idp.setup PEOPLE
CLIENTS`` (two JSON lists). Creates the people it knows (see server.PEOPLE) and the
platform's client applications (RS256, consent asked)."""

import json
import os
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.sso_idp.settings")

import django

django.setup()

from django.contrib.auth.models import User  # noqa: E402
from django.core.management import call_command  # noqa: E402
from oauth2_provider.models import Application  # noqa: E402

people, clients = (json.loads(arg) for arg in sys.argv[1:3])
call_command("migrate", verbosity=0)
for person in people:
    User.objects.create_user(**person)
for client in clients:
    Application.objects.create(
        name="Community of practice",
        client_id=client["client_id"],
        client_secret=client["secret"],
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=client["redirect_uri"],
        algorithm=Application.RS256_ALGORITHM,
        skip_authorization=False,
    )
