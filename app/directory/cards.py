"""Result cards: a service as search results, content pages' "Services near you" and lists show it.

A card shows a listing's organisation, summary, area, cost and ages, which
change only when the listing does, beside what each search makes its own: the
link back to the results, the distance, "Open now until 5pm" and the list
button. The first kind is rendered from ``directory/_result_parts.html`` once
per listing and language, and kept while the listing is the same (a changed
listing is a new key). The card around them is written here: a results page has
twenty, and as a template each took some thirty template calls and a dozen
look-ups in the catalogue to say the same things every time.
"""

from flask import current_app, g, url_for
from markupsafe import Markup, escape

from app.directory.presenters import listing_opening, miles_away
from app.languages import current_language, once_per_language, text_in
from app.languages import translate as _
from app.page_cache import TimedCache
from app.signposting import list_toggle

PLACEHOLDER = "0-slug-0"  # a slug's place in the link (the path comes before any query)
KEPT = 5_000  # parts of this many cards per process, the least recently shown forgotten first (about 1.5 KB each)


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


@once_per_language
def card_words():
    return {
        "where": _("Where:"), "area": _("Area:"), "when": _("When:"),
        "also": _("also online or by phone"), "anywhere": _("Online or by phone, wherever you live"),
    }


def result_card(result, point=None, heading="h2", args=None):
    """One result's card (``<li>``); ``point``: where the family is, if they gave a postcode; ``args``:
    the search its link carries back; ``heading``: the name's heading level."""
    if heading not in ("h2", "h3"):
        raise ValueError(f"a card's heading is h2 or h3, not {heading!r}")
    listing = result.listing
    # A Listing is frozen: equal data, equal key, so a changed listing's parts are made again.
    parts = current_app.extensions["card_parts"].get_or_build((current_language(), listing), lambda: render(listing))
    words = card_words()
    if point:
        if result.miles is not None:
            where = escape(miles_away(result.miles)) + (Markup("; ") + words["also"] if listing.anywhere else "")
        elif listing.anywhere:
            where = escape(words["anywhere"])
        else:
            where = parts["area"]
        place = f'    <dt>{escape(words["where"])}</dt>\n    <dd class="app-result__distance">{where}</dd>\n'
    else:
        place = f'    <dt>{escape(words["area"])}</dt>\n    <dd>{parts["area"]}</dd>\n'
    opening = listing_opening(listing) if listing.status != "temporarily closed" else None
    when = (f'    <dt>{escape(words["when"])}</dt>\n    <dd class="app-result__opening">{escape(opening)}</dd>\n'
            if opening else "")
    toggle = list_toggle(listing.slug, listing.name) if g.get("shortlist") is not None else ""
    return Markup(
        f'<li class="app-result">\n'
        f'  <{heading} class="govuk-heading-m govuk-!-margin-bottom-1">\n'
        f'    <a class="govuk-link" href="{escape(service_link(listing.slug, args))}"{text_in()}>{escape(listing.name)}</a>\n'
        f'  </{heading}>\n'
        f'  {parts["lead"]}\n'
        f'  <dl class="app-result__meta">\n{place}{when}    {parts["facts"]}\n  </dl>\n'
        f'  {toggle}</li>\n'
    )


def render(listing):
    module = current_app.jinja_env.get_template("directory/_result_parts.html").make_module(
        {"listing": listing, "council": current_app.extensions["site_settings"].council}
    )
    return {name: Markup(str(getattr(module, name)).strip()) for name in ("lead", "area", "facts")}


def init_app(app):
    app.extensions["card_parts"] = TimedCache(size=KEPT)
    app.jinja_env.globals.update(result_card=result_card)
