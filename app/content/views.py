from flask import abort, current_app, redirect, render_template, request, send_from_directory, url_for

from app import clock
from app.content import bp
from app.content.forms import DateForm
from app.content.library import IMAGE_SUFFIXES
from app.content.stages import STAGES, DateProblem, stage_for_birth, stage_for_due_date, stage_named
from app.directory import catalogue
from app.domain.postcodes import normalise_postcode, postcode_location
from app.extensions import csrf
from app.languages import current_language
from app.page_cache import cached_page
from app.search import geo, search_service
from app.site_settings import current_settings

SERVICES_SHOWN = 5


def library():
    return current_app.extensions["content"]


@bp.route("/start-for-life", methods=["GET", "POST"])
@csrf.exempt  # the form changes nothing and needs no cookie: it only chooses a page to go to
@cached_page
def start_for_life():
    forms = {kind: DateForm(kind, request.form if request.method == "POST" else None) for kind in ("due", "born")}
    if request.method == "POST":
        kind = "born" if "born-submit" in request.form else "due"
        form = forms[kind]
        found = form.parsed()
        if found is not None:
            today = clock.now().date()
            try:
                fit = (stage_for_due_date if kind == "due" else stage_for_birth)(found, today)
            except DateProblem as problem:
                form.fail(problem)
            else:
                if fit.stage is not None:
                    return redirect(url_for("content.start_for_life_page", slug=fit.stage.slug), 303)
                return redirect(url_for("directory.browse", age=min(fit.age_years, 25)), 303)
    return render_template("content/start_for_life.html", stages=STAGES, forms=forms)


@bp.get("/start-for-life/<slug>")
@cached_page(reads=("postcode", "s"))
def start_for_life_page(slug):
    stage = stage_named(slug)
    if stage is not None:
        start_here, pages = library().stage_groups(stage.slug, current_language())
        return render_template("content/stage.html", stage=stage, stages=STAGES, start_here=start_here, pages=pages)
    return _page("start-for-life", slug)


@bp.get("/pages/<slug>")
@cached_page(reads=("postcode", "s"))
def page(slug):
    return _page("pages", slug)


@bp.get("/start-for-life/images/<name>")
@bp.get("/pages/images/<name>")
def image(name):
    section = request.url_rule.rule.split("/")[1]
    if not any(name.lower().endswith(suffix) for suffix in IMAGE_SUFFIXES):
        abort(404)
    return send_from_directory(current_app.config["CONTENT_DIR"] / section / "images", name)


def _page(section, slug):
    found = library().find(section, slug, current_language())
    if found is None:
        abort(404)
    settings = current_settings()
    postcode_text = request.args.get("postcode", "")[:20]
    postcode = normalise_postcode(postcode_text) if postcode_text.strip() else None
    postcode_error = bool(postcode_text.strip()) and postcode is None
    point = geo.locate(postcode, settings, postcode_location) if postcode else None
    services, topics = None, []
    if found.topics:
        directory = search_service().directory()
        services = directory.in_categories(found.topics, point)
        names = catalogue.category_names()
        topics = [
            {"code": code, "name": names[code], "count": directory.facets.value("category", code).bit_count()}
            for code in found.topics
            if code in names
        ]
    related = [p for p in (library().find("start-for-life", s, current_language()) for s in found.related) if p]
    stages = [stage_named(s) for s in found.stages]
    return render_template(
        "content/page.html",
        page=found,
        services=services[:SERVICES_SHOWN] if services is not None else None,
        topics=topics,
        point=point,
        postcode=postcode_text if postcode_error else (postcode or ""),
        postcode_error=postcode_error,
        related=related,
        stages=stages,
        translated=found.language == current_language(),
    )

