"""The test's SMTP server: aiosmtpd on 127.0.0.1, each message written to OUT_DIR/<n>.eml.

    python smtp_sink.py PORT OUT_DIR

With SMTP_SINK_USER and SMTP_SINK_PASSWORD in the environment it is a relay that requires a login (AUTH PLAIN
or LOGIN) before MAIL FROM, answering any other credentials with 535, as a provider's relay does. With
SMTP_SINK_CERT and SMTP_SINK_KEY too, it requires STARTTLS first and takes AUTH only over TLS (aiosmtpd's
require_starttls and auth_require_tls, aiosmtpd 1.4.6 smtp.py); without them AUTH goes over plain SMTP.
"""
import os
import signal
import ssl
import sys
import threading

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult


class Sink:
    def __init__(self, out_dir):
        self.out_dir = out_dir
        self.count = 0
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.count += 1
            name = os.path.join(self.out_dir, f"{self.count:05d}.eml")
        header = f"X-Sink-Mail-From: {envelope.mail_from}\nX-Sink-Rcpt-To: {', '.join(envelope.rcpt_tos)}\n"
        with open(name + ".part", "w", encoding="utf-8") as f:
            f.write(header + envelope.content.decode("utf-8", "replace"))
        os.rename(name + ".part", name)
        return "250 Message accepted for delivery"


class OneLogin:
    """aiosmtpd's authenticator: only the one user and password count."""

    def __init__(self, user, password):
        self.user = user.encode()
        self.password = password.encode()

    def __call__(self, server, session, envelope, mechanism, auth_data):
        ok = getattr(auth_data, "login", None) == self.user and getattr(auth_data, "password", None) == self.password
        print(f"AUTH {mechanism}{' over TLS' if session.ssl is not None else ''}: {'accepted' if ok else 'refused'}", flush=True)
        # handled=False: aiosmtpd answers 235 or 535 itself; its default (True) leaves the client waiting (smtp.py, aiosmtpd 1.4.6).
        return AuthResult(success=ok, handled=False)


def main(port, out_dir):
    user, password = os.environ.get("SMTP_SINK_USER"), os.environ.get("SMTP_SINK_PASSWORD")
    cert, key = os.environ.get("SMTP_SINK_CERT"), os.environ.get("SMTP_SINK_KEY")
    login = {"authenticator": OneLogin(user, password), "auth_required": True, "auth_require_tls": bool(cert)} if user else {}
    if cert:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(cert, key)
        login.update(tls_context=context, require_starttls=True)
    controller = Controller(Sink(out_dir), hostname="127.0.0.1", port=int(port), **login)
    controller.start()
    print(f"smtp sink on 127.0.0.1:{port}{' (AUTH required)' if user else ''}{' (STARTTLS required)' if cert else ''}", flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    stop.wait()
    controller.stop()


if __name__ == "__main__":
    main(*sys.argv[1:])
