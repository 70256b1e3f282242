"""The content library: Markdown pages with front matter, rendered and sanitised once, at start-up.

``content/start-for-life/<slug>.md`` and ``content/pages/<slug>.md`` are the
English pages; ``content/<lang>/<section>/<slug>.md`` is a page's translation.
A page is rendered once when the library loads, never per request.

Links between pages are written as relative links to the source files
(``[safe sleep](safe-sleep.md)``, ``[urgent help](../pages/urgent-help.md#call-999)``),
so they work when the files are read on their own; rendering turns them into
the site's addresses. Every page sits one level down (``/<section>/<slug>``), so
the rendered links stay relative and keep a visitor in their language.
"""

import logging
import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit
from xml.etree import ElementTree as etree

import frontmatter
import markdown
import nh3
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

from app.content.stages import STAGE_SLUGS
from app.domain.phones import PHONE_NUMBER, tel_href

log = logging.getLogger(__name__)
SECTIONS = ("start-for-life", "pages")
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp"}
PLACEHOLDER = re.compile(r"\{\{\s*([a-z_]+)\s*\}\}")
EXTERNAL_SCHEMES = {"http", "https", "mailto", "tel"}
START_HERE = 5  # pages with a priority shown first on a stage's page, under "Start here"

ALLOWED_TAGS = {
    "a", "abbr", "blockquote", "br", "code", "em", "h2", "h3", "h4", "hr", "img", "li", "ol",
    "p", "pre", "strong", "table", "tbody", "td", "th", "thead", "tr", "ul",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"}, "img": {"src", "alt"}, "h2": {"id"}, "h3": {"id"}, "h4": {"id"},
    "th": {"scope", "align"}, "td": {"align"},
}
# GOV.UK Frontend classes for the elements Markdown produces.
CLASSES = {
    "h2": "govuk-heading-m", "h3": "govuk-heading-s", "h4": "govuk-heading-s", "p": "govuk-body",
    "ul": "govuk-list govuk-list--bullet", "ol": "govuk-list govuk-list--number", "a": "govuk-link",
    "table": "govuk-table", "tr": "govuk-table__row", "th": "govuk-table__header", "td": "govuk-table__cell",
    "img": "app-content-image", "blockquote": "govuk-inset-text",
}
_OPENING_TAG = re.compile(r"<(" + "|".join(CLASSES) + r")(?=[\s>/])")


@dataclass(frozen=True)
class Page:
    section: str  # "start-for-life" or "pages"
    slug: str
    language: str  # the language it is written in
    title: str
    summary: str
    html: str
    stages: tuple = ()
    topics: tuple = ()
    related: tuple = ()
    updated: date | None = None
    review_by: date | None = None
    owner: str = ""
    priority: tuple = ()  # (stage, number) pairs: 1 is what matters most at that stage
    path: Path | None = field(default=None, compare=False)

    def priority_in(self, stage):
        """The page's priority at ``stage`` (1 matters most), or ``None`` when it has none there."""
        return dict(self.priority).get(stage)

    @property
    def text(self):
        """The page's words without markup, for the search index."""
        return " ".join(nh3.clean(self.html, tags=set()).split())


@dataclass
class Library:
    pages: dict = field(default_factory=dict)  # (section, slug, language) → Page

    def find(self, section, slug, language):
        """The page in the language asked for, or else in English; None when there is none."""
        return self.pages.get((section, slug, language)) or self.pages.get((section, slug, "en"))

    def languages_of(self, section, slug):
        return {language for (s, g, language) in self.pages if (s, g) == (section, slug)}

    def english(self, section=None):
        """Every English page (of one section), by title."""
        found = [p for (s, _, language), p in self.pages.items() if language == "en" and section in (None, s)]
        return sorted(found, key=lambda page: page.title.casefold())

    def in_stage(self, stage, language):
        """The Start for Life pages for a stage, in the visitor's language where translated: those with
        a ``priority`` for the stage first, by that number, then the rest by title. The order is the
        English page's, so a translation need not repeat the priority."""
        return [page for _, page in self._ranked(stage, language)]

    def stage_groups(self, stage, language, count=START_HERE):
        """``in_stage`` split in two: the first ``count`` pages that have a priority there ("Start
        here"), and the rest."""
        ranked = self._ranked(stage, language)
        first = [page for priority, page in ranked[:count] if priority is not None]
        return first, [page for _, page in ranked[len(first):]]

    def _ranked(self, stage, language):
        """(priority or None, page to show) for each page of a stage, most important first."""
        found = [
            (p.priority_in(stage), self.find(p.section, p.slug, language))
            for p in self.english("start-for-life") if stage in p.stages
        ]
        return sorted(found, key=lambda item: by_priority(item[0], item[1].title))


def by_priority(priority, title):
    """Sort key: pages with a priority first, lowest number first; then the rest A–Z."""
    return (priority is None, priority or 0, title.casefold())


def read_priority(value, stages=STAGE_SLUGS):
    """The ``priority`` front matter (``{pregnancy: 1, birth-to-6-months: 3}``) → the (stage, number)
    pairs that are right, and a message for each that is not. ``stages`` are the page's own stages."""
    if value is None:
        return (), []
    if not isinstance(value, dict):
        return (), ["'priority' must give each stage a number, like {pregnancy: 1, birth-to-6-months: 3}"]
    good, problems = [], []
    for stage, number in value.items():
        if stage not in STAGE_SLUGS:
            problems.append(f"Unknown stage '{stage}' in 'priority': use one of {', '.join(STAGE_SLUGS)}")
        elif stage not in stages:
            problems.append(f"'priority' gives {stage} a number, but the page is not in that stage: "
                            "add the stage to 'stage' or take it out of 'priority'")
        elif isinstance(number, bool) or not isinstance(number, int) or number < 1:
            problems.append(f"The priority for {stage} must be a whole number from 1 (most important), not '{number}'")
        else:
            good.append((stage, number))
    return tuple(sorted(good)), problems


def placeholders(settings):
    """What each ``{{ name }}`` in a page stands for, from the site settings (Markdown)."""
    council, urgent = settings.council, settings.urgent_help
    helplines = "\n".join(
        f"- **{line.name}**: [{line.number}](tel:{line.number.replace(' ', '')}). {line.description}"
        for line in settings.helplines
    )
    return {
        "council": council["name"],
        "family_information_phone": council["family_information_phone"],
        "family_information_hours": council["family_information_hours"],
        "front_door_name": urgent["childrens_front_door_name"],
        "front_door_phone": urgent["childrens_front_door_phone"],
        "front_door_hours": urgent["childrens_front_door_hours"],
        "emergency_number": urgent["emergency_number"],
        "helplines": "\n\n" + helplines + "\n\n",
    }


def fill_placeholders(text, values):
    """Each known ``{{ name }}`` replaced; an unknown one is left for the check to report."""
    return PLACEHOLDER.sub(lambda found: values.get(found.group(1), found.group(0)), text)


def site_href(href):
    """A link as written in a page's source → the link on the site (relative, so languages are kept)."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or href.startswith("#"):
        return href
    if href.startswith("/"):
        return ".." + href  # every page is one level down: /start-for-life/<slug>
    path = parts.path
    if path.endswith(".md"):
        path = path[: -len(".md")]
    return path + (f"#{parts.fragment}" if parts.fragment else "")


class _SiteLinks(Treeprocessor):
    """Rewrites links to the site's addresses, noting the links and images as written for the check."""

    def run(self, root):
        self.md.written_links = []
        self.md.written_images = []
        for link in root.iter("a"):
            if link.get("href") is not None:
                self.md.written_links.append(link.get("href"))
                link.set("href", site_href(link.get("href")))
        for image in root.iter("img"):
            self.md.written_images.append((image.get("src") or "", image.get("alt") or ""))


class _PhoneLinks(Treeprocessor):
    """Makes each phone number in a page's text a link that calls it (not inside a link or code)."""

    def run(self, root):
        self._within(root)

    def _within(self, element):
        for child in list(element):
            if child.tag not in ("a", "code", "pre"):
                self._within(child)
            self._link(element, child, "tail")
        if element.tag not in ("a", "code", "pre"):
            self._link(element, None, "text")

    @staticmethod
    def _link(parent, child, part):
        """Split ``parent.text`` (or ``child.tail``) around its numbers, each made an <a>."""
        holder = parent if child is None else child
        text = getattr(holder, part)
        if not text or not PHONE_NUMBER.search(text):
            return
        pieces = PHONE_NUMBER.split(text)
        numbers = PHONE_NUMBER.findall(text)
        setattr(holder, part, pieces[0])
        index = 0 if child is None else list(parent).index(child) + 1
        for offset, (number, after) in enumerate(zip(numbers, pieces[1:], strict=True)):
            link = etree.Element("a", href=tel_href(number))
            link.text, link.tail = number, after
            parent.insert(index + offset, link)


class SiteLinks(Extension):
    def extendMarkdown(self, md):
        md.treeprocessors.register(_SiteLinks(md), "family_hub_links", 1)
        md.treeprocessors.register(_PhoneLinks(md), "family_hub_phone_links", 0)


def markdown_renderer():
    return markdown.Markdown(
        extensions=["tables", "toc", "sane_lists", SiteLinks()], extension_configs={"toc": {"toc_depth": "2-4"}},
        output_format="html",
    )


@dataclass(frozen=True)
class Rendered:
    html: str
    raw_html: tuple  # raw HTML written in the source, which sanitising removes or changes
    links: tuple  # link targets as written
    images: tuple  # (src, alt) as written


def render_markdown(text):
    """Markdown to sanitised HTML with GOV.UK classes."""
    return render(text).html


def render(text):
    renderer = markdown_renderer()
    html = renderer.convert(text)
    raw = tuple(str(block) for block in renderer.htmlStash.rawHtmlBlocks)
    html = nh3.clean(
        html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes=EXTERNAL_SCHEMES,
        link_rel="noopener noreferrer",
    )
    html = _OPENING_TAG.sub(lambda tag: f'<{tag.group(1)} class="{CLASSES[tag.group(1)]}"', html)
    return Rendered(html, raw, tuple(renderer.written_links), tuple(renderer.written_images))


def page_files(content_dir, languages):
    """(section, slug, language, path) of every page file."""
    content_dir = Path(content_dir)
    for language in languages:
        base = content_dir if language == "en" else content_dir / language
        for section in SECTIONS:
            for path in sorted((base / section).glob("*.md")):
                yield section, path.stem, language, path


def _as_tuple(value):
    if value is None:
        return ()
    if isinstance(value, (list, tuple)):
        return tuple(str(item) for item in value)
    return (str(value),)


def read_page(section, slug, language, path, values):
    """The page from one file (front matter is checked by ``flask content check``, not here)."""
    post = frontmatter.load(path)
    html = render_markdown(fill_placeholders(post.content, values))
    meta = post.metadata
    stages = tuple(stage for stage in _as_tuple(meta.get("stage")) if stage in STAGE_SLUGS)
    return Page(
        section=section,
        slug=slug,
        language=language,
        title=str(meta.get("title") or slug),
        summary=str(meta.get("summary") or ""),
        html=html,
        stages=stages,
        topics=_as_tuple(meta.get("topics")),
        related=_as_tuple(meta.get("related")),
        updated=meta.get("updated") if isinstance(meta.get("updated"), date) else None,
        review_by=meta.get("review_by") if isinstance(meta.get("review_by"), date) else None,
        owner=str(meta.get("owner") or ""),
        priority=read_priority(meta.get("priority"), stages)[0],
        path=path,
    )


def load_library(content_dir, settings):
    """Every page, rendered once. A page that cannot be read is left out (``flask content check`` says why)."""
    values = {code: tuple(sorted(placeholders(settings.in_language(code)).items())) for code in settings.language_codes}
    library = Library()
    for section, slug, language, path in page_files(content_dir, settings.language_codes):
        try:
            changed = path.stat()
            library.pages[(section, slug, language)] = _read_page_once(
                section, slug, language, path, changed.st_mtime_ns, changed.st_size, values[language]
            )
        except Exception as error:  # a broken file must not stop the site, or the check, from starting
            log.warning("Content page %s/%s (%s) is left out: %s", section, slug, language, type(error).__name__)
    return library


@lru_cache(maxsize=1024)
def _read_page_once(section, slug, language, path, mtime_ns, size, values):
    """A page as ``read_page`` makes it, kept while its file is unchanged: an app made again in the
    same process (the tests make many) does not render every page again. Pages are frozen."""
    return read_page(section, slug, language, path, dict(values))


def relative_target(page_path, href):
    """The file a relative source link points at (``None`` for external or root links), and its anchor."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or href.startswith("/"):
        return None, None
    if not parts.path:
        return page_path, parts.fragment or None
    return Path(page_path).parent / PurePosixPath(parts.path), parts.fragment or None
