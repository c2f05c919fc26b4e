"""Django's SMTP backend, naming the relay in the log when it fails.

Django's EmailBackend raises smtplib's errors (SMTPAuthenticationError: "(535, b'...')") without the relay's
host or port (django/core/mail/backends/smtp.py, Django 5.2), and Argus 2.x sends mail in a db_worker task
whose failure shows only that exception. An operator with a wrong password or port reads here which relay
refused, before the exception goes on as before: nothing is dropped silently.
"""
import logging

from django.core.mail.backends.smtp import EmailBackend

LOG = logging.getLogger(__name__)


class RelayNamingEmailBackend(EmailBackend):
    def send_messages(self, email_messages):
        try:
            return super().send_messages(email_messages)
        except Exception as error:
            tls = "implicit TLS" if self.use_ssl else "STARTTLS" if self.use_tls else "no TLS"
            login = f"as {self.username}" if self.username else "without login"
            LOG.error("Mail relay %s:%s (%s, %s) refused the mail: %s: %s", self.host, self.port, tls, login, type(error).__name__, error)
            raise
