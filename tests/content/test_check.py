"""``flask content check``: the shipped content passes; each broken fixture page fails with its own message."""

import shutil
from datetime import date
from pathlib import Path

import pytest

from app.content.checks import check_content
from app.content.cli import category_codes

HERE = Path(__file__).parent
TODAY = date(2026, 11, 22)

# fixture file → (words of the message, text on the line it must name (None: line 1), an error rather than a warning)
BROKEN = {
    "no-front-matter.md": ("The front matter is missing", None, True),
    "bad-yaml.md": ("The front matter cannot be read", "stage: pregnancy", True),
    "missing-key.md": ("'review_by' is missing from the front matter", None, True),
    "wrong-type.md": ("'updated' must be a date", "updated:", True),
    "unknown-stage.md": ("Unknown stage 'toddler'", "stage:", True),
    "unknown-topic.md": ("Unknown topic 'knitting'", "topics:", True),
    "unknown-related.md": ("Related page 'no-such-page' does not exist", "related:", True),
    "broken-link.md": ("The link night-feeds.md goes to a page that does not exist", "night-feeds.md", True),
    "broken-anchor.md": ("goes to a heading (#nowhere) that is not on that page", "#nowhere", True),
    "link-not-md.md": ("must point at a page's .md file", "](good)", True),
    "bad-site-link.md": ("The link /no-such-place does not go to a page on this site", "/no-such-place", True),
    "missing-image.md": ("The image images/sling.png does not exist", "sling.png", True),
    "image-no-alt.md": ("The image images/baby.svg has no alt text", "![](images/baby.svg)", True),
    "raw-html.md": ("Raw HTML is not allowed", "<div", True),
    "unknown-placeholder.md": ("Unknown placeholder {{ mayor }}", "{{ mayor }}", True),
    "review-date-passed.md": ("The review date 2026-01-31 has passed", "review_by:", False),
    "hard-to-read.md": ("Hard to read: Flesch reading ease", None, False),
    "pregnancy.md": ("The page name 'pregnancy' is taken by a Start for Life stage", None, True),
    "only-polish.md": ("This translation has no English page", None, True),
    "priority-unknown-stage.md": ("Unknown stage 'newborn' in 'priority'", "priority:", True),
    "priority-other-stage.md": ("'priority' gives pregnancy a number, but the page is not in that stage", "priority:", True),
    "priority-not-a-mapping.md": ("'priority' must give each stage a number, like {pregnancy: 1", "priority:", True),
    "priority-not-a-number.md": ("The priority for birth-to-6-months must be a whole number from 1 (most important), not 'first'",
                                 "priority:", True),
    "priority-fraction.md": ("The priority for birth-to-6-months must be a whole number from 1", "priority:", True),
    "priority-zero.md": ("The priority for birth-to-6-months must be a whole number from 1 (most important), not '0'",
                         "priority:", True),
    # the good page has priority 1 there too: the site shows the two A–Z, so it is only a warning
    "same-priority.md": ("Priority 1 for birth-to-6-months is also given to good.md", "priority:", False),
}


def content_with(tmp_path, broken=None):
    """A content folder holding the good fixture page and, maybe, one broken one."""
    section = tmp_path / "start-for-life"
    shutil.copytree(HERE / "good", section)
    if broken:
        folder = tmp_path / "pl" / "start-for-life" if broken == "only-polish.md" else section
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copy(HERE / "broken" / broken, folder / broken)
        return folder / broken
    return None


def check(app, folder):
    with app.app_context():
        codes = category_codes(app.config["CONTENT_DIR"])
    return check_content(folder, app.extensions["site_settings"], codes, TODAY, app.url_map)


def test_the_good_fixture_page_passes(app, tmp_path):
    content_with(tmp_path)
    report = check(app, tmp_path)
    assert report.problems == []
    assert report.readability[("start-for-life", "good")] > 60


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_each_broken_page_fails_with_its_message_and_line(app, tmp_path, name):
    path = content_with(tmp_path, name)
    words, line_text, is_error = BROKEN[name]
    report = check(app, tmp_path)
    mine = [problem for problem in report.problems if problem.path == path]
    assert [problem for problem in report.problems if problem.path != path] == []  # the good page is still fine
    assert len(mine) == 1, [p.message for p in mine]
    problem = mine[0]
    assert words in problem.message
    assert problem.error is is_error
    lines = path.read_text().splitlines()
    expected = 1 if line_text is None else next(n for n, text in enumerate(lines, 1) if line_text in text)
    assert problem.line == expected
    assert problem.describe(tmp_path).startswith(f"{path.relative_to(tmp_path)}:{expected}: ")


def test_the_command_passes_on_the_shipped_content_and_prints_reading_ease(runner):
    result = runner.invoke(args=["content", "check", "--today", "2026-11-22"])
    assert result.exit_code == 0, result.output
    assert "0 errors" in result.output
    assert "Average for start-for-life:" in result.output
    average = float(result.output.split("Average for start-for-life:")[1].split()[0])
    assert average >= 60


def test_the_command_fails_and_names_the_file_and_line(app_with, tmp_path):
    shutil.copytree(Path(__file__).parents[2] / "content", tmp_path / "content")
    for name in ("broken-link.md", "bad-yaml.md"):
        shutil.copy(HERE / "broken" / name, tmp_path / "content" / "start-for-life" / name)
    other = app_with(CONTENT_DIR=tmp_path / "content")  # the site still starts, without the unreadable page
    assert other.test_client().get("/start-for-life/bad-yaml").status_code == 404
    assert other.test_client().get("/start-for-life/broken-link").status_code == 200
    result = other.test_cli_runner().invoke(args=["content", "check", "--today", "2026-11-22"])
    assert result.exit_code == 1
    assert "start-for-life/broken-link.md:" in result.output
    assert "error: The link night-feeds.md goes to a page that does not exist" in result.output
    assert "start-for-life/bad-yaml.md:4: error: The front matter cannot be read" in result.output


def test_new_scaffolds_a_page_that_passes_the_check(app_with, tmp_path):
    shutil.copytree(Path(__file__).parents[2] / "content", tmp_path / "content")
    other = app_with(CONTENT_DIR=tmp_path / "content")
    runner = other.test_cli_runner()
    result = runner.invoke(args=["content", "new", "start-for-life", "first-words", "--title", "Your baby’s first words"])
    assert result.exit_code == 0, result.output
    created = tmp_path / "content" / "start-for-life" / "first-words.md"
    assert "title: \"Your baby’s first words\"" in created.read_text()
    again = runner.invoke(args=["content", "new", "start-for-life", "first-words", "--title", "Again"])
    assert again.exit_code != 0 and "already exists" in again.output
    assert runner.invoke(args=["content", "check"]).exit_code == 0


def test_the_command_reports_journey_rules_that_do_not_fit_their_ages_or_people(app_with, tmp_path):
    shutil.copytree(Path(__file__).parents[2] / "content", tmp_path / "content")
    rules = tmp_path / "content" / "journey" / "rules.toml"
    rules.write_text(rules.read_text() + "\n" + (HERE / "broken" / "unfit-rules.toml").read_text())
    lines = rules.read_text().splitlines()

    def rule_above(comment):  # the [[rule]] line just above the fixture's comment
        return next(n for n, text in enumerate(lines, 1) if text.startswith(f"# unfit: {comment}")) - 1

    result = app_with(CONTENT_DIR=tmp_path / "content").test_cli_runner().invoke(
        args=["content", "check", "--today", "2026-11-22"])
    assert result.exit_code == 1
    errors = [line.split("journey/rules.toml:", 1)[1] for line in result.output.splitlines() if "journey/rules.toml:" in line]
    assert errors == [
        f"{rule_above('a teenager')}: error: The page 'start-for-life/safe-sleep' is for pregnancy, under-1, "
        "none of this rule's ages (11-to-15)",
        f"{rule_above('a young person')}: error: The page 'pages/levels-of-need' is not written for a young person: "
        "offer it only to those it is for (who = [...]), or say who reads it in [readers]",
        f"{rule_above('every infant feeding')}: error: No service in the category 'infant-feeding' is for this "
        "rule's ages (11-to-15) in the directory",
    ]


SETTINGS_TEXTS = '''
[council.family_information_hours]
en = "Monday to Friday, 9am to 5pm"
pl = "Od poniedziałku do piątku, od 9 do 5"
ro = "De luni până vineri, de la 9 la 5"
ur = "پیر سے جمعہ، صبح 9 سے شام 5"

[urgent_help.childrens_front_door_hours]
en = "Monday to Friday. At other times call 01632 960199."
pl = "Od poniedziałku do piątku. W innych godzinach dzwoń pod 01632 960100."
ro = "De luni până vineri. În afara programului sunați la 01632 960199 {extra}."

[urgent_help.emergency_text]
en = "Call 999 now."
'''


def settings_problems(app, tmp_path, text):
    content_with(tmp_path)
    shipped = (Path(app.config["CONTENT_DIR"]) / "settings.toml").read_text(encoding="utf-8")
    keep = shipped.split("[council.family_information_hours]")[0]  # the shipped council section, no texts
    rest = shipped[shipped.index("[[helplines]]"):]
    (tmp_path / "settings.toml").write_text(keep + text + "\n" + rest, encoding="utf-8")
    report = check(app, tmp_path)
    return [problem for problem in report.problems if problem.path.name == "settings.toml"]


def test_a_settings_text_that_loses_a_number_or_a_placeholder_is_an_error_and_a_missing_language_a_warning(app, tmp_path):
    problems = settings_problems(app, tmp_path, SETTINGS_TEXTS)
    errors = sorted(problem.message for problem in problems if problem.error)
    assert errors == [
        "urgent_help.childrens_front_door_hours: the Polski text lacks the number 01632 960199",
        "urgent_help.childrens_front_door_hours: the Română text has {extra}, which the English does not",
    ]
    warnings = sorted(problem.message for problem in problems if not problem.error)
    assert "urgent_help.childrens_front_door_hours has no اردو text (ur = \"…\"): the English is shown" in warnings
    assert "urgent_help.emergency_text has no Polski text (pl = \"…\"): the English is shown" in warnings
    assert not any("family_information_hours" in message for message in errors + warnings)  # all four, numbers kept
    lines = (tmp_path / "settings.toml").read_text(encoding="utf-8").splitlines()
    polish = next(problem for problem in problems if "Polski text lacks" in problem.message)
    assert "01632 960100" in lines[polish.line - 1]  # the line of the Polish text


def test_the_shipped_settings_and_category_names_are_in_every_language(app):
    report = check(app, Path(app.config["CONTENT_DIR"]))
    mine = [problem.describe(Path(app.config["CONTENT_DIR"])) for problem in report.problems
            if problem.path.name in ("settings.toml", "categories.toml")]
    assert mine == []


def test_a_category_name_for_an_unknown_code_is_an_error_and_a_missing_one_a_warning(app, tmp_path):
    content_with(tmp_path)
    (tmp_path / "directory").mkdir()
    (tmp_path / "directory" / "categories.toml").write_text(
        '[infant-feeding]\npl = "Karmienie niemowląt"\n\n[knitting]\npl = "Dzierganie"\n', encoding="utf-8")
    report = check(app, tmp_path)
    problems = [problem for problem in report.problems if problem.path.name == "categories.toml"]
    assert [problem.message for problem in problems if problem.error] == [
        "Unknown category 'knitting': use a category code from the directory"]
    warnings = [problem.message for problem in problems if not problem.error]
    assert "infant-feeding has no Română text (ro = \"…\"): the English is shown" in warnings
    assert any(message.startswith("The category 'baby-groups-and-stay-and-play' has no names") for message in warnings)


@pytest.mark.parametrize(("state", "message", "is_error"), [
    ("needs review by a fluent speaker", "This translation needs review by a fluent speaker", False),
    ("reviewed by a fluent speaker", None, None),
    ("done", "'translation' is for translated pages, and must be one of", True),
])
def test_a_translation_says_whether_a_fluent_speaker_has_checked_it(app, tmp_path, state, message, is_error):
    content_with(tmp_path)
    folder = tmp_path / "ro" / "start-for-life"
    shutil.copytree(HERE / "good", folder)  # its pictures too
    text = (HERE / "good" / "good.md").read_text(encoding="utf-8").replace("\n---\n", f"\ntranslation: {state}\n---\n", 1)
    (folder / "good.md").write_text(text, encoding="utf-8")
    found = [problem for problem in check(app, tmp_path).problems if problem.path == folder / "good.md"]
    if message is None:
        assert found == []
    else:
        assert [(message in problem.message, problem.error) for problem in found] == [(True, is_error)]
        assert text.splitlines()[found[0].line - 1] == f"translation: {state}"
