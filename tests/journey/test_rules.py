"""The journey's rules as plain functions: what each family is offered, scenario by scenario."""

from pathlib import Path

import frontmatter
import pytest

from app.journey.rules import (
    NEEDS,
    Answers,
    Rule,
    Rules,
    advise,
    band_for_age,
    bands_for_stages,
    check_rules,
    load_rules,
    service_fits,
    service_fits_band,
)

CONTENT = Path(__file__).parents[2] / "content"
RULES = load_rules(CONTENT / "journey" / "rules.toml")
# Start for Life page → the age bands of its stages, as the site reads them
PAGE_AGES = {
    f"start-for-life/{path.stem}": bands_for_stages(
        (lambda stage: stage if isinstance(stage, list) else [stage])(frontmatter.load(path).metadata.get("stage")))
    for path in (CONTENT / "start-for-life").glob("*.md")
}

# (who, ages, needs, impact) → pages that must be offered, universal and targeted categories that must be
# among those shown, categories that must not be, and whether a self-referral is suggested.
SCENARIOS = {
    "dad of a 3-month-old who feels low, a little": (
        ("parent", ("under-1",), ("my-mental-health",), "a-little"),
        {"pages": ["start-for-life/partners-mental-health", "start-for-life/your-mental-health-in-pregnancy-and-after-birth"],
         "universal": ["baby-groups-and-stay-and-play"], "not": ["perinatal-mental-health"], "refer": False},
    ),
    "parent of a 14-year-old refusing school, struggling": (
        ("parent", ("11-to-15",), ("school",), "struggling"),
        {"pages": ["pages/what-is-early-help"], "targeted": ["school-attendance-support"], "refer": True},
    ),
    "15-year-old whose parent drinks": (
        ("young-person", ("11-to-15",), ("alcohol-or-drugs",), "quite-a-lot"),
        {"universal": ["parental-substance-misuse", "young-carers-support-groups"],
         "targeted": ["young-carer-assessments"], "refer": True},
    ),
    "expecting, first baby, a little": (
        ("expecting", ("pregnancy",), ("baby-and-pregnancy",), "a-little"),
        {"pages": ["start-for-life/antenatal-care", "start-for-life/antenatal-classes"],
         "universal": ["antenatal-classes"], "not": ["early-help-family-support"], "refer": False},
    ),
    "expecting and struggling with money": (
        ("expecting", ("pregnancy",), ("money-housing-work",), "struggling"),
        {"pages": ["start-for-life/money-help", "start-for-life/healthy-start"],
         "universal": ["benefits-advice", "food-banks-and-essentials"], "targeted": ["housing-and-homelessness"],
         "refer": True},
    ),
    "newborn not feeding well, quite a lot": (
        ("parent", ("under-1",), ("feeding-and-sleep",), "quite-a-lot"),
        {"pages": ["start-for-life/breastfeeding", "start-for-life/safe-sleep"], "universal": ["infant-feeding"],
         "targeted": ["health-visiting"], "refer": False},
    ),
    "toddler tantrums, a little": (
        ("parent", ("1-to-4",), ("behaviour",), "a-little"),
        {"pages": ["start-for-life/tantrums-and-behaviour"], "universal": ["parenting-courses"],
         "not": ["behaviour-support"], "refer": False},
    ),
    "toddler tantrums, quite a lot": (
        ("parent", ("1-to-4",), ("behaviour",), "quite-a-lot"),
        {"targeted": ["behaviour-support"], "refer": True},
    ),
    "teenager violent towards a parent": (
        ("parent", ("16-to-18",), ("behaviour",), "struggling"),
        {"targeted": ["child-to-parent-abuse", "behaviour-support"], "refer": True},
    ),
    "someone at home frightens me, a little": (
        ("parent", ("5-to-10",), ("hurts-or-frightens",), "a-little"),
        {"pages": ["pages/urgent-help", "start-for-life/feeling-unsafe-at-home", "pages/staying-safe-online"],
         "universal": ["domestic-abuse-support"], "refer": True, "safety_first": True},
    ),
    "young person anxious, a little": (
        ("young-person", ("16-to-18",), ("my-mental-health",), "a-little"),
        {"pages": ["pages/urgent-help"], "universal": ["listening-and-helplines", "counselling"],
         "not": ["anxiety-and-low-mood"], "refer": False},
    ),
    "young person struggling with how they feel": (
        ("young-person", ("11-to-15",), ("childs-feelings",), "struggling"),
        {"targeted": ["self-harm-support", "anxiety-and-low-mood"], "refer": True},
    ),
    "young carer looking after mum": (
        ("young-person", ("11-to-15",), ("caring",), "quite-a-lot"),
        {"universal": ["young-carers-support-groups"], "targeted": ["young-carer-assessments"], "refer": True},
    ),
    "grandparent bringing up a grandchild": (
        ("parent", ("5-to-10",), ("caring",), "a-little"),
        {"universal": ["kinship-carers-and-grandparents"], "refer": False},
    ),
    "autistic 7-year-old, struggling": (
        ("parent", ("5-to-10",), ("send",), "struggling"),
        {"universal": ["send-information-and-advice"], "targeted": ["autism-and-adhd-support", "short-breaks"],
         "refer": True},
    ),
    "2-year-old not talking yet": (
        ("parent", ("1-to-4",), ("send",), "a-little"),
        {"pages": ["start-for-life/speech-and-language"], "universal": ["speech-language-and-communication"],
         "refer": False},
    ),
    "arguments at home, quite a lot": (
        ("parent", ("5-to-10",), ("arguments-at-home",), "quite-a-lot"),
        {"universal": ["relationship-support"], "targeted": ["early-help-family-support"], "refer": True},
    ),
    "things to do in the holidays for a 9-year-old": (
        ("parent", ("5-to-10",), ("things-to-do",), "a-little"),
        {"universal": ["holiday-activities-and-food-haf", "sports-and-active-play"], "refer": False},
    ),
    "things to do with a baby": (
        ("parent", ("under-1",), ("things-to-do",), "struggling"),
        {"pages": ["start-for-life/bonding-and-play"], "universal": ["baby-groups-and-stay-and-play"], "refer": False},
    ),
    "something else, struggling": (
        ("parent", ("11-to-15",), ("something-else",), "struggling"),
        {"pages": ["pages/what-is-early-help"], "targeted": ["early-help-family-support"], "refer": True},
    ),
    "two children, two needs": (
        ("parent", ("under-1", "5-to-10"), ("feeding-and-sleep", "school"), "a-little"),
        {"pages": ["start-for-life/breastfeeding", "pages/what-is-early-help"],
         "universal": ["infant-feeding", "tutoring-and-homework-help"], "refer": False},
    ),
    "parent drinking too much, with a toddler": (
        ("parent", ("1-to-4",), ("alcohol-or-drugs",), "quite-a-lot"),
        {"universal": ["parental-substance-misuse"], "refer": True},
    ),
    "toddler's behaviour and money, quite a lot": (
        ("parent", ("1-to-4",), ("behaviour", "money-housing-work"), "quite-a-lot"),
        {"pages": ["start-for-life/tantrums-and-behaviour", "start-for-life/money-help"],
         "universal": ["parenting-courses", "benefits-advice"], "targeted": ["behaviour-support", "employment-and-training"],
         "refer": True},
    ),
    "15-year-old feeling low and wanting things to do": (
        ("young-person", ("11-to-15",), ("childs-feelings", "things-to-do"), "quite-a-lot"),
        {"pages": ["pages/help-for-young-people", "pages/urgent-help"], "universal": ["youth-clubs"],
         "not_pages": ["pages/what-is-early-help", "pages/levels-of-need"], "refer": False},
    ),
    "15-year-old only wanting things to do: their own defaults": (
        ("young-person", ("11-to-15",), ("things-to-do",), "a-little"),
        {"pages": ["pages/help-for-young-people"], "not_pages": ["pages/what-is-early-help", "pages/levels-of-need"],
         "refer": False},
    ),
    "17-year-old frightened at home": (
        ("young-person", ("16-to-18",), ("hurts-or-frightens",), "a-little"),
        {"pages": ["pages/urgent-help", "pages/staying-safe-online", "pages/help-for-young-people"],
         "not_pages": ["start-for-life/feeling-unsafe-at-home"], "universal": ["listening-and-helplines"],
         "refer": True, "safety_first": True},
    ),
    "16-year-old who is pregnant": (
        ("young-person", ("16-to-18",), ("baby-and-pregnancy",), "a-little"),
        {"pages": ["pages/help-for-young-people"], "universal": ["sexual-health-and-relationships-for-young-people"],
         "not_pages": ["start-for-life/antenatal-care"], "refer": True},
    ),
    "expecting, worried about feeding and money": (
        ("expecting", ("pregnancy",), ("feeding-and-sleep", "money-housing-work"), "struggling"),
        {"pages": ["start-for-life/breastfeeding", "start-for-life/money-help"],
         "not_pages": ["start-for-life/introducing-solid-foods"], "universal": ["infant-feeding", "benefits-advice"],
         "refer": True},
    ),
    "7-year-old's sleep and behaviour: nothing for toddlers": (
        ("parent", ("5-to-10",), ("feeding-and-sleep", "behaviour"), "a-little"),
        {"pages": ["pages/what-is-early-help"], "universal": ["sleep-and-routines", "parenting-courses"],
         "not_pages": ["start-for-life/toddler-sleep", "start-for-life/eating-well-for-toddlers"], "refer": False},
    ),
}


@pytest.mark.parametrize("name", SCENARIOS)
def test_each_family_is_offered_what_fits(name):
    (who, bands, needs, impact), wanted = SCENARIOS[name]
    advice = advise(RULES, Answers(who, bands, needs, impact), PAGE_AGES)
    assert 2 <= len(advice.pages) <= 5
    for page in wanted.get("pages", []):
        assert page in advice.pages
    for page in wanted.get("not_pages", []):
        assert page not in advice.pages
    assert ("Childline" in advice.helplines) is (who == "young-person")  # always, whatever a young person asked
    for code in wanted.get("universal", []):
        assert code in advice.universal
    for code in wanted.get("targeted", []):
        assert code in advice.targeted
    for code in wanted.get("not", []):
        assert code not in advice.universal + advice.targeted
    assert advice.refer is wanted["refer"]
    assert advice.safety_first is wanted.get("safety_first", False)


def test_targeted_services_only_when_it_affects_the_family_quite_a_lot_or_more():
    offered = {impact: advise(RULES, Answers("parent", ("1-to-4",), ("behaviour",), impact)) for impact in
               ("a-little", "quite-a-lot", "struggling")}
    assert offered["a-little"].targeted == ()
    assert offered["quite-a-lot"].targeted == offered["struggling"].targeted != ()
    assert offered["a-little"].universal == offered["struggling"].universal


def test_rules_for_other_ages_and_people_do_not_apply():
    teenager = advise(RULES, Answers("parent", ("16-to-18",), ("feeding-and-sleep",), "a-little"))
    assert "start-for-life/breastfeeding" not in teenager.pages
    parent = advise(RULES, Answers("parent", ("11-to-15",), ("caring",), "a-little"))
    assert "young-carers-support-groups" not in parent.universal


def test_a_young_person_is_never_offered_a_page_for_parents_or_professionals():
    for needs in [(need,) for need in NEEDS]:
        for band in ("11-to-15", "16-to-18", "19-to-25"):
            advice = advise(RULES, Answers("young-person", (band,), needs, "struggling"), PAGE_AGES)
            assert "pages/help-for-young-people" in advice.pages or "pages/urgent-help" in advice.pages, needs
            for page in advice.pages:
                assert not page.startswith("start-for-life/") and page not in ("pages/what-is-early-help",
                                                                             "pages/levels-of-need"), (needs, page)


def test_start_for_life_pages_are_offered_only_for_the_ages_of_their_stages():
    """Unless the need is the adult's own (feeling unsafe at home is for any parent)."""
    adults = {rule.need for rule in RULES.rules if rule.about == "adult"}
    assert "hurts-or-frightens" in adults
    for needs in [(need,) for need in NEEDS if need not in adults]:
        for bands in (("5-to-10",), ("11-to-15",), ("16-to-18",)):
            advice = advise(RULES, Answers("parent", bands, needs, "a-little"), PAGE_AGES)
            assert not [page for page in advice.pages if page.startswith("start-for-life/")], (needs, bands)


def test_start_for_life_stages_become_age_bands():
    assert bands_for_stages(["pregnancy"]) == {"pregnancy"}
    assert bands_for_stages(["birth-to-6-months"]) == {"pregnancy", "under-1"}  # getting ready for the first months
    assert bands_for_stages(["6-to-12-months"]) == {"under-1"}
    assert bands_for_stages(["1-to-2-years", "2-to-4-years"]) == {"1-to-4"}
    assert bands_for_stages(["none"]) == set()


@pytest.mark.parametrize(
    "ages, band, fits",
    [
        ((0, 1, False), "under-1", True),
        ((0, 1, False), "1-to-4", False),  # babies up to their first birthday, as the directory writes it
        ((0, 1, False), "pregnancy", True),  # pregnancy counts as before birth, age 0
        ((0, 4, False), "1-to-4", True),
        ((0, 5, False), "5-to-10", False),  # under-5s
        ((4, 11, False), "1-to-4", True),  # from 4
        ((11, 18, False), "pregnancy", False),
        ((None, None, False), "16-to-18", True),
        ((0, 0, False), "under-1", True),
        ((3, 3, False), "1-to-4", True),
        ((2, 2, True), "pregnancy", True),  # marked for expectant parents
    ],
)
def test_a_service_fits_a_band_by_its_ages(ages, band, fits):
    assert service_fits_band(*ages, band) is fits


def test_a_service_only_for_adults_fits_an_adults_own_need_and_never_a_childs():
    course = (18, None, False)  # an English course for parents
    assert not service_fits(*course, "parent", ("1-to-4",))
    assert not service_fits(*course, "parent", ("16-to-18", "19-to-25"))
    assert service_fits(*course, "parent", ("1-to-4",), own_need=True)
    assert not service_fits(*course, "expecting", ("pregnancy",))
    assert service_fits(*course, "young-person", ("19-to-25",), age=20)  # a young adult, by their own age
    assert not service_fits(*course, "young-person", ("16-to-18",), age=17)


def test_a_young_person_is_matched_by_their_own_age():
    assert not service_fits(5, 12, False, "young-person", ("11-to-15",), age=15)
    assert service_fits(11, 18, False, "young-person", ("11-to-15",), age=15)


def test_adult_own_need_categories_come_only_from_rules_about_the_adult():
    own = advise(RULES, Answers("parent", ("under-1",), ("my-mental-health", "behaviour"), "quite-a-lot"))
    assert "perinatal-mental-health" in own.own_needs and "parenting-courses" not in own.own_needs
    childs = advise(RULES, Answers("parent", ("1-to-4",), ("money-housing-work",), "quite-a-lot"))
    assert childs.own_needs == ()


def test_the_check_finds_what_does_not_fit_a_rules_people_and_ages():
    rules = Rules(
        (
            Rule("school", ages=("11-to-15",), who=("parent",), pages=("start-for-life/safe-sleep",), line=3),
            Rule("something-else", who=("young-person",), pages=("pages/levels-of-need",), line=9),
            Rule("things-to-do", ages=("16-to-18",), universal=("baby-groups-and-stay-and-play",), line=14),
            Rule("send", who=("expecting",), ages=("5-to-10",), line=20),
            Rule("caring", who=("parent",), ages=("1-to-4",), universal=("employment-and-training",), line=25),
            Rule("my-mental-health", who=("parent",), ages=("1-to-4",), universal=("employment-and-training",),
                 about="adult", line=30),
        ),
        default_pages=("pages/what-is-early-help",),
        person_defaults={"young-person": ("pages/levels-of-need",)},
        readers={"pages/levels-of-need": ("parent", "professional")},
        helplines={"young-person": ("Childline", "Nightline")},
    )
    pages = {"start-for-life/safe-sleep", "pages/levels-of-need", "pages/what-is-early-help"}
    categories = {"baby-groups-and-stay-and-play", "employment-and-training"}
    services = [(frozenset({"baby-groups-and-stay-and-play"}), 0, 4, False), (frozenset({"employment-and-training"}), 18, None, False)]
    problems = check_rules(rules, pages, categories, {"start-for-life/safe-sleep": bands_for_stages(["birth-to-6-months"])},
                           services, {"Childline"})
    by_line = {}
    for line, message in problems:
        by_line.setdefault(line, []).append(message)
    assert by_line[3] == ["The page 'start-for-life/safe-sleep' is for pregnancy, under-1, none of this rule's ages (11-to-15)"]
    assert by_line[9] == ["The page 'pages/levels-of-need' is not written for a young person: offer it only to those it is "
                          "for (who = [...]), or say who reads it in [readers]"]
    assert by_line[14] == ["No service in the category 'baby-groups-and-stay-and-play' is for this rule's ages (16-to-18) "
                           "in the directory"]
    assert by_line[20] == ["This rule can never apply: none of expecting can give the ages 5-to-10"]
    assert by_line[25] == ["No service in the category 'employment-and-training' is for this rule's ages (1-to-4) in the directory"]
    assert 30 not in by_line  # the adult's own need: a course for adults fits it
    assert any("default page 'pages/levels-of-need' is not written for a young person" in m for m in by_line[0])
    assert "Unknown helpline 'Nightline': use the name of a [[helplines]] in settings.toml" in by_line[0]
    assert not [m for m in by_line[0] if "Childline" in m]


def test_the_shipped_rules_fit_their_people_and_ages():
    services = None  # the pages' fit is checked here; the directory's in tests/content/test_check.py
    pages = set(PAGE_AGES) | {f"pages/{path.stem}" for path in (CONTENT / "pages").glob("*.md")}
    problems = check_rules(RULES, pages, {code for rule in RULES.rules for code in rule.universal + rule.targeted},
                           PAGE_AGES, services, {"Childline"})
    assert problems == []


def test_ages_fall_into_bands():
    assert [band_for_age(n) for n in (0, 1, 4, 5, 10, 11, 15, 16, 18, 19, 25, 26)] == [
        "under-1", "1-to-4", "1-to-4", "5-to-10", "5-to-10", "11-to-15", "11-to-15", "16-to-18", "16-to-18",
        "19-to-25", "19-to-25", None]


def test_the_check_finds_unknown_needs_ages_pages_and_categories():
    broken = Rules((Rule("knitting", ages=("teen",), who=("cat",), pages=("pages/nope",), universal=("bingo",),
                         refer="sometimes", line=7),))
    problems = check_rules(broken, {"pages/urgent-help"}, {"counselling"})
    messages = [message for line, message in problems if line == 7]
    for words in ["Unknown need 'knitting'", "Unknown age 'teen'", "Unknown person 'cat'", "Unknown page 'pages/nope'",
                  "Unknown category 'bingo'", "Unknown refer 'sometimes'"]:
        assert any(words in message for message in messages), words
    assert any("No rule for the need 'school'" in message for _, message in problems)


def test_flask_content_check_reports_a_broken_rule_with_its_line(app_with, tmp_path):
    import shutil

    shutil.copytree(Path(__file__).parents[2] / "content", tmp_path / "content")
    rules = tmp_path / "content" / "journey" / "rules.toml"
    rules.write_text(rules.read_text().replace('need = "things-to-do"', 'need = "knitting"', 1))
    line = next(n for n, text in enumerate(rules.read_text().splitlines(), 1) if 'need = "knitting"' in text) - 1
    result = app_with(CONTENT_DIR=tmp_path / "content").test_cli_runner().invoke(args=["content", "check"])
    assert result.exit_code == 1
    assert f"journey/rules.toml:{line}: error: Unknown need 'knitting'" in result.output
