"""What goes into the search index: every listed service and every English content page."""

import html

import nh3
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
    pages = current_app.extensions.get("content_pages", {})
    for (slug, language), page in sorted(pages.items()):
        if language != "en":
            continue
        text = html.unescape(nh3.clean(page.html, tags=set()))
        yield {"slug": slug, "title": page.title, "summary": page.summary}, {
            "name": page.title,
            "category": "",
            "organization": "",
            "description": f"{page.summary} {text}",
        }
