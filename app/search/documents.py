"""What goes into the search index besides the services the directory hands over: every English content page."""

from flask import current_app
from sqlalchemy import func, select

from app.extensions import db
from app.models import Service, TaxonomyTerm, codes


def count_services():
    return db.session.scalar(
        select(func.count()).select_from(Service).where(Service.status.in_(codes.LISTED_STATUSES))
    )


def page_documents():
    """(what the results page shows, text fields) for each English content page."""
    library = current_app.extensions.get("content")
    pages = library.english() if library else []
    names = _topic_names({page.topics[0] for page in pages if page.topics})
    for page in pages:
        topic = names.get(page.topics[0], "") if page.topics else ""  # its main topic: what the page is about
        about = {"section": page.section, "slug": page.slug, "title": page.title, "summary": page.summary,
                 "topic": topic}
        yield about, {
            "name": page.title,
            "category": "",
            "organization": "",
            "description": f"{page.summary} {page.text}",
        }


def _topic_names(codes_wanted):
    if not codes_wanted:
        return {}
    rows = db.session.execute(select(TaxonomyTerm.term, TaxonomyTerm.name).where(TaxonomyTerm.term.in_(codes_wanted)))
    return dict(rows.all())
