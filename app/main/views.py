from flask import render_template

from app.main import bp
from app.page_cache import cached_page


@bp.get("/")
@cached_page
def home():
    return render_template("main/home.html")


@bp.get("/healthz")
def healthz():
    return "ok\n", 200, {"Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store"}
