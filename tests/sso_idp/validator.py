from oauth2_provider.oauth2_validators import OAuth2Validator

# People whose address this provider never verified (the "unverified e-mail" case).
UNVERIFIED = {"unverified"}


class Validator(OAuth2Validator):
    def get_additional_claims(self, request):
        user = request.user
        return {
            "email": user.email,
            "email_verified": user.username not in UNVERIFIED,
            "preferred_username": user.username,
            "given_name": user.first_name,
            "family_name": user.last_name,
            "name": f"{user.first_name} {user.last_name}".strip(),
        }
