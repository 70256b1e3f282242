"""'Was this page useful?': a POST that needs no cookie, counted and thanked."""

from flask import Blueprint, abort, current_app, render_template, request
from werkzeug.exceptions import HTTPException

from app.analytics.counting import note
from app.content.stages import stage_named
from app.extensions import csrf, db
from app.languages import current_language
from app.models import Service, codes

bp = Blueprint("analytics", __name__)

ANSWERS = {"yes": "useful-yes", "no": "useful-no"}


@bp.post("/useful")
@csrf.exempt  # it changes only a count, and public pages carry no cookie for a token
def useful():
    path = request.form.get("page", "")
    answer = request.form.get("useful", "")
    if answer not in ANSWERS or not asks_if_useful(path):
        abort(400)
    note(ANSWERS[answer], path)
    # script_root holds the language prefix (see app/languages.py), so the way back stays in this language.
    response = current_app.make_response(render_template("main/useful.html", back=request.script_root + path))
    response.headers["Cache-Control"] = "no-store"
    return response


def asks_if_useful(path):
    """True for the path of a content page or a listed service: the pages that ask."""
    if not path.startswith("/") or len(path) > 200 or not path.isprintable():
        return False
    try:
        endpoint, values = current_app.url_map.bind("localhost").match(path, method="GET")
    except HTTPException:  # not a page of this site
        return False
    if endpoint == "directory.service":
        return db.session.scalar(
            db.select(Service.id).where(Service.slug == values["slug"], Service.status.in_(codes.LISTED_STATUSES))
        ) is not None
    library = current_app.extensions["content"]
    if endpoint == "content.page":
        return library.find("pages", values["slug"], current_language()) is not None
    if endpoint == "content.start_for_life_page":  # an article, not a life stage's list of them
        return stage_named(values["slug"]) is None and library.find(
            "start-for-life", values["slug"], current_language()) is not None
    return False
