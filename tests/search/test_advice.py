"""Which advice pages a search is about (app/search/advice.py), on pages made for the test."""

from app.search.advice import AdvicePages
from app.search.queries import parse
from app.search.synonyms import parse_synonyms

PAGES = [
    {"section": "start-for-life", "slug": "safe-sleep", "title": "Safe sleep for your baby",
     "summary": "How to put your baby down to sleep safely.", "topic": "Sleep and routines"},
    {"section": "start-for-life", "slug": "antenatal-care", "title": "Your antenatal care",
     "summary": "Checks and scans in pregnancy.", "topic": "Antenatal classes"},
    {"section": "pages", "slug": "levels-of-need", "title": "Levels of need",
     "summary": "From help for everyone to social care.", "topic": "Early help family support"},
    {"section": "start-for-life", "slug": "being-a-dad", "title": "Being a dad",
     "summary": "Feeding and care, play and groups for dads.", "topic": "Dads and partners"},
    {"section": "start-for-life", "slug": "tantrums", "title": "Tantrums and behaviour",
     "summary": "Why toddlers have tantrums and what helps.", "topic": "Behaviour"},
    {"section": "start-for-life", "slug": "vaccinations", "title": "Vaccinations",
     "summary": "The jabs your baby is offered and when.", "topic": "Health visiting"},
]
SYNONYMS = parse_synonyms(
    "young carer, young carers = young carers, caring\n"
    "jabs, injections = vaccinations\n"
)


def about(text, respellings=None):
    respellings = respellings or {}
    advice = AdvicePages(PAGES)
    return [hit.slug for hit in advice.about(parse(text, SYNONYMS), respellings.get)]


def test_a_page_is_found_by_its_title_summary_or_topic():
    assert about("safe sleep") == ["safe-sleep"]
    assert about("scans") == ["antenatal-care"]
    assert about("dads and partners")[0] == "being-a-dad"


def test_words_said_in_passing_bring_up_nothing():
    assert about("getting kicked out of my flat") == []
    assert about("my daughter is gay and struggling") == []


def test_every_word_of_a_short_search_must_match():
    assert about("safe tantrums") == []


def test_a_synonym_finds_the_page_it_names():
    assert about("injections") == ["vaccinations"]


def test_a_broad_synonym_picks_out_no_page():
    """'caring' is in several pages ("care" in three of them): it says nothing about a young carer."""
    pages = PAGES + [{"section": "pages", "slug": "carers", "title": "Care at home", "summary": "", "topic": ""}]
    advice = AdvicePages(pages)
    assert [hit.slug for hit in advice.about(parse("young carer", SYNONYMS), {}.get)] == []


def test_an_unknown_word_counts_only_through_its_nearest_spelling():
    assert about("tantrms", {"tantrms": "tantrums"}) == ["tantrums"]
    assert about("tantrms") == []  # no spelling near enough: nothing is about it


def test_the_best_page_comes_first_and_weak_ones_are_left_out():
    found = about("baby")
    assert found[0] in {"safe-sleep", "vaccinations"}
    assert "antenatal-care" not in found
