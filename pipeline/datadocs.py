"""Data Docs that open offline, and envoy's table of validation runs at the top of their index.

GE 1.24's page templates load Bootstrap, jQuery, bootstrap-table, Font Awesome... from five CDNs and the
logo from a remote bucket, with the data-context id in its query string. Its view loader puts GE's own
templates before a project's ``plugins/custom_data_docs/views``, so they cannot be overridden there;
instead each page GE renders in a run is rewritten once: every CDN URL becomes the copy shipped in
``pipeline/templates/datadocs/vendor/`` (written into the site's ``static/vendor/``, see its README for
versions and licences), the Subresource Integrity attributes of those tags go (they pin the CDNs' bytes),
the vega scripts go (only profiling pages draw charts; envoy renders none), the logo is GE's own
``static/images/logo-long.png`` (the dark-mode background logo goes) and the favicon path is corrected.
Pages open from ``file://`` with the network blocked, styled, and the tables of the index sort, filter
and page.

The run table is rendered with Jinja2 (``templates/datadocs_runs.html.j2``, autoescaped) from a small
manifest, so it also reads where JavaScript is off.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from collections.abc import Iterable
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parent / "templates"
VENDOR = TEMPLATES / "datadocs" / "vendor"

#: CDN URL in GE 1.24.1's templates -> file in ``VENDOR``.
CDN: dict[str, str] = {
    "https://unpkg.com/bootstrap-table@1.19.1/dist/bootstrap-table.min.css": "bootstrap-table.min.css",
    "https://maxcdn.bootstrapcdn.com/bootstrap/4.3.1/css/bootstrap.min.css": "bootstrap.min.css",
    "https://unpkg.com/bootstrap-table@1.19.0/dist/extensions/filter-control/bootstrap-table-filter-control.css":
        "bootstrap-table-filter-control.min.css",
    "https://unpkg.com/bootstrap-table@1.19.0/dist/extensions/filter-control/bootstrap-table-filter-control.min.css":
        "bootstrap-table-filter-control.min.css",
    "https://cdnjs.cloudflare.com/ajax/libs/bootstrap-datepicker/1.9.0/css/bootstrap-datepicker.min.css":
        "bootstrap-datepicker.min.css",
    "https://cdn.jsdelivr.net/npm/@forevolve/bootstrap-dark@1.1.0/dist/css/bootstrap-prefers-dark.css":
        "bootstrap-prefers-dark.min.css",
    "https://cdnjs.cloudflare.com/ajax/libs/font-awesome/6.6.0/css/all.min.css":
        "fontawesome/css/all.min.css",
    "https://code.jquery.com/jquery-3.7.1.min.js": "jquery.min.js",
    "https://cdnjs.cloudflare.com/ajax/libs/popper.js/1.12.9/umd/popper.min.js": "popper.min.js",
    "https://stackpath.bootstrapcdn.com/bootstrap/4.3.1/js/bootstrap.min.js": "bootstrap.min.js",
    "https://unpkg.com/bootstrap-table@1.19.1/dist/bootstrap-table.min.js": "bootstrap-table.min.js",
    "https://unpkg.com/bootstrap-table@1.19.1/dist/extensions/filter-control/bootstrap-table-filter-control.min.js":
        "bootstrap-table-filter-control.min.js",
    "https://cdnjs.cloudflare.com/ajax/libs/bootstrap-datepicker/1.9.0/js/bootstrap-datepicker.min.js":
        "bootstrap-datepicker.min.js",
}
_VEGA = re.compile(r'<script src="https://cdn\.jsdelivr\.net/npm/vega[^"]*"></script>\s*')
_SRI = re.compile(r'\s+integrity="[^"]*"|\s+crossorigin="[^"]*"')
_LOGO = re.compile(r'src="https://great-expectations-web-assets\.[^"/]+/([\w.-]+?)(?:\?[^"]*)?"')
_CSS_LOGO = re.compile(r"url\('https://great-expectations-web-assets\.[^')]*'\)")
_STATIC = re.compile(r'((?:src|href)=")(?:\.\./)*static/images/')  # GE's favicon path is one level short
_TAG = re.compile(r"<(?:script|link)\b[^>]*>")
#: Anything a page would still fetch from the network: ``src=``/``href=`` of script, link and img tags,
#: and ``url()`` in its inline styles.
REMOTE = re.compile(
    r'<(?:script|link|img)\b[^>]*\b(?:src|href)="(?:https?:)?//[^"]*"|url\([\'"]?(?:https?:)?//',
    re.IGNORECASE,
)


def install_vendor(site: Path) -> None:
    """Copy the shipped assets into ``site/static/vendor`` unless the same set is already there."""
    target = site / "static" / "vendor"
    stamp = json.dumps(sorted((p.relative_to(VENDOR).as_posix(), p.stat().st_size)
                              for p in VENDOR.rglob("*") if p.is_file()))
    marker = target / ".envoy-vendor"
    if marker.exists() and marker.read_text(encoding="utf-8") == stamp:
        return
    shutil.copytree(VENDOR, target, dirs_exist_ok=True)
    marker.write_text(stamp, encoding="utf-8")


def offline_html(text: str, to_root: str) -> str:
    """One GE page with every network asset replaced by the site's own copy (``to_root``: "../../")."""
    vendor = f"{to_root}static/vendor/"

    def local(tag: re.Match) -> str:
        out = tag.group(0)
        for url, name in CDN.items():
            if f'"{url}"' in out:
                out = _SRI.sub("", out.replace(f'"{url}"', f'"{vendor}{name}"'))
        return out

    text = _VEGA.sub("", text)
    text = _TAG.sub(local, text)
    text = _CSS_LOGO.sub("none", text)  # the dark-mode navbar background: the <img> logo is enough
    text = _STATIC.sub(lambda m: f"{m.group(1)}{to_root}static/images/", text)
    return _LOGO.sub(lambda m: f'src="{to_root}static/images/{m.group(1)}"', text)


def make_offline(site: Path, pages: Iterable[Path]) -> None:
    """Rewrite the given pages of the site (those GE just rendered) to load nothing from the network."""
    install_vendor(site)
    for page in pages:
        if not page.exists():
            continue
        to_root = os.path.relpath(site, page.parent).replace(os.sep, "/")
        to_root = "" if to_root == "." else to_root + "/"
        text = page.read_text(encoding="utf-8")
        new = offline_html(text, to_root)
        if new != text:
            page.write_text(new, encoding="utf-8")


MANIFEST = "envoy_validations.json"
MARK_START, MARK_END = "<!-- envoy:summary -->", "<!-- /envoy:summary -->"


def _status(entry: dict) -> tuple[str, str]:
    """(text, css class) of one manifest entry."""
    if entry["success"]:
        return "passed", "ok"
    if entry.get("blocking", True):
        return f"FAILED ({entry['unsuccessful']} of {entry['evaluated']})", "fail"
    return f"articles quarantined ({entry['unsuccessful']} of {entry['evaluated']})", "warn"


def render_runs(history: list[dict], shown: int = 200) -> str:
    """The envoy run table (HTML fragment) for the newest ``shown`` manifest entries."""
    import jinja2

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    rows = [e | {"status": _status(e), "failed_text": "; ".join(e.get("failed", []))[:300]}
            for e in history[:shown]]
    return env.get_template("datadocs_runs.html.j2").render(rows=rows, total=len(history))


def write_summary(docs: Path, entries: list[dict], keep: int = 500) -> None:
    """Record this run's suites in the manifest (newest first) and put the run table at the top of the
    index GE just rendered (under its navbar), replacing the previous one."""
    manifest = docs / MANIFEST
    try:
        history = json.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        history = []
    history = (entries + history)[:keep]
    tmp = manifest.with_suffix(".tmp")
    tmp.write_text(json.dumps(history, indent=1), encoding="utf-8")
    os.replace(tmp, manifest)
    index = docs / "index.html"
    if not index.exists():
        return
    block = f"{MARK_START}\n{render_runs(history)}\n{MARK_END}"
    text = index.read_text(encoding="utf-8")
    if MARK_START in text:
        head, rest = text.split(MARK_START, 1)
        text = head + rest.split(MARK_END, 1)[-1]
    anchor = '<div class="container-fluid pt-4 pb-4 pl-5 pr-5">'  # GE's main column, below its navbar
    if anchor in text:
        text = text.replace(anchor, block + "\n" + anchor, 1)
    else:
        text = text.replace("<body>", "<body>\n" + block, 1)
    index.write_text(text, encoding="utf-8")
