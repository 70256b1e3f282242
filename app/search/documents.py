"""What goes into the search index: every listed service and every English content page."""

from flask import current_app
from sqlalchemy import func, select

from app.directory import catalogue, taxonomies
from app.extensions import db
from app.models import Service


def count_services():
    return db.session.scalar(
        select(func.count()).select_from(Service).where(Service.status.in_(taxonomies.LISTED_STATUSES))
    )


def service_documents():
    """(Listing, text fields) for each listed service, in name order."""
    return catalogue.read_listings(current_app.extensions["site_settings"])


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
