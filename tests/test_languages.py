"""Languages: Polish under /pl, English unprefixed, and catalogues that stay complete."""

import re
import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po

from tests.pages import heading, parse, text_of

ROOT = Path(__file__).resolve().parents[1]


def test_english_has_no_prefix_and_says_so(client):
    soup = parse(client.get("/services"))
    assert soup.html["lang"] == "en" and soup.html["dir"] == "ltr"
    assert heading(soup) == "Find a service"


def test_polish_pages_are_in_polish_and_stay_in_polish(client):
    soup = parse(client.get("/pl/services"))
    assert soup.html["lang"] == "pl" and soup.html["dir"] == "ltr"
    assert heading(soup) == "Znajdź usługę"
    assert text_of(soup.select_one(".govuk-exit-this-page a")) == "Awaryjnie Wyjdź z tej strony"
    first_result = soup.select_one(".app-result h2 a")["href"]
    assert first_result.startswith("/pl/services/")
    assert soup.select_one("form.app-filters")["action"] == "/pl/services"
    assert {a["href"] for a in soup.select("footer a")} >= {"/pl/pages/privacy"}
    service = parse(client.get(first_result))
    assert "Jak uzyskać tę pomoc" in [text_of(h) for h in service.select("main h2")]


def test_the_language_switch_links_to_the_same_page(client):
    soup = parse(client.get("/services?district=worcester&cost=free"))
    switch = soup.select_one(".app-language-switch a[lang=pl]")
    assert switch["href"] == "/pl/services?district=worcester&cost=free"
    assert text_of(switch) == "Polski"
    back = parse(client.get(switch["href"])).select_one(".app-language-switch a[lang=en]")
    assert back["href"] == "/services?district=worcester&cost=free"


def test_a_language_that_is_not_enabled_is_not_found(client):
    assert client.get("/fr/services").status_code == 404


def test_the_translation_template_is_up_to_date(tmp_path):
    """Fails when a translatable string was added or changed without `make catalogue`."""
    fresh = tmp_path / "messages.pot"
    subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "babel.cfg", "-k", "lazy_gettext",
         "-k", "_l", "--no-location", "--sort-output", "--omit-header", "-o", str(fresh), "."],
        cwd=ROOT, check=True, capture_output=True,
    )
    committed = ROOT / "translations" / "messages.pot"

    def ids(path):
        return sorted(str(m.id) for m in read_po(path.open("rb")) if m.id)

    assert ids(fresh) == ids(committed), "Run `make catalogue` and translate the new strings"


def test_every_polish_string_is_translated_with_the_same_placeholders():
    catalogue = read_po((ROOT / "translations" / "pl" / "LC_MESSAGES" / "messages.po").open("rb"))
    template = {str(m.id) for m in read_po((ROOT / "translations" / "messages.pot").open("rb")) if m.id}
    assert {str(m.id) for m in catalogue if m.id} == template
    for message in catalogue:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted = set(re.findall(r"%\(\w+\)s", "".join(ids)))
        for string in strings:
            assert string, f"untranslated: {message.id}"
            found = set(re.findall(r"%\(\w+\)s", string))
            assert found <= wanted and wanted - {"%(num)s"} <= found, (message.id, string)
        assert not message.fuzzy, message.id


def test_the_catalogue_kept_for_a_request_follows_a_forced_locale(app):
    """app.languages.translate keeps the request's catalogue, yet an English email written during a
    Polish request (flask_babel.force_locale) is in English, and the page goes on in Polish."""
    from flask import render_template_string
    from flask_babel import force_locale

    from app.languages import LANGUAGE_KEY, translate, translate_plural

    with app.test_request_context("/services", environ_base={LANGUAGE_KEY: "pl", "SCRIPT_NAME": "/pl"}):
        assert translate("Error") == "Błąd"
        assert render_template_string("{{ _('Error') }}") == "Błąd"
        with force_locale("en"):
            assert translate("Error") == "Error"
            assert render_template_string("{{ _('Error') }}") == "Error"
            assert translate_plural("%(num)s service", "%(num)s services", 2) == "2 services"
        assert translate("Error") == "Błąd"
        assert render_template_string("{{ _('Error') }}") == "Błąd"
