"""What the chart gallery and the chart pages share: their style sheet and policy pieces (their layout is
api/templates/base.html).

One inline style sheet, allowed by its hash; the colours follow the reader's light or dark setting.
"""

from __future__ import annotations

import base64
import hashlib
from urllib.parse import urlencode

STYLE = (
    ":root{--fg:#1b1b1b;--bg:#fff;--muted:#4a4a4a;--line:#c8c8c8;--link:#0b57a4;--card:#f6f6f6;"
    "--warn-bg:#fff4d6;--warn-fg:#4d3800;color-scheme:light dark}"
    "@media (prefers-color-scheme:dark){:root{--fg:#ececec;--bg:#141414;--muted:#c4c4c4;--line:#555;"
    "--link:#8cc4ff;--card:#1f1f1f;--warn-bg:#3a2e00;--warn-fg:#ffe7a3}}"
    "*{box-sizing:border-box}"
    "body{margin:0;background:var(--bg);color:var(--fg);overflow-wrap:anywhere;"
    "font:1rem/1.5 system-ui,-apple-system,'Segoe UI',Roboto,'Noto Sans',sans-serif}"
    ".page{max-width:72rem;margin:0 auto;padding:1rem}"
    "a{color:var(--link)}"
    "a:focus-visible,button:focus-visible,select:focus-visible,input:focus-visible,textarea:focus-visible,"
    "[tabindex]:focus-visible{outline:3px solid var(--link);outline-offset:2px}"
    ".skip{position:absolute;left:-999px}.skip:focus{left:1rem;top:1rem;background:var(--bg);padding:.5rem}"
    "nav ul{list-style:none;display:flex;flex-wrap:wrap;gap:.25rem 1rem;padding:0;margin:0 0 .75rem}"
    "h1{font-size:1.7rem;line-height:1.2;margin:.25rem 0 .5rem}"
    "h2{font-size:1.25rem;margin:1.75rem 0 .5rem;border-top:1px solid var(--line);padding-top:1rem}"
    ".muted{color:var(--muted)}"
    ".note{background:var(--warn-bg);color:var(--warn-fg);padding:.6rem .9rem;"
    "border-left:6px solid currentColor}"
    ".badge{display:inline-block;background:var(--warn-bg);color:var(--warn-fg);font-size:.8rem;"
    "padding:.1rem .4rem;margin:.25rem 0}"
    "ul.cards{list-style:none;padding:0;margin:0;display:grid;gap:1rem;"
    "grid-template-columns:repeat(auto-fill,minmax(min(100%,17rem),1fr))}"
    "ul.cards li{background:var(--card);border:1px solid var(--line);padding:.6rem}"
    "ul.cards a{display:block;text-decoration:none;color:inherit}"
    "ul.cards a:hover .card-title,ul.cards a:focus .card-title{text-decoration:underline}"
    ".card-title{display:block;font-weight:700;color:var(--link);margin-top:.4rem}"
    ".thumb svg{display:block;width:100%;height:auto;color:var(--fg)}"
    "ul.cards p{margin:.3rem 0 0;font-size:.9rem;color:var(--muted)}"
    "iframe.preview{display:block;width:100%;border:1px solid var(--line);background:#fff}"
    "form.view{display:grid;gap:.6rem 1rem;"
    "grid-template-columns:repeat(auto-fill,minmax(min(100%,12rem),1fr));"
    "align-items:end}"
    "form.view label{display:flex;flex-direction:column;font-size:.9rem;gap:.2rem}"
    "select,input,button,textarea{font:inherit;max-width:100%}"
    "select,input{padding:.3rem;background:var(--bg);color:var(--fg);border:1px solid var(--muted)}"
    "button{padding:.35rem .9rem;border:1px solid var(--link);background:var(--link);color:var(--bg);"
    "cursor:pointer}"
    "button.copy{background:transparent;color:var(--link);padding:.15rem .6rem;margin:.25rem 0}"
    "textarea{display:block;width:100%;background:var(--card);color:var(--fg);border:1px solid var(--line);"
    "font-family:ui-monospace,'Liberation Mono',monospace;font-size:.85rem}"
    ".scroll{overflow-x:auto;max-width:100%}"
    "table{border-collapse:collapse;font-variant-numeric:tabular-nums;font-size:.9rem}"
    "th,td{border:1px solid var(--line);padding:.2rem .5rem;text-align:right;vertical-align:top}"
    "th[scope=row],thead th{text-align:left}"
    "td.hidden{font-style:italic;color:var(--muted)}"
    "dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem}"
    "dl.facts dt{color:var(--muted)}dl.facts dd{margin:0}"
    "blockquote{margin:0;padding:.5rem 1rem;border-left:4px solid var(--line)}"
    "ul.files{display:flex;flex-wrap:wrap;gap:.25rem 1.25rem;padding-left:1.2rem}"
    ".summary{font-size:1.1rem}"
    ".block{margin:.75rem 0}"
)


def sha256_source(source: str) -> str:
    """A CSP source allowing one inline block by its SHA-256."""
    digest = base64.b64encode(hashlib.sha256(source.encode("utf-8")).digest()).decode("ascii")
    return f"'sha256-{digest}'"


def url(path: str, params: list[tuple[str, str]]) -> str:
    return f"{path}?{urlencode(params)}" if params else path
