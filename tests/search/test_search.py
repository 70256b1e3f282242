"""Searching /services: words as families type them, postcodes, and what the page says."""

import math
import re
from urllib.parse import urlencode

import pytest

from app.search import search_service
from app.search.queries import parse, typo_distance
from app.search.schema import index_terms
from app.search.synonyms import parse_synonyms
from tests.pages import parse as parse_page
from tests.pages import result_count, result_names, text_of


def search(client, **params):
    return parse_page(client.get("/services?" + urlencode(params)))


def names(client, **params):
    return result_names(search(client, **params))


def test_words_are_stemmed(client):
    assert names(client, q="tantrum") == names(client, q="tantrums")
    assert names(client, q="tantrum")


def test_a_match_in_the_name_ranks_above_one_in_the_description(client):
    found = names(client, q="speech")
    assert found[0] == "Speech and language advice line"
    assert any("speech" not in name.casefold() for name in found)  # others only mention it
    assert all("speech" in name.casefold() for name in found[:2])


def test_typos_are_forgiven_one_edit_from_five_letters_two_from_nine():
    assert [typo_distance(w) for w in ("sleep", "slep", "breastfed", "breastfeeding")] == [1, 0, 2, 2]


def test_a_misspelt_search_finds_what_the_right_spelling_finds(client):
    right = names(client, q="breastfeeding")
    assert right
    assert set(names(client, q="breastfeding")[:5]) <= set(right)
    assert names(client, q="speach")[0] == "Speech and language advice line"


def test_did_you_mean_offers_the_index_word_when_a_search_finds_little(client):
    soup = search(client, q="chaterbox")
    link = soup.select_one("#suggestion a")
    assert text_of(link) == "chatterbox"
    assert "q=chatterbox" in link["href"]
    soup = search(client, q="slep")  # too short to forgive, so nothing found: a suggestion instead
    assert result_count(soup) == 0
    assert text_of(soup.select_one("#suggestion a")) == "sleep"


def test_family_words_find_service_words(client):
    money = names(client, q="skint")
    assert money and all(re.search(r"money|debt|benefit|food", name, re.I) for name in money[:3])
    blues = names(client, q="baby blues")
    assert "Feeling low after baby – online group" in blues[:5]
    assert any("bully" in name.casefold() or "bullying" in name.casefold() for name in names(client, q="bully")[:3])


@pytest.mark.parametrize(("language", "least"), [("en", 60), ("pl", 30), ("ro", 30), ("ur", 30)])
def test_each_languages_synonyms_file_is_large_and_every_service_word_is_in_the_index(app, language, least):
    folder = app.config["CONTENT_DIR"] / ("" if language == "en" else language) / "search"
    lines = [line for line in (folder / "synonyms.txt").read_text().splitlines() if line.strip() and not line.startswith("#")]
    assert len(lines) >= least
    with app.app_context():
        service = search_service()
        directory = service.directory()
        reader = directory.searcher.reader()
        entries = service.synonyms.of(language).entries
        assert len(entries) >= least
        unknown = {
            word
            for alternatives in entries.values()
            for words in alternatives
            for word in words
            for term in index_terms(word)
            if not any(reader.doc_frequency(field, term) for field in ("name", "category", "organization", "description"))
        }
        assert not unknown, f"synonyms lead to words no service uses: {sorted(unknown)}"


def test_quoted_phrases_must_appear_as_written(client):
    phrase = names(client, q='"stay and play"')
    loose = names(client, q="stay play")
    assert phrase and len(phrase) <= len(loose)
    assert all("Stay and Play" in name for name in phrase[:5])


def test_query_syntax_typed_by_accident_means_nothing_special(client):
    assert names(client, q="stay AND play") == names(client, q="stay and play")
    assert names(client, q="stay* (play)") == names(client, q="stay play")
    assert names(client, q="name:stay play") == names(client, q="name stay play")
    assert names(client, q="NOT money") == names(client, q="money")
    for text in ('"', "((", "*", "AND OR NOT", "title:", "[a TO z]", "~2", "^3"):
        assert client.get("/services?" + urlencode({"q": text})).status_code == 200


def test_parsing_keeps_words_and_quoted_phrases_only():
    none = parse_synonyms("")
    assert [unit.text for unit in parse('speech* AND (therapy) "stay and play', none)] == ["speech", "therapy", "stay", "play"]
    assert [unit.text for unit in parse('title:speech "stay and play"', none)] == ["title", "speech", '"stay and play"']
    assert parse("", none) == [] and parse("the and of", none) == []
    family = parse("my baby has the baby blues", parse_synonyms("baby blues = perinatal mental health"))
    assert [(unit.words, unit.alternatives) for unit in family] == [
        (("baby",), ()), (("baby", "blues"), (("perinatal", "mental", "health"),))]


def test_content_pages_are_found_too(client):
    soup = search(client, q="privacy")
    advice = soup.select_one(".app-advice")
    assert advice is not None
    assert advice.select_one("a")["href"].endswith("/pages/privacy")


# Where


def test_a_postcode_is_tidied_and_each_result_says_how_far_away_it_is(client):
    soup = search(client, q="stay and play", postcode="wr1 2ab")
    assert soup.select_one("#postcode")["value"] == "WR1 2AB"
    distances = [text_of(d) for d in soup.select(".app-result__distance")]
    assert distances and all(re.search(r"miles away|Online or by phone", d) for d in distances)


def test_nearest_first_sorts_by_distance(client):
    soup = search(client, postcode="DY11 7WF", sort="distance")
    miles = [float(m) for m in re.findall(r"([\d.]+) miles away", " ".join(text_of(d) for d in soup.select(".app-result__distance")))]
    assert len(miles) >= 10 and miles == sorted(miles)
    near_worcester = names(client, q="stay and play", postcode="WR5 2NP")
    near_kidderminster = names(client, q="stay and play", postcode="DY11 7WF")
    assert "Worcester" in near_worcester[0] or "Warndon" in near_worcester[0]
    assert "Kidderminster" in near_kidderminster[0] or "Stourport" in near_kidderminster[0]


def test_a_radius_keeps_online_and_phone_services(client):
    everywhere = result_count(search(client, postcode="WR1 2AB"))
    soup = search(client, postcode="WR1 2AB", radius="1")
    within = result_count(soup)
    assert 0 < within < everywhere
    distances = [text_of(d) for d in soup.select(".app-result__distance")]
    assert len(distances) == min(within, 20)  # every result on the page says how far, or that it is remote
    remote = [d for d in distances if "nline or by phone" in d]  # "Online or by phone…", "…; also online or by phone"
    near = [float(re.search(r"([\d.]+) miles? away", d).group(1)) for d in distances if d not in remote]
    assert near and remote
    assert max(near) <= 1.0  # only services that can be reached from anywhere come from further away

    phone = result_count(search(client, delivery="telephone"))
    assert phone and result_count(search(client, delivery="telephone", postcode="WR1 2AB", radius="1")) == phone
    online = search(client, delivery="online", postcode="WR14 3AF", radius="1")
    assert "Online or by phone, wherever you live" in text_of(online)


def test_a_postcode_outside_the_county_still_gets_results_with_a_note(client):
    soup = search(client, postcode="GL50 1PZ")
    assert result_count(soup) > 100
    assert "outside Worcestershire" in text_of(soup.select_one("#postcode-note"))
    assert "miles away" in text_of(soup.select_one(".app-result__distance"))


def test_an_invalid_postcode_is_explained_and_the_search_still_runs(client):
    soup = search(client, q="baby", postcode="banana")
    assert "Enter a real postcode, like WR1 2AB" in text_of(soup.select_one(".govuk-error-summary"))
    assert result_count(soup) == result_count(search(client, q="baby"))


def test_a_distance_without_a_postcode_asks_for_one(client):
    soup = search(client, radius="5")
    assert "Enter a postcode to find services within a distance" in text_of(soup.select_one(".govuk-error-summary"))
    assert result_count(soup) == result_count(search(client))


def test_geo_import_reads_the_ons_format_and_gives_exact_distances(app, runner, tmp_path, restore_demo):
    csv = tmp_path / "onspd.csv"
    csv.write_text(
        "pcd,pcds,doterm,lat,long\n"
        "WR12AB,WR1 2AB,,52.1931,-2.2216\n"
        "WR99XX,not a postcode,,52.1,-2.2\n"
        "ZE9 9ZZ,ZE9 9ZZ,,99.999999,0.000000\n",
        encoding="utf-8",
    )
    result = runner.invoke(args=["geo", "import", str(csv)])
    assert result.exit_code == 0, result.output
    assert "Imported 1 postcodes; skipped 2 rows" in result.output
    soup = parse_page(app.test_client().get("/services?postcode=WR1+2AB"))
    assert soup.select_one("#postcode-note") is None  # located exactly, not from the area's middle
    bad = tmp_path / "bad.csv"
    bad.write_text("postcode,latitude\nWR1 2AB,52\n", encoding="utf-8")
    result = runner.invoke(args=["geo", "import", str(bad)])
    assert result.exit_code != 0 and "pcds, lat and long" in result.output


# Filters


def test_language_day_and_delivery_filters_narrow_the_results(client):
    everything = result_count(search(client))
    polish = search(client, language="pl")
    assert 0 < result_count(polish) < everything
    assert "Polish" in text_of(polish.select_one(".app-filter-tags"))
    by_phone = names(client, delivery="telephone")
    assert by_phone and len(by_phone) < everything
    saturday = result_count(search(client, day="saturday"))
    assert 0 < saturday < result_count(search(client, day="monday"))


def test_no_results_page_helps_the_family_onwards(client):
    soup = search(client, q="crying", language="pl", cost="free", district="malvern-hills")
    assert result_count(soup) == 0
    help_list = soup.select_one("#no-results-help")
    items = [text_of(li) for li in help_list.select("li")]
    assert any(re.match(r"remove ‘.+’ \(\d+ services?\)", item) for item in items)
    assert any(a["href"].endswith("/get-help") for a in help_list.select("a"))
    assert "01632 960000" in text_of(help_list)
    assert any("q=" not in a["href"] and "look through all services" in text_of(a) for a in help_list.select("a"))
    for link in help_list.select("a[href*='/services']"):
        shown = re.search(r"\((\d+) services?\)", text_of(link.parent))
        if shown:
            assert result_count(parse_page(client.get(link["href"]))) == int(shown.group(1))


def test_searches_that_match_only_some_words_say_so(client):
    soup = search(client, q="stay and play xylophone")
    assert result_count(soup) > 0
    assert soup.select_one("#loose-note") is not None


def test_distances_are_to_the_nearest_venue_in_miles():
    from app.search.geo import Distances, Point
    from tests.directory.test_browse import listing

    worcester = Point("WR1 2AB", 52.1960, -2.2210, True, "worcester", False)
    items = [
        listing("two venues", places=((52.3890, -2.2380), (52.1960, -2.2210))),
        listing("kidderminster", places=((52.3890, -2.2380),)),
        listing("online only"),
    ]
    here, there, nowhere = Distances(items).from_point(worcester)
    assert here == 0.0 and math.isnan(nowhere)
    assert 13.0 < there < 13.6  # Worcester to Kidderminster, about 13 miles as the crow flies
