"""A result card's parts that are the same for every search, rendered once per language.

A result card (``directory/_result.html``) shows a listing's organisation,
summary, area, cost and ages, which change only when the listing does, beside
what each search makes its own: the link back to the results, the distance,
"Open now until 5pm" and the list button. The first kind is rendered from
``directory/_result_parts.html`` once per listing and language, and kept while
the listing is the same (a changed listing is a new key): a results page of 20
cards asked the catalogue for about a hundred strings to say the same things
every time.
"""

from collections import OrderedDict
from threading import Lock

from flask import current_app, g, url_for
from markupsafe import Markup

from app.languages import current_language

PLACEHOLDER = "0-slug-0"  # a slug's place in the link (the path comes before any query)
KEPT = 20_000  # parts of this many cards per process, oldest forgotten first (about 1.5 KB each)


class CardParts:
    def __init__(self, size=KEPT):
        self.size = size
        self._parts = OrderedDict()
        self._lock = Lock()

    def of(self, listing):
        """``{"lead": …, "area": …, "facts": …}``: pieces of HTML for ``listing`` in this request's language."""
        key = (current_language(), listing)  # a Listing is frozen: equal data, equal key
        with self._lock:
            parts = self._parts.get(key)
            if parts is not None:
                self._parts.move_to_end(key)
                return parts
        parts = render(listing)
        with self._lock:
            self._parts[key] = parts
            while len(self._parts) > self.size:
                self._parts.popitem(last=False)
        return parts

    def clear(self):
        with self._lock:
            self._parts.clear()

    def __len__(self):
        return len(self._parts)


def service_link(slug, args=None):
    """``url_for("directory.service", slug=slug, **args)``, built once per page for all its cards.

    Slugs are lower-case letters, digits and hyphens, which a URL's path takes as
    they are, so the link made for a placeholder is the link for every slug.
    """
    links = g.setdefault("service_links", {})
    key = tuple(sorted((args or {}).items()))
    around = links.get(key)
    if around is None:
        around = links[key] = url_for("directory.service", slug=PLACEHOLDER, **(args or {})).split(PLACEHOLDER, 1)
    return f"{around[0]}{slug}{around[1]}"


def render(listing):
    module = current_app.jinja_env.get_template("directory/_result_parts.html").make_module(
        {"listing": listing, "council": current_app.extensions["site_settings"].council}
    )
    return {name: Markup(str(getattr(module, name)).strip()) for name in ("lead", "area", "facts")}


def init_app(app):
    parts = app.extensions["card_parts"] = CardParts()
    app.jinja_env.globals.update(card_parts=parts.of, service_link=service_link)
