"""What editors keep up to date: services due for review (and a weekly email saying so), and the content pages.

A service whose last check is older than ``REVIEW_AFTER_MONTHS`` (or never made)
is due. "Checked, nothing changed" clears it in one action; it changes no more
than the date of the last check, so it is published at once (and kept in the
service's history with who did it), with or without four eyes.
"""

from pathlib import Path

import frontmatter
from flask import current_app, g, render_template, session
from flask_babel import force_locale, ngettext
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from app import clock
from app.content.checks import check_content
from app.content.cli import category_codes
from app.content.library import page_files
from app.directory import editing
from app.directory.catalogue import service_districts
from app.extensions import db
from app.models import Service, StaffUser, codes
from app.referral.outbox import queue_email
from app.staff import bp
from app.staff.auth import editor_required
from app.staff.forms import ActionForm

EMAIL_LISTS_AT_MOST = 40


def months_before(day, months):
    """The same day ``months`` months earlier (the month's last day when it is shorter)."""
    month_index = day.year * 12 + day.month - 1 - months
    year, month = divmod(month_index, 12)
    month += 1
    for last in (31, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)


def due_before():
    return months_before(clock.now().date(), current_app.config["REVIEW_AFTER_MONTHS"])


def due_services(user):
    """The listed services of this editor's districts not checked since ``due_before()``, oldest check first."""
    settings = current_app.extensions["site_settings"]
    cutoff = due_before()
    services = db.session.scalars(db.select(Service).where(
        Service.status.in_(codes.LISTED_STATUSES), (Service.assured_date.is_(None)) | (Service.assured_date < cutoff))
        .options(selectinload(Service.service_at_locations), selectinload(Service.service_areas))).all()
    mine = [service for service in services if editing.may_edit(user, service_districts(service, settings))]
    return sorted(mine, key=lambda service: (service.assured_date is not None, service.assured_date, service.name))


@bp.get("/review")
@editor_required
def review():
    return render_template("staff/review.html", services=due_services(g.staff), due_before=due_before(),
                           months=current_app.config["REVIEW_AFTER_MONTHS"], action_form=ActionForm(),
                           notice=session.pop("staff_notice", None))


def email_editors():
    """The weekly job: each active editor with services due gets one email listing them. The number sent."""
    sent = 0
    site = current_app.config["SITE_URL"]
    for editor in db.session.scalars(db.select(StaffUser).where(StaffUser.active.is_(True))).all():
        if not editor.is_editor:
            continue
        due = due_services(editor)
        if not due:
            continue
        with force_locale("en"):
            lines = [f"- {service.name} ({_('last checked %(when)s', when=service.assured_date.isoformat()) if service.assured_date else _('never checked')})"
                     for service in due[:EMAIL_LISTS_AT_MOST]]
            if len(due) > EMAIL_LISTS_AT_MOST:
                lines.append(_("… and %(count)s more.", count=len(due) - EMAIL_LISTS_AT_MOST))
            queue_email(editor.email, ngettext("%(num)s service is due for review", "%(num)s services are due for review", len(due)), "\n\n".join([
                _("Hello %(name)s,", name=editor.name),
                _("These services in your districts have not been checked for %(months)s months or more:",
                  months=current_app.config["REVIEW_AFTER_MONTHS"]),
                "\n".join(lines),
                _("Check each with the service, then change it or choose “Checked, nothing changed”: %(link)s",
                  link=f"{site}/staff/review"),
            ]))
        sent += 1
    db.session.commit()
    return sent


@bp.get("/pages")
@editor_required
def pages():
    """The content pages, overdue for review first, each with what ``flask content check`` says of it."""
    content_dir = Path(current_app.config["CONTENT_DIR"])
    settings = current_app.extensions["site_settings"]
    today = clock.now().date()
    report = check_content(content_dir, settings, category_codes(content_dir), today, current_app.url_map)
    problems = {}
    for problem in report.problems:
        problems.setdefault(problem.path.resolve(), []).append(problem)
    rows = []
    for section, slug, language, path in page_files(content_dir, settings.language_codes):
        try:
            meta = frontmatter.load(path).metadata
        except Exception:
            meta = {}
        review_by = meta.get("review_by") if hasattr(meta.get("review_by"), "isoformat") else None
        rows.append({"section": section, "slug": slug, "language": language, "title": str(meta.get("title") or slug),
                     "review_by": review_by, "overdue": review_by is not None and review_by < today,
                     "file": str(path.relative_to(content_dir)), "problems": problems.get(path.resolve(), []),
                     "reading_ease": report.readability.get((section, slug)) if language == "en" else None})
    rows.sort(key=lambda row: (not row["overdue"], row["review_by"] is not None, row["review_by"] or today, row["file"]))
    return render_template("staff/pages.html", rows=rows, errors=len(report.errors), warnings=len(report.warnings))
