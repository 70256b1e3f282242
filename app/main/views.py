from flask import render_template

from app.main import bp


@bp.get("/")
def home():
    return render_template("main/home.html")


@bp.get("/healthz")
def healthz():
    return "ok\n", 200, {"Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store"}


@bp.get("/start-for-life")
def start_for_life():
    return render_template("main/start_for_life.html")


@bp.get("/get-help")
def get_help():
    return render_template("main/contact_team.html", heading="get-help")


@bp.get("/refer")
def refer():
    return render_template("main/contact_team.html", heading="refer")
