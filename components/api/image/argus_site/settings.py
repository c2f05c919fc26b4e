"""Argus settings for Kubernetes: the production settings, plus what this deployment sets in the environment.

Everything secret (DATABASE_URL, SECRET_KEY, ARGUS_DATAPORTEN_SECRET) comes from the api Secret; the rest
from the api ConfigMap. See components/api/spec.ts for the variables.
"""
import os

from argus.site.settings.prod import *  # noqa: F401,F403

FRONTEND_URL = os.environ["ARGUS_FRONTEND_URL"]
API_HOST = os.environ["ARGUS_API_HOST"]
TLS = FRONTEND_URL.startswith("https://")
SCHEME = "https" if TLS else "http"

# Requests reach Django through the Pod's nginx, and probes name the api host in their Host header.
ALLOWED_HOSTS = [API_HOST]

# The webui on its own host calls the api with the session cookie, shared through ARGUS_COOKIE_DOMAIN.
CORS_ALLOWED_ORIGINS = [FRONTEND_URL]
CORS_ALLOW_CREDENTIALS = True
CSRF_TRUSTED_ORIGINS = [FRONTEND_URL, f"{SCHEME}://{API_HOST}"]

# TLS ends at the ingress controller; nginx passes the original scheme on.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SOCIAL_AUTH_REDIRECT_IS_HTTPS = TLS
SESSION_COOKIE_SECURE = TLS
CSRF_COOKIE_SECURE = TLS

STATIC_ROOT = os.environ.get("STATIC_ROOT", "/app/static")
