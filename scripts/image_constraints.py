"""Constraints for installing envoy into an image that already has packages (the official Airflow image).

    python scripts/image_constraints.py constraints.txt <(pip freeze) > /tmp/constraints.txt

envoy's own pins win (they are the versions its tests ran with); every other package the image
already has is pinned to the image's version, so installing envoy and its providers never upgrades
or downgrades a package behind the image's back. Standard library only: it runs before the install.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

_PIN = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?\s*==\s*([^\s;#]+)")


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def pins(text: str) -> dict[str, str]:
    """``name -> version`` of every ``name==version`` line (editables, URLs and comments are skipped)."""
    out = {}
    for line in text.splitlines():
        m = _PIN.match(line)
        if m:
            out[canonical(m.group(1))] = m.group(2)
    return out


def merge(ours: dict[str, str], image: dict[str, str]) -> dict[str, str]:
    return {**{k: v for k, v in image.items() if k not in ours}, **ours}


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    ours, image = (pins(Path(p).read_text(encoding="utf-8")) for p in argv)
    for name, version in sorted(merge(ours, image).items()):
        print(f"{name}=={version}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
