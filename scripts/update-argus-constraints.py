#!/usr/bin/env python3
"""Writes releases/constraints/argus-server-<version>.txt: the versions upstream locked for a release.

Upstream pip-compiles `requirements.txt` for every release (the dependency set its CI tested) and ships it
in the release's sdist on PyPI. The image installs Argus with that file as pip constraints, so a rebuild
months later gets the same set (releases/argus.ts, argusConstraints). The sdist is read, never built: the
build of newer releases needs a binary pip cannot get from PyPI.

Usage: scripts/update-argus-constraints.py VERSION [VERSION ...]
       scripts/update-argus-constraints.py VERSION=FILE   (a release PyPI has no sdist of: its requirements.txt
                                                          read at the release's git tag, e.g. `git show v2.9.0:requirements.txt`)
Reads the simple index of the package index pip uses (PEP 503), as pip does.
"""
import io
import pathlib
import re
import sys
import tarfile
import urllib.request

INDEX = "https://pypi.org/simple/argus-server/"
OUT = pathlib.Path(__file__).resolve().parent.parent / "releases" / "constraints"
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(\[[^\]]*\])?==([^\s;#]+)\s*$")
# Pins upstream locked that PyPI no longer serves, with the release that replaced them there. certifi 2026.10.19
# (locked by argus-server 2.10.1 and 2.10.2) is gone from the index, which lists 2026.10.19.post1: with the
# original pin `pip wheel --constraint` finds no certifi and the image build fails (seen by npm run test:argus).
REPLACED = {("certifi", "2026.10.19"): "2026.10.19.post1"}


def sdist_url(version: str) -> str:
    html = urllib.request.urlopen(INDEX, timeout=60).read().decode()
    for href, name in re.findall(r'href="([^"]+)"[^>]*>([^<]+)</a>', html):
        if name in (f"argus_server-{version}.tar.gz", f"argus-server-{version}.tar.gz"):
            return href
    sys.exit(f"update-argus-constraints: PyPI has no sdist of argus-server {version}.")


def sdist_requirements(version: str) -> str:
    data = urllib.request.urlopen(sdist_url(version), timeout=120).read()
    with tarfile.open(fileobj=io.BytesIO(data)) as archive:
        member = next((m for m in archive.getmembers() if m.name.count("/") == 1 and m.name.endswith("/requirements.txt")), None)
        if member is None:
            sys.exit(f"update-argus-constraints: the sdist of argus-server {version} has no requirements.txt.")
        return archive.extractfile(member).read().decode()


def constraints(version: str, text: str) -> list[str]:
    pins = []
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        match = PIN.match(line)
        if not match:
            sys.exit(f"update-argus-constraints: argus-server {version}'s requirements.txt has a line that is not name==version: {line!r}")
        # pip refuses extras in a constraints file; the extra's packages are pinned on lines of their own.
        name = match.group(1).lower()
        pins.append(f"{name}=={REPLACED.get((name, match.group(3)), match.group(3))}")
    return sorted(set(pins))


def main() -> None:
    if len(sys.argv) < 2:
        sys.exit(__doc__.strip().splitlines()[-2])
    OUT.mkdir(parents=True, exist_ok=True)
    for argument in sys.argv[1:]:
        version, _, file = argument.partition("=")
        text = pathlib.Path(file).read_text() if file else sdist_requirements(version)
        source = "its git tag v" + version if file else "the sdist on PyPI"
        pins = constraints(version, text)
        header = f"# argus-server {version}: its requirements.txt (pip-compiled upstream, from {source}), as pip constraints.\n# Made by scripts/update-argus-constraints.py; do not edit.\n"
        (OUT / f"argus-server-{version}.txt").write_text(header + "\n".join(pins) + "\n")
        print(f"releases/constraints/argus-server-{version}.txt: {len(pins)} pins")


if __name__ == "__main__":
    main()
