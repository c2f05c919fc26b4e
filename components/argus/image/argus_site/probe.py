"""Probes for servers that listen on 127.0.0.1 only, where the kubelet's httpGet and tcpSocket cannot reach.

    python -m argus_site.probe http PORT PATH HOST   exit 0 on a 2xx or 3xx answer, as httpGet counts
    python -m argus_site.probe tcp PORT              exit 0 when the port accepts a connection
"""
import http.client
import socket
import sys

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


def main(argv):
    try:
        if argv[:1] == ["http"] and len(argv) == 4:
            return 0 if http_ok(*argv[1:]) else 1
        if argv[:1] == ["tcp"] and len(argv) == 2:
            return 0 if tcp_ok(argv[1]) else 1
    except OSError as error:
        print(f"probe: {error}", file=sys.stderr)
        return 1
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
