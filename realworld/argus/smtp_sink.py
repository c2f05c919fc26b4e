"""The test's SMTP server: aiosmtpd on 127.0.0.1, each message written to OUT_DIR/<n>.eml.

    python smtp_sink.py PORT OUT_DIR
"""
import os
import signal
import sys
import threading

from aiosmtpd.controller import Controller


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


def main(port, out_dir):
    controller = Controller(Sink(out_dir), hostname="127.0.0.1", port=int(port))
    controller.start()
    print(f"smtp sink on 127.0.0.1:{port}", flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    stop.wait()
    controller.stop()


if __name__ == "__main__":
    main(*sys.argv[1:])
