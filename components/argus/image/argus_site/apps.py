"""Connects 1.x's websocket push in every process that saves incidents (gunicorn, the Jobs), not only daphne.

From v1.32.0 the receivers that push each saved incident to the websocket clients live in
src/argus/spa/ws/models.py, and the app in INSTALLED_APPS is "argus.spa" (src/argus/spa/spa_settings.py at
v1.32.0 to v1.37.0), whose models module is argus/spa/models.py: nothing imports argus.spa.ws.models but the
websocket consumers, so in gunicorn the post_save receiver is never connected and an incident posted through
the API never reaches the webui's websocket. Up to v1.31.0 the app was "argus.ws" (src/argus/site/settings/base.py),
whose models module was the one with the receivers.
"""
from django.apps import AppConfig


class IncidentPushConfig(AppConfig):
    name = "argus_site"
    label = "argus_site"

    def ready(self):
        import argus.spa.ws.models  # noqa: F401 - connects the post_save and bulk_changed receivers
