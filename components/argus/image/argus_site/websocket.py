"""Who opens a 1.x webui's websocket: the user of the DRF token in the webui's `token` cookie, else the session's.

Upstream's websocket app knows a user only by a Django session (channels' AuthMiddlewareStack in
src/argus/ws/asgi.py at v1.24.0 to v1.31.0 and src/argus/spa/ws/asgi.py at v1.32.0 to v1.37.0; channels/auth.py
at 4.2.2, the version releases/constraints/argus-server-1.37.0.txt pins). Only a Feide login makes one, on the
api host (social_django's complete() in login_wrapper, src/argus/spa/views.py at v1.37.0). A password login is
`POST /api/v1/token-auth/` (ObtainNewAuthToken, src/argus/auth/spa/views.py at v1.37.0): a DRF token, no session.
Argus-frontend v1.14.1 keeps that token in a `token` cookie set without a Domain (src/auth.tsx), so host-only on
the webui host, and opens `new WebSocket(`${backendWSUrl}/open/`)` with nothing else (src/services/RealtimeService.ts):
its comment says "Authentication works by using the token cookie". So the webui's runtime-config points
backendWSUrl at the webui host, whose nginx passes /ws on to the api (components/webui/nginx.ts), and this
middleware reads that cookie. A Feide login's `token` cookie (Domain=ARGUS_SPA_COOKIE_DOMAIN, the webui host)
reaches the webui host too.

The consumer accepts an authenticated user and otherwise never answers the handshake (OpenIncidentConsumer.connect,
consumers.py at the same tags), so daphne drops it after its connect timeout and nginx logs a 502. Here a
connection without a user is refused at once (403), with a log line saying why.
"""
import logging

from channels.db import database_sync_to_async
from channels.security.websocket import WebsocketDenier

logger = logging.getLogger("argus_site.websocket")

TOKEN_COOKIE = "token"  # ARGUS_SPA_TOKEN_COOKIE_NAME in src/argus/spa/spa_settings.py at v1.37.0; auth.tsx at v1.14.1


def token_cookie_values(headers):
    """Every `token` cookie value in the handshake's Cookie headers, in order.

    A browser may send two: the webui's host-only one and a Feide login's Domain one. Django's parse_cookie
    (channels' CookieMiddleware) keeps only the last, which may be a stale one.
    """
    values = []
    for name, value in headers:
        if name.lower() != b"cookie":
            continue
        for pair in value.decode("latin1").split(";"):
            key, sep, val = pair.strip().partition("=")
            if sep and key == TOKEN_COOKIE and val.strip():
                values.append(val.strip())
    return values


@database_sync_to_async
def user_of_token(key):
    """The active user of an unexpired DRF token, as the API itself checks it, or None."""
    from rest_framework.exceptions import AuthenticationFailed
    from rest_framework.settings import api_settings
    from rest_framework.authentication import TokenAuthentication

    # The API's own token class: DeprecatedExpiringTokenAuthentication (v1.31.0 to v1.37.0) or
    # ExpiringTokenAuthentication (v1.24.0), src/argus/auth/authentication.py; first in
    # REST_FRAMEWORK's DEFAULT_AUTHENTICATION_CLASSES (src/argus/site/settings/base.py).
    token_classes = [c for c in api_settings.DEFAULT_AUTHENTICATION_CLASSES if issubclass(c, TokenAuthentication)]
    for token_class in token_classes:
        try:
            found = token_class().authenticate_credentials(key)
        except AuthenticationFailed:
            return None
        if found:
            return found[0]
    return None


def _client(scope):
    client = scope.get("client") or ("?", "?")
    origin = next((v.decode("latin1") for k, v in scope.get("headers", []) if k == b"origin"), "none")
    return f"client {client[0]}, origin {origin}, path {scope.get('path')}"


class TokenCookieAuthMiddleware:
    """Inside channels' AuthMiddlewareStack: a session user stays; otherwise the `token` cookie's user; else 403."""

    def __init__(self, inner):
        self.inner = inner

    async def __call__(self, scope, receive, send):
        user = scope.get("user")
        if not (user is not None and user.is_authenticated):
            tokens = token_cookie_values(scope.get("headers", []))
            for key in tokens:
                found = await user_of_token(key)
                if found is not None:
                    scope = dict(scope, user=found)
                    break
            else:
                reason = "no token cookie and no session" if not tokens else "token cookie not valid (unknown, expired or inactive user)"
                logger.warning("websocket refused (403): %s; %s", reason, _client(scope))
                return await WebsocketDenier()(scope, receive, send)
        return await self.inner(scope, receive, send)
