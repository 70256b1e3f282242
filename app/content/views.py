from flask import abort, current_app, render_template

from app.content import bp
from app.content.pages import find_page
from app.languages import current_language
from app.page_cache import cached_page


@bp.get("/pages/<slug>")
@cached_page
def page(slug):
    found = find_page(current_app.extensions["content_pages"], slug, current_language())
    if found is None:
        abort(404)
    return render_template("content/page.html", page=found)
