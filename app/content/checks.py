"""``flask content check``: every rule a page must follow, with the file and line of each problem.

Errors stop a page being published (the command exits non-zero); warnings are
things an editor should look at: a review date that has passed, a page that
is hard to read (Flesch reading ease below 60), or two pages given the same
priority in one stage.
"""

import html as html_module
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import frontmatter
import textstat
import yaml
from werkzeug.exceptions import HTTPException, MethodNotAllowed
from werkzeug.routing import RequestRedirect

from app.content.language_checks import check_languages
from app.content.library import (
    IMAGE_SUFFIXES,
    PLACEHOLDER,
    SECTIONS,
    fill_placeholders,
    page_files,
    placeholders,
    read_priority,
    relative_target,
    render,
)
from app.content.problems import Problem, line_of
from app.content.stages import STAGE_SLUGS, STAGE_VALUES

READABLE = 60  # Flesch reading ease below this gets a warning
REQUIRED = {
    "title": (str, "text"),
    "summary": (str, "text"),
    "stage": ((str, list), "a stage, or a list of stages"),
    "topics": (list, "a list of category codes, like [infant-feeding], or []"),
    "related": (list, "a list of Start for Life page names, like [safe-sleep], or []"),
    "updated": (date, "a date, like 2026-11-22"),
    "review_by": (date, "a date, like 2027-11-22"),
    "owner": (str, "text"),
}
_BLOCK_END = re.compile(r"</(?:p|li|h[1-6]|td|th|blockquote)>")
_IDS = re.compile(r'\sid="([^"]+)"')


@dataclass
class Report:
    problems: list = field(default_factory=list)
    readability: dict = field(default_factory=dict)  # (section, slug) → Flesch reading ease, English pages
    priorities: dict = field(default_factory=dict)  # path → ((stage, number) pairs, line), English Start for Life pages
    stages: dict = field(default_factory=dict)  # "start-for-life/slug" → its stages, English pages, as read

    @property
    def errors(self):
        return [p for p in self.problems if p.error]

    @property
    def warnings(self):
        return [p for p in self.problems if not p.error]


def reading_ease(page_html):
    """Flesch reading ease of a rendered page; a heading or list item counts as a sentence."""
    sentences = []
    for block in _BLOCK_END.split(page_html):
        text = " ".join(html_module.unescape(re.sub(r"<[^>]+>", " ", block)).split())
        if text:
            sentences.append(text if text[-1] in ".!?:" else text + ".")
    return textstat.flesch_reading_ease(" ".join(sentences)) if sentences else 100.0


# A translated page says in its front matter whether a fluent speaker has checked it.
TRANSLATION_STATES = ("needs review by a fluent speaker", "reviewed by a fluent speaker")


def check_content(content_dir, settings, category_codes, today, url_map=None):
    """Check every page file under ``content_dir``."""
    content_dir = Path(content_dir)
    report = Report()
    values = placeholders(settings)
    files = list(page_files(content_dir, settings.language_codes))
    english = {(section, slug) for section, slug, language, _ in files if language == "en"}
    rendered = {}
    for section, slug, language, path in files:
        found = _check_file(report, section, slug, language, path, values, category_codes, english, today)
        if found is not None:
            rendered[path.resolve()] = found
    _check_priority_clashes(report)
    _check_journey_rules(report, content_dir, english, category_codes, settings)
    check_languages(report, content_dir, settings, category_codes)
    for path, (page_html, links, section, language) in rendered.items():
        _check_links(report, path, links, rendered, content_dir, url_map)
        if language == "en":
            report.readability[(section, path.stem)] = score = reading_ease(page_html)
            if score < READABLE:
                report.problems.append(Problem(path, 1, f"Hard to read: Flesch reading ease {score:.0f}, below {READABLE}. "
                                               "Use shorter sentences and everyday words", error=False))
    return report


def _check_file(report, section, slug, language, path, values, category_codes, english, today):
    add = report.problems.append
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    if not text.startswith("---"):
        add(Problem(path, 1, "The front matter is missing: start the file with a line of ---, "
                             "the keys (title, summary, stage …), and another line of ---"))
        return None
    try:
        post = frontmatter.loads(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        add(Problem(path, (mark.line + 1) if mark else 1, f"The front matter cannot be read: {getattr(error, 'problem', error)}"))
        return None
    meta = post.metadata
    body_start = text[: text.find("\n---", 3) + 4].count("\n") + 2 if "\n---" in text[3:] else 1

    def key_line(key):
        return line_of(lines, f"{key}:", 1)

    for key, (kind, wanted) in REQUIRED.items():
        if key not in meta:
            add(Problem(path, 1, f"'{key}' is missing from the front matter: it must be {wanted}"))
        elif not isinstance(meta[key], kind) or (kind is str and not str(meta[key]).strip()):
            add(Problem(path, key_line(key), f"'{key}' must be {wanted}"))
    stages = _as_list(meta.get("stage"))
    if language == "en" and section == "start-for-life":
        report.stages[f"{section}/{slug}"] = stages
    for stage in stages:
        if stage not in STAGE_VALUES:
            add(Problem(path, key_line("stage"), f"Unknown stage '{stage}': use one of {', '.join(STAGE_VALUES)}"))
    ordered, wrong = read_priority(meta.get("priority"), stages)
    for message in wrong:
        add(Problem(path, key_line("priority"), message))
    if ordered and language == "en" and section == "start-for-life":
        report.priorities[path] = (ordered, key_line("priority"))
    if isinstance(meta.get("topics"), list):
        for topic in meta["topics"]:
            if str(topic) not in category_codes:
                add(Problem(path, key_line("topics"), f"Unknown topic '{topic}': use a category code from the directory"))
    if isinstance(meta.get("related"), list):
        for other in meta["related"]:
            if ("start-for-life", str(other)) not in english:
                add(Problem(path, key_line("related"), f"Related page '{other}' does not exist in content/start-for-life/"))
    if isinstance(meta.get("review_by"), date) and meta["review_by"] < today:
        add(Problem(path, key_line("review_by"), f"The review date {meta['review_by'].isoformat()} has passed: "
                                                 "check the page is still right and set a new review_by date", error=False))
    if section == "start-for-life" and slug in STAGE_SLUGS:
        add(Problem(path, 1, f"The page name '{slug}' is taken by a Start for Life stage: rename the file"))
    if language != "en" and (section, slug) not in english:
        add(Problem(path, 1, f"This translation has no English page: content/{section}/{slug}.md is missing"))
    if "translation" in meta:
        if language == "en" or meta["translation"] not in TRANSLATION_STATES:
            add(Problem(path, key_line("translation"), "'translation' is for translated pages, and must be one of: "
                                                       + ", ".join(TRANSLATION_STATES)))
        elif meta["translation"] == TRANSLATION_STATES[0]:
            add(Problem(path, key_line("translation"), "This translation needs review by a fluent speaker: when one has "
                                                       f"checked it, write translation: {TRANSLATION_STATES[1]}", error=False))

    for found in PLACEHOLDER.finditer(post.content):
        if found.group(1) not in values:
            add(Problem(path, line_of(lines, found.group(0), body_start),
                        f"Unknown placeholder {found.group(0)}: use one of {', '.join(sorted(values))}"))
    result = render(fill_placeholders(post.content, values))
    for raw in result.raw_html:
        tag = re.search(r"<[^>\s]+", raw)
        add(Problem(path, line_of(lines, tag.group(0) if tag else raw.strip()[:20], body_start),
                    "Raw HTML is not allowed and would be removed: write it in Markdown"))
    for src, alt in result.images:
        line = line_of(lines, src, body_start)
        target, _ = relative_target(path, src)
        if not alt.strip():
            add(Problem(path, line, f"The image {src} has no alt text: describe what it shows, like ![A baby asleep on their back](…)"))
        if target is None or Path(target).suffix.lower() not in IMAGE_SUFFIXES:
            add(Problem(path, line, f"The image {src} must be a file beside the page, in its images folder"))
        elif not Path(target).is_file():
            add(Problem(path, line, f"The image {src} does not exist"))
    return result.html, [(href, line_of(lines, f"]({href}", body_start)) for href in result.links], section, language


def _as_list(stages):
    return stages if isinstance(stages, list) else [stages] if isinstance(stages, str) else []


def _check_priority_clashes(report):
    """Two pages with the same priority in one stage: a warning on the second (by file name), as
    the site then puts them in A–Z order."""
    first = {}  # (stage, number) → the page that has it
    for path, (ordered, line) in sorted(report.priorities.items()):
        for stage, number in ordered:
            other = first.setdefault((stage, number), path)
            if other != path:
                report.problems.append(Problem(path, line, f"Priority {number} for {stage} is also given to {other.name}: "
                                                           "give each page its own number in a stage", error=False))


def _check_links(report, path, links, rendered, content_dir, url_map):
    for href, line in links:
        if href.startswith("/"):
            if url_map is not None and not _is_site_path(url_map, href):
                report.problems.append(Problem(path, line, f"The link {href} does not go to a page on this site"))
            continue
        target, anchor = relative_target(path, href)
        if target is None:
            continue  # a web address
        target = Path(target).resolve()
        if target.suffix != ".md" or target.parent.name not in SECTIONS:
            report.problems.append(Problem(path, line, f"The link {href} must point at a page's .md file, like safe-sleep.md"))
            continue
        if target not in rendered:
            english = content_dir.resolve() / target.parent.name / target.name
            if english not in rendered:
                report.problems.append(Problem(path, line, f"The link {href} goes to a page that does not exist"))
                continue
            target = english
        if anchor and anchor not in _IDS.findall(rendered[target][0]):
            report.problems.append(Problem(path, line, f"The link {href} goes to a heading (#{anchor}) that is not on that page"))


def _is_site_path(url_map, href):
    adapter = url_map.bind("localhost")
    try:
        adapter.match(href.split("#")[0].split("?")[0], method="GET")
    except (RequestRedirect, MethodNotAllowed):
        return True
    except HTTPException:
        return False
    return True


def _check_journey_rules(report, content_dir, english, category_codes, settings):
    """The needs-led journey's rules: every need, age, page, category and helpline they name must exist,
    and the pages and categories a rule offers must fit its people and ages (the categories by the
    services in the demo directory, ``directory/demo-services.json``, when there is one)."""
    from app.journey.rules import RulesError, bands_for_stages, check_rules, load_rules

    path = content_dir / "journey" / "rules.toml"
    if not path.exists():
        return
    try:
        rules = load_rules(path)
    except RulesError as error:
        report.problems.append(Problem(path, 1, f"The rules cannot be read: {error}"))
        return
    pages = {f"{section}/{slug}" for section, slug in english}
    page_ages = {page: bands_for_stages(stages) for page, stages in report.stages.items()}  # a page not read is reported with it
    helplines = {line.name for line in settings.helplines}
    for line, message in check_rules(rules, pages, category_codes, page_ages, _demo_services(content_dir), helplines):
        report.problems.append(Problem(path, line or 1, message))


def _demo_services(content_dir):
    """(category codes, minimum age, maximum age, for pregnancy) of each service in the demo directory, or None."""
    import json

    from app.models import codes

    path = content_dir / "directory" / "demo-services.json"
    if not path.exists():
        return None
    found = []
    for record in json.loads(path.read_text(encoding="utf-8")):
        terms = [(a["taxonomy_term"].get("taxonomy"), a["taxonomy_term"].get("term")) for a in record.get("attributes", [])]
        found.append((
            frozenset(term for taxonomy, term in terms if taxonomy == codes.CATEGORIES),
            record.get("minimum_age"),
            record.get("maximum_age"),
            (codes.ELIGIBILITY, codes.PREGNANCY) in terms,
        ))
    return found
