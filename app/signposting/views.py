from flask import current_app, g, render_template, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from app import clock
from app.directory.service_details import facts, with_details
from app.extensions import db
from app.models import Service
from app.page_cache import cached_page
from app.signposting import bp
from app.signposting.sharing import mailto, qr_code, sms
from app.site_settings import current_settings


@bp.get("/shortlist")
@cached_page(reads=("s",))
def shortlist():
    listed = g.shortlist
    settings = current_settings()
    now = clock.now()
    wanted = [entry.slug for entry in listed.entries if entry.available]
    found = {s.slug: s for s in db.session.scalars(with_details(select(Service).where(Service.slug.in_(wanted))))}
    items = [
        {"entry": entry, "facts": facts(found[entry.slug], now, settings) if entry.slug in found else None}
        for entry in listed.entries
    ]
    share = None
    if listed:
        # The site's public address (not the one this request came in on, which a proxy may have changed).
        link = current_app.config["SITE_URL"] + url_for("signposting.shortlist")
        message = _("Here is a list of services that could help: %(link)s", link=link)
        share = {
            "link": link,
            "email": mailto(_("Services that could help, from %(site)s", site=settings.council["site_name"]), message),
            "text": sms(message),
        }
        share["qr"], share["qr_size"] = qr_code(link, _("QR code that opens this list"))
    return render_template("signposting/shortlist.html", items=items, share=share, now=now)


@bp.get("/professionals")
@cached_page
def professionals():
    return render_template("signposting/professionals.html")
