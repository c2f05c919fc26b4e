"""The 1.x websocket server (daphne) from v1.32.0: upstream's ASGI application with its route fixed.

src/argus/spa/ws/asgi.py at v1.32.0 to v1.37.0 routes `path("/ws/open/", ...)`, with a leading slash. channels'
URLRouter strips the leading slash before matching (channels/routing.py in every 4.x release, which
pyproject.toml at those tags requires: channels[daphne]>=4.0.0,<5), so that route never matches and every
websocket the webui opens on /ws/open/ is refused ("No route found for path 'ws/open/'"). Up to v1.31.0
src/argus/ws/asgi.py routed "ws/open/", which matches. The same application, with that route.
"""
import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "argus_site.settings")
django_http = get_asgi_application()  # sets Django up: import nothing that touches models before this

from argus.spa.ws.consumers import OpenIncidentConsumer  # noqa: E402
from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from django.urls import path  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": django_http,
        "websocket": AuthMiddlewareStack(URLRouter([path("ws/open/", OpenIncidentConsumer.as_asgi())])),
    }
)
