"""Loading Markdown pages: front matter, rendering and sanitising, once, at start-up.

``content/pages/<slug>.md`` is the English page; ``<slug>.<lang>.md`` is its
translation. A page missing in a language falls back to English.
"""

from dataclasses import dataclass
from pathlib import Path

import frontmatter
import markdown
import nh3

ALLOWED_TAGS = {
    "a", "abbr", "blockquote", "br", "code", "em", "h2", "h3", "h4", "hr", "li", "ol",
    "p", "pre", "strong", "table", "tbody", "td", "th", "thead", "tr", "ul",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "h2": {"id"}, "h3": {"id"}, "h4": {"id"}, "th": {"scope"}}
# GOV.UK Frontend classes for the elements Markdown produces.
CLASSES = {
    "<h2": '<h2 class="govuk-heading-m"', "<h3": '<h3 class="govuk-heading-s"', "<h4": '<h4 class="govuk-heading-s"',
    "<p>": '<p class="govuk-body">', "<ul>": '<ul class="govuk-list govuk-list--bullet">',
    "<ol>": '<ol class="govuk-list govuk-list--number">', "<a ": '<a class="govuk-link" ',
    "<table>": '<table class="govuk-table">', "<tr>": '<tr class="govuk-table__row">',
    "<th>": '<th class="govuk-table__header">', "<td>": '<td class="govuk-table__cell">',
}


@dataclass(frozen=True)
class Page:
    slug: str
    language: str
    title: str
    summary: str
    html: str


def render_markdown(text):
    """Markdown to sanitised HTML with GOV.UK classes."""
    html = markdown.markdown(text, extensions=["tables", "toc", "sane_lists"], output_format="html")
    html = nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, link_rel="noopener noreferrer")
    for plain, styled in CLASSES.items():
        html = html.replace(plain, styled)
    return html


def load_pages(folder: Path, languages):
    """``{(slug, language): Page}`` for every Markdown file in the folder."""
    pages = {}
    for path in sorted(Path(folder).glob("*.md")):
        slug, _, language = path.stem.partition(".")
        language = language or "en"
        if language not in languages:
            continue
        post = frontmatter.load(path)
        pages[(slug, language)] = Page(
            slug=slug,
            language=language,
            title=str(post.get("title", slug)),
            summary=str(post.get("summary", "")),
            html=render_markdown(post.content),
        )
    return pages


def find_page(pages, slug, language):
    """The page in the language asked for, or in English."""
    return pages.get((slug, language)) or pages.get((slug, "en"))
