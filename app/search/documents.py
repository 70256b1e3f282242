"""What goes into the search index besides the services the directory hands over: every English content page."""

from flask import current_app
from sqlalchemy import func, select

from app.extensions import db
from app.models import Service, codes


def count_services():
    return db.session.scalar(
        select(func.count()).select_from(Service).where(Service.status.in_(codes.LISTED_STATUSES))
    )


def page_documents():
    """(what the results page shows, text fields) for each English content page."""
    library = current_app.extensions.get("content")
    for page in library.english() if library else ():
        yield {"section": page.section, "slug": page.slug, "title": page.title, "summary": page.summary}, {
            "name": page.title,
            "category": "",
            "organization": "",
            "description": f"{page.summary} {page.text}",
        }
