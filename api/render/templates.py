"""The HTML pages' templates (api/templates/): one Jinja2 environment, autoescaping everything.

A value is escaped where a template prints it, unless it is `Markup`: the inline style sheets and
scripts (ours, allowed by their hashes), the charts' inline SVG (drawn by Vega) and fragments built
with `Markup(...).format(...)`, which escapes what it is given. Every template sees `text` (the
catalogue, `api.translations`), `html_text` (a sentence whose placeholders take HTML), `LANGS` and
`LANGUAGE_NAMES`.
"""

from __future__ import annotations

from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup, escape

from api.labels import LANGS, Lang
from api.translations import LANGUAGE_NAMES, text


def html_text(key: str, lang: Lang, /, **values: object) -> Markup:
    """The sentence `key` with its placeholders filled by HTML: the sentence is escaped, and so is every
    value that is not `Markup`."""
    return escape(text(key, lang)).format(**values)


ENVIRONMENT = Environment(
    loader=PackageLoader("api", "templates"),
    autoescape=True,
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)
ENVIRONMENT.globals.update(text=text, html_text=html_text, LANGS=LANGS, LANGUAGE_NAMES=LANGUAGE_NAMES)
# `tojson` (the landing page's JSON-LD): compact, and non-ASCII letters as they are.
ENVIRONMENT.policies["json.dumps_kwargs"] = {"ensure_ascii": False, "separators": (",", ":")}


def render(template: str, **context: Any) -> Markup:
    """The page or fragment `template` (a file of api/templates/) filled from `context`: HTML, safe to
    put into another template as it is."""
    return Markup(ENVIRONMENT.get_template(template).render(**context))  # noqa: S704 (autoescaped)


def render_page(
    template: str,
    *,
    lang: str,
    title: str,
    description: str,
    style: str = "",
    script: str = "",
    **context: Any,
) -> Markup:
    """A whole page on base.html: its language, title and description, and its inline style sheet and
    script, which are ours (api/templates/assets/) and go in as they are, allowed by their hashes."""
    return render(
        template,
        lang=lang,
        title=title,
        description=description,
        style=Markup(style),  # noqa: S704 (our own style sheet)
        script=Markup(script),  # noqa: S704 (our own script)
        **context,
    )


def asset(name: str, **context: Any) -> str:
    """An inline style sheet or script of api/templates/assets/, as the page carries it (its CSP hash is
    the hash of this text)."""
    return str(render(f"assets/{name}", **context))
