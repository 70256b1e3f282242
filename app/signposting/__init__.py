"""Signposting: a list of services a family or a professional builds, prints and shares.

The list travels in the query string (``s``) of the pages that carry it: search
results, service pages, the list itself and the content pages that end with
"Services near you for this". Every link those pages make to each other keeps
it, so the header can show "Your list (3)" with no cookie.
"""

from urllib.parse import urlencode

from flask import Blueprint, g, request, url_for
from markupsafe import Markup, escape

from app.directory.forms import BrowseForm
from app.languages import once_per_language
from app.languages import translate as _

bp = Blueprint("signposting", __name__)

CARRIERS = frozenset({
    "directory.browse", "directory.service", "signposting.shortlist",
    "content.start_for_life_page", "content.page",
})
# What werkzeug leaves unquoted in a query string's values (its own url_for builds them so).
QUERY_SAFE = "!$'()*,/:;?@"
# The query parameters a page keeps when its own "Add to list" link changes the list.
KEPT = {
    "directory.browse": BrowseForm.parameters(),
    "content.start_for_life_page": ("postcode",),
    "content.page": ("postcode",),
}


def init_app(app):
    from app.signposting.lists import MAXIMUM, resolve

    @app.before_request
    def read_the_list():
        if request.endpoint in CARRIERS:
            g.shortlist = resolve(request.args.getlist("s"))

    @app.url_defaults
    def carry_the_list(endpoint, values):
        if endpoint in CARRIERS and "s" not in values:
            shortlist = g.get("shortlist")
            if shortlist:
                values["s"] = shortlist.param()

    @app.context_processor
    def the_list():
        return {"shortlist": g.get("shortlist"), "list_maximum": MAXIMUM}

    app.jinja_env.globals.update(here_with=here_with, list_toggle=list_toggle)


def here_with(s, anchor=None):
    """This page's URL with the list ``s`` instead of the current one, and its other filters kept.

    A results page asks this for each of its cards: the URL without the list is
    built once per request, and each call adds its own ``s`` and anchor to it as
    ``url_for`` would (the list is the last parameter; anchors are ``list-`` and
    a slug, which need no quoting).
    """
    base = g.get("here_without_list")
    if base is None:
        values = {name: request.args.getlist(name) for name in KEPT.get(request.endpoint, ()) if name in request.args}
        values.update(request.view_args or {})
        base = g.here_without_list = url_for(request.endpoint, **values, s=None)
    url = base if s is None else f"{base}{'&' if '?' in base else '?'}{urlencode({'s': s}, safe=QUERY_SAFE)}"
    return f"{url}#{anchor}" if anchor else url


from app.signposting import views  # noqa: E402,F401


@once_per_language
def _toggle_words():
    return _("In your list"), _("Remove from list"), _("Add to list")


def list_toggle(slug, name):
    """"Add to list" or "Remove from list" for one service: a link to this page with the list changed.

    The id is the link's target, so the page opens where it was and the next Tab
    reaches the link again; the script changes the words and the tag in place.
    A results page shows one per card, so it is written here rather than by a macro.
    """
    words = _toggle_words()
    shortlist = g.shortlist
    listed = slug in shortlist
    href = here_with(shortlist.toggled(slug), f"list-{slug}")
    return Markup(
        f'<p class="govuk-body app-list-toggle" id="list-{escape(slug)}">\n'
        f'  <strong class="govuk-tag govuk-tag--green app-list-toggle__tag"{"" if listed else " hidden"}>{escape(words[0])}</strong>\n'
        f'  <a class="govuk-link" href="{escape(href)}" rel="nofollow" data-list-toggle="{escape(slug)}">'
        f'{escape(words[1] if listed else words[2])}<span class="govuk-visually-hidden">: {escape(name)}</span>\n'
        f'  </a>\n</p>\n'
    )
