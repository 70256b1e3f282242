"""Requests no form on the site could send are turned away before any view reads them.

``MAX_CONTENT_LENGTH`` (Flask) bounds a request's body and ``MAX_FORM_PARTS``
the parts of a multipart one; Werkzeug does not count the fields of an ordinary
(url-encoded) form, so ``MAX_FORM_FIELDS`` does that here. Each gives the kind
"What you sent was too large" page (413).

``from_another_site`` tells a public form (one that sets no cookie, so carries no
token) that the browser sent it from another site's page.
"""

from urllib.parse import urlsplit

from flask import current_app, request
from werkzeug.exceptions import RequestEntityTooLarge


def init_app(app):
    app.before_request(_count_form_fields)


def _count_form_fields():
    if request.method != "POST" or request.mimetype != "application/x-www-form-urlencoded":
        return
    if sum(1 for _ in request.form.items(multi=True)) > current_app.config["MAX_FORM_FIELDS"]:
        raise RequestEntityTooLarge()


def from_another_site():
    """Whether the browser says this form was sent from another site's page."""
    if request.headers.get("Sec-Fetch-Site") in ("cross-site", "same-site"):
        return True
    origin = request.headers.get("Origin")
    ours = {request.host, urlsplit(current_app.config["SITE_URL"]).netloc}
    return bool(origin) and origin != "null" and urlsplit(origin).netloc not in ours
