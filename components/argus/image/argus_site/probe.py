"""Probes the kubelet cannot express itself.

    python -m argus_site.probe http PORT PATH HOST   exit 0 on a 2xx or 3xx answer, as httpGet counts
    python -m argus_site.probe tcp PORT              exit 0 when the port accepts a connection
    python -m argus_site.probe tasks SECONDS         exit 0 unless a task has been due for longer than SECONDS

`http` and `tcp` reach servers that listen on 127.0.0.1 only, where the kubelet's httpGet and tcpSocket
cannot. `tasks` is the task worker's liveness: db_worker has no port and records no heartbeat, so what
shows it works is that due tasks get picked up. It runs with the container's Django settings.
"""
import http.client
import socket
import sys
from datetime import timedelta

TIMEOUT_SECONDS = 10


def http_ok(port, path, host):
    connection = http.client.HTTPConnection("127.0.0.1", int(port), timeout=TIMEOUT_SECONDS)
    try:
        connection.request("GET", path, headers={"Host": host})
        return 200 <= connection.getresponse().status < 400
    finally:
        connection.close()


def tcp_ok(port):
    with socket.create_connection(("127.0.0.1", int(port)), timeout=TIMEOUT_SECONDS):
        return True


def tasks_ok(seconds):
    """False when a task of the database queue has been due for longer than `seconds` and still waits."""
    import django

    django.setup()
    from django.db.models import Q
    from django.utils import timezone
    # django_tasks_db 0.12.0 and 0.13.0 (models.py): ready() is READY with run_after now or earlier, or
    # run_after get_date_max() for a task enqueued without one; enqueued_at is set when it is enqueued.
    from django_tasks_db.models import DBTaskResult, get_date_max

    cutoff = timezone.now() - timedelta(seconds=int(seconds))
    due_since_cutoff = Q(run_after__lte=cutoff) | Q(run_after=get_date_max(), enqueued_at__lte=cutoff)
    waiting = DBTaskResult.objects.ready().filter(due_since_cutoff).count()
    if waiting:
        print(f"probe: {waiting} task(s) due for more than {seconds} s and not picked up", file=sys.stderr)
    return waiting == 0


def main(argv):
    try:
        if argv[:1] == ["http"] and len(argv) == 4:
            return 0 if http_ok(*argv[1:]) else 1
        if argv[:1] == ["tcp"] and len(argv) == 2:
            return 0 if tcp_ok(argv[1]) else 1
        if argv[:1] == ["tasks"] and len(argv) == 2 and argv[1].isdigit():
            return 0 if tasks_ok(argv[1]) else 1
    except Exception as error:  # a probe says why it failed in one line, never with a trace
        print(f"probe: {type(error).__name__}: {error}", file=sys.stderr)
        return 1
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
