"""Jinja set-up: the GOV.UK Frontend macros, site settings and small formatting filters."""

import json
import sys
from collections import ChainMap
from datetime import date
from pathlib import Path

from flask import current_app, request
from flask import templating as flask_templating
from flask_babel import format_date
from jinja2 import ChoiceLoader, FileSystemLoader, PackageLoader, PrefixLoader, Undefined
from markupsafe import Markup, escape

from app.domain.phones import link_phones, tel_link
from app.languages import alternate_links, current_language, language_links, request_translations, site_root, text_in
from app.page_cache import TimedCache

KEPT_FRAGMENTS = 512  # rendered pieces of the layout kept per process, the oldest forgotten first


class TemplateGlobals(ChainMap):
    """A template's globals as Jinja keeps them (its own over the environment's), whose keys are a set.

    On every ``{% from … import … %}`` Jinja subtracts these keys from the
    importing page's, and a ChainMap's own view of its keys answers that one key
    at a time in Python. GOV.UK Frontend's macros import one another about a
    hundred times on a results page, so that subtraction was a tenth of its
    rendering. A set answers it at once, with the same keys.
    """

    def keys(self):
        return set().union(*self.maps)


class Environment(flask_templating.Environment):
    """Flask's Jinja environment, with ``TemplateGlobals`` for each template's globals."""

    def make_globals(self, d):
        return TemplateGlobals({} if d is None else d, self.globals)


def init_app(app):
    app.jinja_loader = ChoiceLoader(
        [
            FileSystemLoader(app.root_path + "/templates"),
            PrefixLoader({"govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja")}),
        ]
    )
    app.jinja_env.add_extension("jinja2.ext.do")
    # Flask-Babel's own callables find the request's catalogue afresh for every string (about
    # 15 µs each, and a results page asks for 150); these keep it for the request.
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: request_translations().ugettext(s),
        ngettext=lambda s, p, n: request_translations().ungettext(s, p, n),
        pgettext=lambda c, s: request_translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: request_translations().unpgettext(c, s, p, n),
        newstyle=True,
    )
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    # A place to keep compiled templates between apps (tests build hundreds of apps from the same templates).
    if app.config.get("TEMPLATE_BYTECODE_CACHE") is not None:
        app.jinja_env.bytecode_cache = app.config["TEMPLATE_BYTECODE_CACHE"]
    if app.config.get("STRICT_TEMPLATES"):
        app.jinja_env.undefined = OwnTemplatesStrictUndefined

    settings = app.extensions["site_settings"]
    hashed = built_names(Path(app.static_folder))

    def asset_path(filename):
        """A static file's URL, outside any language prefix: its name with its content's hash, which
        browsers keep for a year (assets/build.py names them and writes the manifest)."""
        return f"{site_root()}/static/{hashed.get(filename, filename)}"

    @app.context_processor
    def site_context():
        code = current_language()
        local = settings.in_language(code)
        return {
            "settings": local,
            "council": local.council,
            "language": settings.language(code),
            "language_links": language_links,
            "alternate_links": alternate_links,
            "asset_path": asset_path,
            "site_root": site_root(),
        }

    fragments = app.extensions["fragments"] = Fragments()
    app.jinja_env.globals["kept_fragment"] = fragments.kept
    app.jinja_env.filters["long_date"] = long_date
    # Every phone number shown is a link that calls it: `tel` for one number, `link_phones` for an editor's text.
    app.jinja_env.filters["tel"] = tel_link
    app.jinja_env.filters["link_phones"] = link_phones
    app.jinja_env.globals.update(form_error_list=form_error_list, html_lang_attributes=html_lang_attributes,
                                 text_in=text_in)
    app.jinja_env.filters["english"] = in_english
    app.jinja_env.globals["page_in_language"] = page_in_language


class Fragments:
    """Pieces of the layout that are the same on many pages (the header, the footer, Exit this page),
    rendered once for each language and each of the few things they depend on, then reused:

        {% call kept_fragment("footer") %}…{% endcall %}

    The key is the piece's name, the page's language and URL root, and whatever else the template
    passes (say, which part of the site is active). The layout's macros took a fifth of a page's time.
    """

    def __init__(self, size=KEPT_FRAGMENTS):
        self._kept = TimedCache(size=size)

    def kept(self, name, *key, caller):
        full = (name, current_language(), request.script_root, *key)
        html = self._kept.get(full)
        if html is None:
            html = Markup(caller())
            self._kept.put(full, html)
        return html

    def __len__(self):
        return len(self._kept)


def built_names(folder):
    """The built assets' names with their content hashes (``manifest.json``), or none before a build."""
    try:
        return json.loads((folder / "manifest.json").read_text())
    except (OSError, ValueError):
        return {}


def form_error_list(form):
    """Each field's first error, linked to the field, for the error summary (the fields of a list of
    subforms, such as a service's weekly sessions, each in its place)."""
    found = []
    for field in form:
        if field.type == "FieldList":
            for entry in field:
                found += form_error_list(entry.form) if hasattr(entry, "form") else []
        elif field.errors:
            found.append({"text": field.errors[0], "href": f"#{field.id}"})
    return found


def html_lang_attributes(language):
    """``lang`` and ``dir`` for the <html> element.

    The page template writes its ``htmlLang`` inside ``lang="…"``; the direction
    is added the same way. Both values come from the settings and are checked.
    """
    code = language.code if language.code.replace("-", "").isalnum() else "en"
    direction = "rtl" if language.direction == "rtl" else "ltr"
    return Markup(f'{code}" dir="{direction}')


def page_in_language(section, slug):
    """A content page in the request's language, or in English where it has none (None if there is no such page)."""
    library = current_app.extensions.get("content")
    return library.find(section, slug, current_language()) if library is not None else None


def in_english(text):
    """The directory's words (a name, a fee) inside a sentence of the page's language: in a span marked English."""
    attributes = text_in()
    return Markup(f"<span{attributes}>{escape(text)}</span>") if attributes else escape(text)


OWN_TEMPLATES = str(Path(__file__).resolve().parent / "templates")


class OwnTemplatesStrictUndefined(Undefined):
    """Fails loudly on an undefined name used in our own templates.

    GOV.UK Frontend's macros test optional parameters by using them, so inside
    those macros an undefined value stays quiet, as Jinja's default does.
    """

    __slots__ = ()

    @staticmethod
    def _in_own_template():
        frame = sys._getframe(2)
        while frame is not None:
            filename = frame.f_code.co_filename
            if filename.endswith(".html"):
                return filename.startswith(OWN_TEMPLATES)
            frame = frame.f_back
        return False

    def _check(self):
        if self._in_own_template():
            self._fail_with_undefined_error()

    def __str__(self):
        self._check()
        return ""

    def __iter__(self):
        self._check()
        return iter(())

    def __bool__(self):
        self._check()
        return False

    def __len__(self):
        self._check()
        return 0


def long_date(value):
    """A date (or an ISO date) as GOV.UK writes it: 14 November 2026."""
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value)
        except ValueError:
            return ""
    if not isinstance(value, date):
        return ""
    return format_date(value, "d MMMM yyyy")
