"""Argus settings for Kubernetes: the release's own settings, then what this deployment adds.

The upstream module comes from the release contract (releases/argus.ts) through the image's
ARGUS_UPSTREAM_SETTINGS. Secrets (DATABASE_URL, SECRET_KEY, ARGUS_DATAPORTEN_SECRET, SOCIAL_AUTH_OIDC_SECRET,
TICKET_AUTHENTICATION_SECRET, EMAIL_HOST_PASSWORD, the extra secret settings) come from the api Secret, the rest
from the api ConfigMap; the variables this module reads are listed in components/argus/settings.ts, and a test
keeps that list equal to this file.
"""
import importlib
import importlib.util
import json
import os

_upstream = importlib.import_module(os.environ["ARGUS_UPSTREAM_SETTINGS"])
globals().update({name: value for name, value in vars(_upstream).items() if name.isupper()})

if _upstream.__name__ == "argus.spa.settings":
    # From v1.33.0 src/argus/spa/settings.py imports spa_settings before backend, whose `from .base import *`
    # rebinds these to base's values: no channels and no argus.spa app, no Feide login backend, and the URLs
    # without the SPA's login routes. spa_settings computed them for the React frontend; take them from there.
    _spa = importlib.import_module("argus.spa.spa_settings")
    for _name in ("AUTHENTICATION_BACKENDS", "INSTALLED_APPS", "ROOT_URLCONF"):
        if hasattr(_spa, _name):
            globals()[_name] = getattr(_spa, _name)


def _env(name):
    """The variable's value, or None when it is unset or blank: config left empty means Argus' default."""
    value = os.environ.get(name, "").strip()
    return value or None


def _json_env(name):
    value = _env(name)
    return None if value is None else json.loads(value)


FRONTEND_URL = os.environ["ARGUS_FRONTEND_URL"]
# The hosts Django answers to: 1.x the api host; 2.x the webui host, and the api host where one is set.
PUBLIC_HOSTS = os.environ["ARGUS_PUBLIC_HOSTS"].split(",")
TLS = FRONTEND_URL.startswith("https://")

# Probes name a public host in their Host header too.
ALLOWED_HOSTS = PUBLIC_HOSTS

# 1.x: the webui on its own host calls the api with credentials; the token cookie is shared through
# ARGUS_SPA_COOKIE_DOMAIN, the webui host, which the api host lies under. 2.x serves its UI itself.
CORS_ALLOWED_ORIGINS = [FRONTEND_URL]
CORS_ALLOW_CREDENTIALS = True
CSRF_TRUSTED_ORIGINS = sorted({FRONTEND_URL, *(f"{'https' if TLS else 'http'}://{host}" for host in PUBLIC_HOSTS)})

# TLS ends at the ingress controller; nginx passes the original scheme on.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SOCIAL_AUTH_REDIRECT_IS_HTTPS = TLS
SESSION_COOKIE_SECURE = TLS
CSRF_COOKIE_SECURE = TLS

# Hard-coded "Europe/Oslo" in src/argus/site/settings/base.py (v1.24.0 to v2.9.1).
TIME_ZONE = _env("TIME_ZONE") or TIME_ZONE  # noqa: F821 - from the upstream module

def _flag_env(name):
    return _env(name).lower() in ("1", "true", "yes", "on")


# Hard-coded True up to v1.35.0; read by Argus itself from v1.36.0. Applied here for every release.
if _env("EMAIL_USE_TLS") is not None:
    EMAIL_USE_TLS = _flag_env("EMAIL_USE_TLS")

# Implicit TLS: no release reads EMAIL_USE_SSL (src/argus/site/settings/ at v1.24.0 to v2.9.1, argus-server
# 1.24.0, 1.37.0 and 2.10.2 as installed); Django's default is False. EMAIL_HOST_USER and EMAIL_HOST_PASSWORD
# every release reads itself (base.py, same releases).
if _env("EMAIL_USE_SSL") is not None:
    EMAIL_USE_SSL = _flag_env("EMAIL_USE_SSL")

# A relay that refuses a mail (a wrong password, no TLS) raises from Django's SMTP backend without saying which
# relay; Argus lets the exception end the task (send_email_safely in notificationprofile/media/email.py catches
# only ConnectionRefusedError, 2.10.2). argus_site/mail.py logs it with host:port first.
if EMAIL_BACKEND == "django.core.mail.backends.smtp.EmailBackend":  # noqa: F821 - from the upstream module
    EMAIL_BACKEND = "argus_site.mail.RelayNamingEmailBackend"

# Django's EMAIL_TIMEOUT is None (django/conf/global_settings.py, 5.2): a relay that takes the connection and never
# answers holds the sending task, and so a task worker, for ever (seen in the Argus suite before its sink answered
# AUTH). Argus sets none (base.py, 1.24.0 to 2.10.2); 30 s makes it the relay error argus_site/mail.py logs.
EMAIL_TIMEOUT = 30

# A constant 14 in base.py; API clients' tokens live this many days.
if _env("AUTH_TOKEN_EXPIRES_AFTER_DAYS") is not None:
    AUTH_TOKEN_EXPIRES_AFTER_DAYS = int(_env("AUTH_TOKEN_EXPIRES_AFTER_DAYS"))

# Persistent database connections: dj_database_url.parse leaves CONN_MAX_AGE at 0 and CONN_HEALTH_CHECKS off in
# src/argus/site/settings/base.py (v1.24.0 to 2.10.2), a new connection (and password exchange) per request.
# CONN_HEALTH_CHECKS (Django 4.1+; the releases pin 4.2 and 5.2) checks a kept connection before a request
# reuses it, so a database restart costs no failed request. daphne's ASGI app sets 0 (argus_site/asgi.py).
if _env("CONN_MAX_AGE") is not None:
    DATABASES["default"]["CONN_MAX_AGE"] = int(_env("CONN_MAX_AGE"))  # noqa: F821 - from the upstream module
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True  # noqa: F821

# Settings Argus reads with getattr(settings, ...) but never from the environment (src/argus at v1.37.0:
# filter/checks.py, incident/ticket/base.py and utils.py, notificationprofile/media/__init__.py).
_from_json = {
    "ARGUS_FALLBACK_FILTER": _json_env("ARGUS_FALLBACK_FILTER"),
    "MEDIA_PLUGINS": _json_env("MEDIA_PLUGINS"),
    "SOCIAL_AUTH_IMMUTABLE_USER_FIELDS": _json_env("SOCIAL_AUTH_IMMUTABLE_USER_FIELDS"),
    "TICKET_INFORMATION": _json_env("TICKET_INFORMATION"),
    "TICKET_AUTHENTICATION_SECRET": _json_env("TICKET_AUTHENTICATION_SECRET"),
}
_plain = {
    "SERVER_EMAIL": _env("SERVER_EMAIL"),
    "TICKET_PLUGIN": _env("TICKET_PLUGIN"),
    "TICKET_ENDPOINT": _env("TICKET_ENDPOINT"),
}
globals().update({name: value for name, value in {**_from_json, **_plain}.items() if value is not None})

# Feide login. 1.x reads these variables itself (src/argus/spa/spa_settings.py); 2.x only documents the
# backend of python-dataporten-auth and its settings (docs/development/howtos/federated-logins.rst at v2.9.1).
if _upstream.__name__ != "argus.spa.settings" and _env("ARGUS_DATAPORTEN_KEY") is not None:
    AUTHENTICATION_BACKENDS = ["dataporten.social.DataportenFeideOAuth2", *AUTHENTICATION_BACKENDS]  # noqa: F821
    SOCIAL_AUTH_DATAPORTEN_FEIDE_KEY = _env("ARGUS_DATAPORTEN_KEY")
    SOCIAL_AUTH_DATAPORTEN_FEIDE_SECRET = _env("ARGUS_DATAPORTEN_SECRET")

# The organisation's OpenID provider (2.x; stacks/sections/login.ts refuses it for 1.x): social-core's generic
# backend, name "oidc", reads SOCIAL_AUTH_OIDC_OIDC_ENDPOINT, _KEY and _SECRET (social_core/backends/open_id_connect.py,
# social-auth-core 4.8.5); Argus 2.x lists it on the login page as ARGUS_OIDC_METHOD_NAME (src/argus/htmx/auth/views.py,
# v2.8.0 to 2.10.2) and serves its callback at /oidc/complete/oidc/ (src/argus/htmx/htmx_urls.py).
if _upstream.__name__ != "argus.spa.settings" and _env("SOCIAL_AUTH_OIDC_OIDC_ENDPOINT") is not None:
    AUTHENTICATION_BACKENDS = ["social_core.backends.open_id_connect.OpenIdConnectAuth", *AUTHENTICATION_BACKENDS]  # noqa: F821
    SOCIAL_AUTH_OIDC_OIDC_ENDPOINT = _env("SOCIAL_AUTH_OIDC_OIDC_ENDPOINT")
    SOCIAL_AUTH_OIDC_KEY = _env("SOCIAL_AUTH_OIDC_KEY")
    SOCIAL_AUTH_OIDC_SECRET = _env("SOCIAL_AUTH_OIDC_SECRET")
    if _env("ARGUS_OIDC_METHOD_NAME") is not None:
        ARGUS_OIDC_METHOD_NAME = _env("ARGUS_OIDC_METHOD_NAME")
    # A failed login (a wrong client secret, a refused code) back on the login page with the reason as a message:
    # without a LOGIN_ERROR_URL, social_django's SocialAuthExceptionMiddleware lets the error through, a bare 500
    # (social_django/middleware.py in social-auth-app-django 5.7.0; Argus sets none, src/argus/site/settings/base.py).
    SOCIAL_AUTH_LOGIN_ERROR_URL = LOGIN_URL  # noqa: F821

# 1.x from v1.32.0: connect the websocket push in every process (argus_site/apps.py says why).
if _upstream.__name__ == "argus.spa.settings" and importlib.util.find_spec("argus.spa.ws") is not None:
    INSTALLED_APPS = [*INSTALLED_APPS, "argus_site.apps.IncidentPushConfig"]  # noqa: F821

# The 1.x channel layer: Argus' CHANNEL_LAYERS has one (host, port) pair (ARGUS_REDIS_SERVER; base.py at v1.24.0
# to v1.31.0, src/argus/spa/spa_settings.py from v1.32.0). Rewritten as a redis:// URL with two changes:
# - with several api Pods they share one redis, which requires a password (from the Secret);
# - socket_timeout None: channels_redis waits for messages in a blocking BZPOPMIN of 5 s, and redis-py 8 (which
#   channels_redis' `redis>=4.6` admits, so pip installs it) reads with a 5 s socket timeout by default, so every
#   wait can end in redis.exceptions.TimeoutError, which kills the websocket consumer (channels_redis issue
#   #422; redis-py 8.0.0 release notes). Clients then miss incidents, as the real-world suite saw.
if _upstream.__name__ == "argus.spa.settings":
    from urllib.parse import quote

    _redis_server = _env("ARGUS_REDIS_SERVER") or "{}:{}".format(*CHANNEL_LAYERS["default"]["CONFIG"]["hosts"][0])  # noqa: F821
    _redis_auth = "" if _env("REDIS_PASSWORD") is None else f":{quote(_env('REDIS_PASSWORD'), safe='')}@"
    CHANNEL_LAYERS["default"]["CONFIG"]["hosts"] = [{"address": f"redis://{_redis_auth}{_redis_server}/0", "socket_timeout": None}]  # noqa: F821

# Django's ADMINS are (name, address) pairs; the ConfigMap holds them as a JSON list of pairs.
if _json_env("ADMINS") is not None:
    ADMINS = [tuple(pair) for pair in _json_env("ADMINS")]

# Extra settings (stacks/sections/extraSettings.ts): ARGUS_EXTRA_SETTING_<NAME> from the settings ConfigMap or
# the api Secret sets the setting <NAME> to its text. Last, so they are what Django sees; the program refuses
# names it sets itself before anything is deployed.
_EXTRA_SETTING = "ARGUS_EXTRA_SETTING_"
globals().update({name[len(_EXTRA_SETTING):]: value for name, value in os.environ.items() if name.startswith(_EXTRA_SETTING) and name[len(_EXTRA_SETTING):].isupper()})
