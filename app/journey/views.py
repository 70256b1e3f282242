from pathlib import Path

from flask import current_app, g, redirect, render_template, request, url_for

from app import clock
from app.analytics.counting import note
from app.directory.slugs import is_slug
from app.domain.postcodes import normalise_postcode, postcode_location
from app.extensions import csrf
from app.journey import bp
from app.journey.labels import AGE_LABELS, IMPACT_LABELS, WHO_LABELS, access_names, need_labels
from app.journey.rules import AGE_BANDS, IMPACTS, advise, bands_for_stages, load_rules, service_fits
from app.journey.steps import STEPS, Given, answers_of, first_problem, next_step, previous_step
from app.languages import current_language
from app.page_cache import cached_page
from app.search import geo, search_service
from app.signposting.lists import resolve
from app.site_settings import current_settings

SERVICES_SHOWN = {"universal": 6, "targeted": 4}

def rules():
    """The rules, read once per process (the development server restarts when they change)."""
    found = current_app.extensions.get("journey_rules")
    if found is None:
        found = current_app.extensions["journey_rules"] = load_rules(
            Path(current_app.config["CONTENT_DIR"]) / "journey" / "rules.toml"
        )
    return found


@bp.after_request
def never_stored(response):
    # The answers are on these pages: no browser or proxy may keep a copy.
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/get-help", methods=["GET", "POST"])
@csrf.exempt  # nothing is stored or changed, and no cookie is set: it only chooses what to show
@cached_page  # the first question is the same for everyone (a POST, with answers, is never kept)
def get_help():
    settings = current_settings()
    districts = {district.slug for district in settings.districts}
    if request.method == "GET":
        note("event", "journey-start")
        return _step("who", Given())
    # Every answer so far arrives as POSTed form fields (see app/journey/steps.py for why).
    given = Given.from_form(request.form)
    step = request.form.get("step", "")
    if step not in STEPS:
        step = "who"
    action = request.form.get("action", "continue")
    if action == "list":
        return _list_changed(given, districts)
    if action == "back":
        return _step(previous_step(step), given)
    if action == "skip" and step == "where":
        given.postcode = given.district = ""
    problem = first_problem(step, given, clock.now().date(), districts)
    if problem is not None:
        return _step(problem.step, given, problem), 200
    following = next_step(step, given)
    if following == "urgent":
        return redirect(url_for("content.page", slug="urgent-help"), 303)
    if following == "professional":
        return render_template("journey/professional.html", given=given)
    if following == "result":
        return _result(given)
    return _step(following, given)


def _step(step, given, problem=None):
    young = given.who == "young-person"
    return render_template(
        f"journey/{step}.html",
        step=step,
        given=given,
        problem=problem,
        young=young,
        hidden=given.fields(step),
        who_labels=WHO_LABELS,
        age_labels=[(band, AGE_LABELS[band]) for band in ("pregnancy", *AGE_BANDS[1:])],
        need_labels=need_labels(young),
        impact_labels=[(impact, IMPACT_LABELS[impact][1 if young else 0]) for impact in IMPACTS],
        districts=current_settings().districts,
        error_title=problem is not None,
    )


def _list_changed(given, districts):
    """"Add to list" on the result: the same result again, with the service added to (or taken from)
    the list, which travels with the answers as a POSTed field and from there in the links to the
    directory and the list, as it does everywhere else."""
    problem = first_problem("where", given, clock.now().date(), districts)
    if problem is not None:
        return _step(problem.step, given, problem), 200
    if next_step("where", given) == "professional":
        return render_template("journey/professional.html", given=given)
    shortlist = resolve(request.form.getlist("s"))
    toggle = request.form.get("toggle", "")
    if is_slug(toggle):
        shortlist = resolve([shortlist.toggled(toggle) or ""])
    g.shortlist = shortlist
    return _result(given, counted=False)


def _result(given, counted=True):
    settings = current_settings()
    answers = answers_of(given)
    library = current_app.extensions["content"]
    advice = advise(rules(), answers, _page_ages())
    if counted:  # changing the list on the result is not another finished journey
        note("event", "journey-complete")
    if g.get("shortlist") is None:
        g.shortlist = resolve([])
    pages = [library.find(*page.split("/", 1), current_language()) for page in advice.pages]
    postcode = normalise_postcode(given.postcode) if given.postcode else None
    point = geo.locate(postcode, settings, postcode_location) if postcode else None
    district_slug = given.district or (point.district if point else None)
    district = settings.district(district_slug) if district_slug else None
    directory = search_service().directory()
    services, shown = {}, set()
    for kind, codes in (("universal", advice.universal), ("targeted", advice.targeted)):
        services[kind] = _services(directory, codes, answers, advice.own_needs, point, district_slug,
                                   SERVICES_SHOWN[kind], shown)
        shown |= {result.listing.id for result in services[kind]}
    domestic_abuse_line = next((line for line in settings.helplines if "domestic abuse" in line.name.casefold()), None)
    young = given.who == "young-person"
    return render_template(
        "journey/result.html",
        given=given,
        advice=advice,
        pages=[page for page in pages if page is not None],
        services=services,
        point=point,
        district=district,
        young=young,
        domestic_abuse_line=domestic_abuse_line,
        helplines=[line for name in advice.helplines for line in settings.helplines if line.name == name],
        access_names=access_names(young),
        need_names=[label for _need, label in need_labels(young, advice.needs)],
        answers=given.fields("result"),
    )


def _page_ages():
    """Start for Life page → the age bands its stages are for, worked out once per process, as the rules are."""
    found = current_app.extensions.get("journey_page_ages")
    if found is None:
        library = current_app.extensions["content"]
        found = current_app.extensions["journey_page_ages"] = {
            f"{page.section}/{page.slug}": bands_for_stages(page.stages) for page in library.english("start-for-life")
        }
    return found


def _services(directory, codes, answers, own_needs, point, district, most, shown=frozenset()):
    """Services in these categories that fit the person and the ages, in this place, and not ``shown``
    already: nearest first, or A to Z."""
    if not codes:
        return []
    results = directory.in_categories(codes, point)
    chosen = []
    for result in results:
        listing = result.listing
        if listing.id in shown:
            continue
        if district and not point and district not in listing.districts and not listing.anywhere:
            continue
        own_need = bool(listing.categories & set(own_needs))
        if not service_fits(listing.minimum_age, listing.maximum_age, listing.for_pregnancy, answers.who,
                            answers.bands, own_need, answers.age):
            continue
        chosen.append(result)
        if len(chosen) == most:
            break
    return chosen

