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
