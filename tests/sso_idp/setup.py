"""Prepare the test identity provider's database: ``python -m tests.sso_idp.setup CLIENT_ID
SECRET REDIRECT_URI``. Creates the people it knows (see server.PEOPLE) and the platform's
client application (RS256, consent asked)."""

import json
import os
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.sso_idp.settings")

import django

django.setup()

from django.contrib.auth.models import User  # noqa: E402
from django.core.management import call_command  # noqa: E402
from oauth2_provider.models import Application  # noqa: E402

client_id, secret, redirect_uri, people = sys.argv[1:5]
call_command("migrate", verbosity=0)
for person in json.loads(people):
    User.objects.create_user(**person)
Application.objects.create(
    name="Community of practice",
    client_id=client_id,
    client_secret=secret,
    client_type=Application.CLIENT_CONFIDENTIAL,
    authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
    redirect_uris=redirect_uri,
    algorithm=Application.RS256_ALGORITHM,
    skip_authorization=False,
)
