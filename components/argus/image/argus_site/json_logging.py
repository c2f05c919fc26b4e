"""Logs as JSON lines on standard error, for log collectors: the `jsonLogging` switch of the stack config.

Argus 2.10 configures logging from the dictionary DJANGO_LOGGING_MODULE names (src/argus/site/settings/base.py,
setup_logging in src/argus/logging/utils.py) and documents this formatter (docs/production/logging.rst); the
`jsonlogging` extra installs python-json-logger, which provides it.
"""

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "format": "asctime,levelname,name,message",
            "style": ",",
        },
    },
    "handlers": {
        "json": {"class": "logging.StreamHandler", "formatter": "json"},
    },
    "root": {"level": "INFO", "handlers": ["json"]},
    "loggers": {
        # Django's request errors and gunicorn's own lines go through the root logger's handler.
        "django": {"level": "INFO", "propagate": True},
    },
}
