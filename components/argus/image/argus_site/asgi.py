"""The 1.x websocket server (daphne): upstream's ASGI application, its route fixed, its users known by token too.

Route: src/argus/spa/ws/asgi.py at v1.32.0 to v1.37.0 routes `path("/ws/open/", ...)`, with a leading slash.
channels' URLRouter strips the leading slash before matching (channels/routing.py in every 4.x release, which
pyproject.toml at those tags requires: channels[daphne]>=4.0.0,<5), so that route never matches and every
websocket the webui opens on /ws/open/ is refused ("No route found for path 'ws/open/'"). Up to v1.31.0
src/argus/ws/asgi.py routed "ws/open/", which matches; this app serves every 1.x release with that route.

Users: channels' AuthMiddlewareStack, as upstream, then argus_site/websocket.py, which also knows the user of
the webui's `token` cookie (a password login makes no session) and refuses the rest at once.

Origins: only the webui and the public hosts (settings.CSRF_TRUSTED_ORIGINS). A cookie-authenticated websocket
could otherwise be opened by any page the user visits; channels' OriginValidator (channels/security/websocket.py
at 4.2.2) refuses the rest with a 403.

Database connections: closed after each use here, whatever the stack's databaseConnMaxAge, since "When using
ASGI, persistent connections should be disabled" (Django 5.2, docs/ref/databases.txt, "Persistent
connections"). Set before the settings are read, which read CONN_MAX_AGE (argus_site/settings.py).
"""
import importlib.util
import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "argus_site.settings")
os.environ["CONN_MAX_AGE"] = "0"
django_http = get_asgi_application()  # sets Django up: import nothing that touches models before this

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import OriginValidator  # noqa: E402
from django.conf import settings  # noqa: E402
from django.urls import path  # noqa: E402

from argus_site.websocket import TokenCookieAuthMiddleware  # noqa: E402

# The consumer's module: argus.ws up to v1.31.0, argus.spa.ws from v1.32.0.
_consumers = "argus.spa.ws.consumers" if importlib.util.find_spec("argus.spa.ws") else "argus.ws.consumers"
OpenIncidentConsumer = importlib.import_module(_consumers).OpenIncidentConsumer

application = ProtocolTypeRouter(
    {
        "http": django_http,
        "websocket": OriginValidator(
            AuthMiddlewareStack(TokenCookieAuthMiddleware(URLRouter([path("ws/open/", OpenIncidentConsumer.as_asgi())]))),
            settings.CSRF_TRUSTED_ORIGINS,
        ),
    }
)
