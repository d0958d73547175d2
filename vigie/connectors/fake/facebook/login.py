"""Facebook Login (the manual flow: the dialog, the code exchanged for a user token, the long-lived token,
the Pages it administers) and the tokens each call must carry. A part of FakeFacebook (server.py)."""

import re

from vigie.connectors.fake.facebook.graph import VERSION, graph_error
from vigie.connectors.fake.server import AuthorizationCodes, Request, Response, redirect


class Login(AuthorizationCodes):
    def forget_logins(self) -> None:
        self.forget_codes()
        self.user_tokens: set[str] = set()  # short- and long-lived user tokens given out

    def login_dialog(self, request: Request) -> Response:
        query = request.query
        redirect_uri, state = query.get("redirect_uri", ""), query.get("state", "")
        if query.get("client_id") != self.app_id or not redirect_uri:
            return Response(400, "Invalid App ID or redirect_uri", {"Content-Type": "text/html"})
        if self.deny_authorization:
            answer = {"error": "access_denied", "error_code": "200", "error_reason": "user_denied",
                      "error_description": "Permissions error", "state": state}  # fmt: skip
        else:
            answer = {"code": self.give_code("AQ" + self._digits(40), redirect_uri, 600), "state": state}
        return redirect(redirect_uri, answer)

    def access_token(self, request: Request) -> Response:
        query = request.query
        if query.get("client_id") != self.app_id:
            return graph_error(101, "Error validating application. Invalid application ID.")
        if query.get("client_secret") != self.app_secret:
            return graph_error(1, "Error validating client secret.")
        if query.get("grant_type") == "fb_exchange_token":
            if query.get("fb_exchange_token") not in self.user_tokens:
                return graph_error(190, "Invalid OAuth access token - Cannot parse access token")
            return Response(200, self._user_token(expires_in=5183944))
        redirect_uri = self.redeem_code(query.get("code", ""))
        if not redirect_uri:
            return graph_error(100, "This authorization code has been used.", subcode=36009)
        if query.get("redirect_uri") != redirect_uri:
            message = "Error validating verification code. Please make sure your redirect_uri is identical to the one "
            return graph_error(100, message + "you used in the OAuth dialog request", subcode=36008)
        return Response(200, self._user_token(expires_in=5183))

    def _user_token(self, expires_in: int) -> dict:
        token = "EAAfakeUser" + self._digits(24)
        self.user_tokens.add(token)
        return {"access_token": token, "token_type": "bearer", "expires_in": expires_in}

    def managed_pages(self, request: Request) -> Response:
        page = {"access_token": self.page_token, "category": "Education", "name": self.page_name, "id": self.page_id,
                "tasks": ["ADVERTISE", "ANALYZE", "CREATE_CONTENT", "MESSAGING", "MODERATE", "MANAGE"]}  # fmt: skip
        return Response(200, {"data": [page], "paging": {"cursors": {"before": "QVFI", "after": "QVFI"}}})

    def authenticate(self, request: Request) -> Response | None:
        if re.fullmatch(f"{VERSION}/(dialog/oauth|oauth/access_token)", request.path):
            return None  # Facebook Login: the app identifies itself by client id and secret
        bearer = request.headers.get("authorization", "")
        token = request.query.get("access_token") or (bearer[7:] if bearer.startswith("Bearer ") else "")
        if not token and request.body and request.method == "POST":
            token = str(request.form().get("access_token", ""))
        if not token:
            return graph_error(104, "An access token is required to request this resource.")
        user_edge = re.fullmatch(f"{VERSION}/me/accounts", request.path)
        if token != self.page_token and not (user_edge and token in self.user_tokens):
            return graph_error(190, "Invalid OAuth access token - Cannot parse access token")
        return None
