"""The journey's rules as plain functions: what each family is offered, scenario by scenario."""

from pathlib import Path

import pytest

from app.journey.rules import Answers, Rule, Rules, advise, band_for_age, check_rules, load_rules

RULES = load_rules(Path(__file__).parents[2] / "content" / "journey" / "rules.toml")

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
}


@pytest.mark.parametrize("name", SCENARIOS)
def test_each_family_is_offered_what_fits(name):
    (who, bands, needs, impact), wanted = SCENARIOS[name]
    advice = advise(RULES, Answers(who, bands, needs, impact))
    assert 2 <= len(advice.pages) <= 5
    for page in wanted.get("pages", []):
        assert page in advice.pages
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
