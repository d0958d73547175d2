from django.utils import timezone
from rest_framework import authentication, exceptions

from vigie.api.models import ApiToken, digest


class BearerTokenAuthentication(authentication.BaseAuthentication):
    """`Authorization: Bearer <token>` with a token from `vigie api-token USERNAME`."""

    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode("latin-1").split()
        if not header or header[0] != self.keyword:
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed("En-tête Authorization invalide : « Bearer <jeton> » attendu.")
        token = ApiToken.objects.select_related("user").filter(token_sha256=digest(header[1])).first()
        if token is None or not token.user.is_active:
            raise exceptions.AuthenticationFailed("Jeton d'API invalide ou révoqué.")
        now = timezone.now()
        state = token.state(now)
        if state == ApiToken.State.REVOKED:
            raise exceptions.AuthenticationFailed("Jeton d'API révoqué.")
        if state == ApiToken.State.EXPIRED:
            expired_on = f"{timezone.localtime(token.expires_at):%d/%m/%Y}"
            raise exceptions.AuthenticationFailed(f"Jeton d'API expiré le {expired_on} : demandez-en un nouveau.")
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user, token

    def authenticate_header(self, request):
        return self.keyword
