"""Languages: ``/pl/services`` is ``/services`` in Polish; English has no prefix.

A small WSGI middleware moves an enabled language's prefix from the path into
``SCRIPT_NAME``. Flask then routes the rest of the path as usual, and every
``url_for`` in a Polish page stays in Polish without any view knowing.
"""

from functools import wraps

from flask import current_app, g, request
from flask_babel import get_translations
from markupsafe import Markup

LANGUAGE_KEY = "familyhub.language"
ROOT_KEY = "familyhub.root"


class LanguagePrefix:
    def __init__(self, wsgi_app, prefixed_codes):
        self.wsgi_app = wsgi_app
        self.prefixed_codes = frozenset(prefixed_codes)

    def __call__(self, environ, start_response):
        root = environ.get("SCRIPT_NAME", "")
        environ[ROOT_KEY] = root
        path = environ.get("PATH_INFO", "")
        first, _, rest = path.lstrip("/").partition("/")
        if first in self.prefixed_codes:
            environ[LANGUAGE_KEY] = first
            environ["SCRIPT_NAME"] = f"{root}/{first}"
            environ["PATH_INFO"] = "/" + rest
        return self.wsgi_app(environ, start_response)


def current_language():
    """The code of the language of this request (``en`` outside a request)."""
    try:
        return request.environ.get(LANGUAGE_KEY, "en")
    except RuntimeError:
        return "en"


def site_root():
    """The site's root URL path, without any language prefix."""
    return request.environ.get(ROOT_KEY, "")


def url_in_language(code):
    """This page's URL (with its query string) in another language."""
    prefix = "" if code == "en" else f"/{code}"
    query = request.query_string.decode("latin-1")
    return f"{site_root()}{prefix}{request.path}" + (f"?{query}" if query else "")


def language_links():
    """Every language this page is offered in, each in its own name and script, for the language switch:
    this page's own is marked ``current`` (and not linked)."""
    here = current_language()
    settings = current_app.extensions["site_settings"]
    return [
        {"code": language.code, "name": language.name, "direction": language.direction,
         "href": url_in_language(language.code), "current": language.code == here}
        for language in settings.languages
    ]


def alternate_links():
    """This page in every language, as full URLs, for ``<link rel="alternate" hreflang>``.

    They start with ``SITE_URL``, never with the Host the request came with: the
    page is kept in the cache and shown to everyone, and anyone can send any Host.
    """
    settings = current_app.extensions["site_settings"]
    host = current_app.config["SITE_URL"]
    links = [{"hreflang": language.code, "href": host + url_in_language(language.code)} for language in settings.languages]
    return links + [{"hreflang": "x-default", "href": host + url_in_language("en")}]


def request_translations():
    """The catalogue of this request's language, found once per request and per locale.

    Flask-Babel keeps the request's locale on ``g._flask_babel.babel_locale``
    (``force_locale`` changes it, for an email in English); the catalogue found
    for that locale is kept beside it, and found again when the locale changes.
    """
    state = g.get("_flask_babel")
    locale = getattr(state, "babel_locale", None)
    kept = getattr(state, "familyhub_translations", None)
    if kept is not None and kept[0] is locale:
        return kept[1]
    translations = get_translations()
    state = g.get("_flask_babel")  # made by the first look-up
    locale = getattr(state, "babel_locale", None)
    if locale is not None:
        state.familyhub_translations = (locale, translations)
    return translations


def translate(string, **variables):
    """``flask_babel.gettext``, with the request's catalogue found once (for code a page calls many times)."""
    translated = request_translations().ugettext(string)
    return translated % variables if variables else translated


def translate_plural(singular, plural, num, **variables):
    """``flask_babel.ngettext``, likewise: ``num`` is given to the text as ``%(num)s``."""
    variables.setdefault("num", num)
    return request_translations().ungettext(singular, plural, num) % variables


def once_per_language(make):
    """``make()`` (words a page uses many times, translated) called once per language, then kept:
    ``@once_per_language`` on a function that takes nothing."""
    kept = {}

    @wraps(make)
    def in_this_language():
        language = current_language()
        found = kept.get(language)
        if found is None:
            found = kept[language] = make()
        return found

    return in_this_language


def text_in(code="en"):
    """`` lang="en"`` (and ``dir``) for an element holding text in another language than the page's:
    the directory's own words, in English, on a Polish or Urdu page. Screen readers then read it as
    English, and in an Urdu page it keeps its own direction. Nothing on a page in that language."""
    page = current_language()
    if page == code:
        return Markup("")
    settings = current_app.extensions["site_settings"]
    direction = settings.language(code).direction
    if settings.language(page).direction != direction:
        return Markup(f' lang="{code}" dir="{direction}"')
    return Markup(f' lang="{code}"')
