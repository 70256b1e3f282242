"""Languages: Polish under /pl, English unprefixed, and catalogues that stay complete."""

import re
import subprocess
import sys
from gettext import c2py
from pathlib import Path

import pytest
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


# Each language's plural forms, as CLDR gives them: Polish and Romanian have three, Urdu two.
PLURALS = {"pl": (3, {1: 0, 2: 1, 5: 2, 22: 1, 25: 2}), "ro": (3, {1: 0, 2: 1, 19: 1, 20: 2, 101: 1}), "ur": (2, {1: 0, 2: 1})}


@pytest.mark.parametrize("code", sorted(PLURALS))
def test_every_string_is_translated_with_the_same_placeholders_and_plural_forms(code):
    catalogue = read_po((ROOT / "translations" / code / "LC_MESSAGES" / "messages.po").open("rb"))
    template = {str(m.id) for m in read_po((ROOT / "translations" / "messages.pot").open("rb")) if m.id}
    assert {str(m.id) for m in catalogue if m.id} == template
    count, forms = PLURALS[code]
    assert catalogue.num_plurals == count
    rule = c2py(catalogue.plural_expr)  # the header's own rule, as gettext applies it
    assert {n: rule(n) for n in forms} == forms
    for message in catalogue:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted = set(re.findall(r"%\(\w+\)s", "".join(ids)))
        if isinstance(message.id, tuple):
            assert len(strings) == count, message.id
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


@pytest.mark.parametrize(("code", "words", "meaning"), [
    ("pl", "dziecko", "child"), ("ro", "copil", "child"), ("ur", "بچہ", "child"),
    ("pl", "jedzenie", "food"), ("ro", "bani", "money"), ("ur", "پیسے", "money"),
])
def test_a_family_word_in_each_language_finds_services_about_it(client, code, words, meaning):
    def about_it(prefix):
        page = parse(client.get(f"{prefix}/services", query_string={"q": words}))
        cards = [text_of(card).casefold() for card in page.select(".app-result")[:5]]
        return sum(meaning in card for card in cards)

    assert about_it(f"/{code}") >= 4, (code, words)
    assert about_it("") < about_it(f"/{code}")  # in English the word means nothing: the language's own file found them


def test_settings_and_categories_are_shown_in_the_pages_language_with_english_where_missing(client):
    from app.site_settings import load_settings

    polish = parse(client.get("/pl/pages/urgent-help"))
    text = text_of(polish.select_one("main"))
    assert "Monday to Friday" not in text and "01632 960199" in text
    romanian = parse(client.get("/ro/services"))
    radio = romanian.select_one("form.app-filters input[name=category][value=pregnancy-birth-and-early-years]")
    label = text_of(romanian.select_one(f"label[for={radio['id']}]"))
    assert label.startswith("Sarcină, naștere și primii ani (")  # categories.toml, not the taxonomy's English
    urdu = parse(client.get("/ur/services/bromsgrove-baby-cafe"))
    links = {a["href"]: text_of(a) for a in urdu.select("main a[href*='category=']")}
    assert links == {"/ur/services?category=infant-feeding": "بچے کو دودھ پلانا اور کھلانا"}

    settings = load_settings(ROOT / "content" / "settings.toml")
    assert settings.in_language("ur").council["family_information_hours"] != settings.council["family_information_hours"]
    assert settings.in_language("xx") is settings  # a language the site does not offer: the English


def test_advice_found_by_a_search_is_in_the_pages_language_or_marked_as_english(client):
    page = parse(client.get("/ur/services?q=sleep"))
    items = {item.select_one("a")["href"]: item for item in page.select(".app-advice__item")}
    translated, english = items["/ur/start-for-life/safe-sleep"], items["/ur/start-for-life/toddler-sleep"]
    assert text_of(translated.select_one("a")) == "آپ کے بچے کے لیے محفوظ نیند" and translated.get("lang") is None
    assert (english.get("lang"), english.get("dir")) == ("en", "ltr")


@pytest.mark.parametrize(("code", "decimal"), [("en", r"\d\.\d"), ("pl", r"\d,\d"), ("ro", r"\d,\d"), ("ur", r"\d\.\d")])
def test_distances_and_days_are_written_the_languages_way(client, code, decimal):
    prefix = "" if code == "en" else f"/{code}"
    page = parse(client.get(f"{prefix}/services", query_string={"postcode": "WR5 1AA"}))
    distances = [text_of(dd) for dd in page.select(".app-result__distance")]
    assert distances and all(re.search(decimal, text) for text in distances[:5]), distances[:5]
    openings = " ".join(text_of(dd) for dd in page.select(".app-result__opening")).casefold()
    names = {"en": ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"),
             "pl": ("poniedziałek", "wtorek", "środa", "czwartek", "piątek", "sobota", "niedziela"),
             "ro": ("luni", "marți", "miercuri", "joi", "vineri", "sâmbătă", "duminică"),
             "ur": ("پیر", "منگل", "بدھ", "جمعرات", "جمعہ", "ہفتہ", "اتوار")}[code]
    assert any(name in openings for name in names), openings[:200]


def test_the_language_switch_lists_every_language_in_its_own_name_and_script(client):
    switch = parse(client.get("/ur/services?cost=free")).select_one(".app-language-switch")
    items = [(text_of(item), item.select_one("[lang]")["lang"], item.select_one("[lang]")["dir"]) for item in switch.select("li")]
    assert items == [("English", "en", "ltr"), ("Polski", "pl", "ltr"), ("Română", "ro", "ltr"), ("اردو", "ur", "rtl")]
    current = switch.select_one("[aria-current]")
    assert text_of(current) == "اردو" and current.name == "span"  # this page's language, not a link
    links = {a["lang"]: a["href"] for a in switch.select("a")}
    assert links == {"en": "/services?cost=free", "pl": "/pl/services?cost=free", "ro": "/ro/services?cost=free"}


@pytest.mark.parametrize("code", ["en", "pl", "ro", "ur"])
def test_the_search_boxs_own_examples_find_what_they_mean_in_each_language(client, code):
    """The hint says "for example ‘sleep’ or ‘money worries’" in the page's language: those words must work.
    (Polish "sen" is sleep: the English file's "SEN", special educational needs, gives way to it.)"""
    prefix = "" if code == "en" else f"/{code}"
    page = parse(client.get(f"{prefix}/services"))
    hint = text_of(page.select_one("#q-hint"))
    examples = re.findall(r"[‘„“\"]([^’”\"]+)[’”\"]", hint)
    assert len(examples) == 2, hint
    for example, meaning in zip(examples, ("sleep", "money"), strict=True):
        found = parse(client.get(f"{prefix}/services", query_string={"q": example}))
        first = [text_of(a).casefold() for a in found.select(".app-result h2 a")[:3]]
        assert len(first) == 3 and meaning in first[0], (example, first)


def test_an_untranslated_related_page_is_marked_english_yet_sits_in_the_urdu_list(client):
    page = parse(client.get("/ur/start-for-life/safe-sleep"))
    english = page.select_one("main a[href='/ur/start-for-life/toddler-sleep']")
    assert (english.get("lang"), english.get("dir")) == ("en", "ltr")  # read as English, left to right
    assert english.parent.get("dir") is None  # the list item follows the page: at the right, like the others
    translated = page.select_one("main a[href='/ur/start-for-life/crying-and-soothing']")
    assert translated.get("lang") is None and text_of(translated) != "Crying and soothing"
