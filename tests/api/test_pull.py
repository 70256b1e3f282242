"""``flask services pull``: another organisation's ORUK 3.0 API read over real HTTP and imported all or nothing.

A second instance of this project serves a partner's directory on loopback; small
servers made here serve the profile's own examples, and feeds that break the
schema, answer too slowly or page wrongly. A refused feed changes nothing (each of those tests checks
so), so they need no demo directory put back afterwards.
"""

import copy
import json
import time
import uuid
from pathlib import Path

import pytest
from sqlalchemy import func, select
from werkzeug.wrappers import Request, Response

from app.directory.importer import import_services
from app.extensions import db
from app.models import Feed, Service
from tests.api.oruk import EXAMPLES
from tests.api.test_api import walk
from tests.conftest import build_app
from tests.pages import parse, text_of
from tests.servers import serve

ROOT = Path(__file__).resolve().parents[2]
DEMO_RECORDS = json.loads((ROOT / "content" / "directory" / "demo-services.json").read_text())
PARTNER = "Partner directory (demo)"
NAMESPACE = uuid.UUID("6f1d8f5e-7f0e-4c39-9d8a-6f3c2b1a0e11")


def renumbered(value):
    """A copy of demo records with every id made new, so the partner's services are its own."""
    if isinstance(value, dict):
        return {key: (str(uuid.uuid5(NAMESPACE, item)) if key == "id" and isinstance(item, str) else
                      item if key == "taxonomy_term_id" else renumbered(item))
                for key, item in value.items()}
    if isinstance(value, list):
        return [renumbered(item) for item in value]
    return value


def partner_records(count=12):
    records = renumbered(copy.deepcopy(DEMO_RECORDS[:count]))
    for record in records:
        record["name"] = f"{record['name']} (partner)"
        for attribute in record.get("attributes", []):
            attribute.pop("taxonomy_term", None)
    return records


@pytest.fixture(scope="module")
def partner(tmp_path_factory):
    """A second Family Hub on its own database, holding only the partner's services, served over HTTP."""
    other = build_app(f"sqlite:///{tmp_path_factory.mktemp('partner') / 'partner.db'}")
    with other.app_context():
        from app.directory.importer import clear_directory

        clear_directory()
        import_services(partner_records())
    for url in serve(other):
        yield other, url


def pull(runner, url, *options, publish=True):
    """``flask services pull``, published at once (``publish``), or waiting for an editor's approval."""
    return runner.invoke(args=["services", "pull", url, *options, *(["--publish"] if publish else [])])


def counts(app):
    with app.app_context():
        return (db.session.scalar(select(func.count()).select_from(Service)),
                db.session.scalar(select(func.count()).select_from(Feed)))


def api(client, path):
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return response.get_json()


def test_what_one_instance_serves_the_other_shows_the_same(app, client, runner, partner, restore_demo):
    other, url = partner
    own = {s["id"] for s in walk(client, "/api/services", 200)[0]}
    result = pull(runner, url + "/api", "--name", PARTNER)
    assert result.exit_code == 0, result.output
    assert f'From "{PARTNER}": 12 added, 0 changed, 0 closed, 0 unchanged.' in result.output
    theirs = other.test_client()
    partner_ids = [s["id"] for s in walk(theirs, "/api/services", 200)[0]]
    assert len(partner_ids) == 12 and own.isdisjoint(partner_ids)
    for service_id in partner_ids:
        assert api(client, f"/api/services/{service_id}") == api(theirs, f"/api/services/{service_id}")
    ours = {s["id"] for s in walk(client, "/api/services", 200)[0]}
    assert ours == own | set(partner_ids)  # side by side with the council's own
    # The service page says where the entry came from; the council's own pages do not.
    pulled = api(client, f"/api/services/{partner_ids[0]}")
    with app.app_context():
        slug = db.session.get(Service, pulled["id"]).slug
        own_slug = db.session.get(Service, next(iter(own))).slug
    page = parse(client.get(f"/services/{slug}"))
    assert text_of(page.find(id="source")) == (
        f"These details come from another directory, {PARTNER}. We copy them from there.")
    assert parse(client.get(f"/services/{own_slug}")).find(id="source") is None
    # Found by the site's search at once.
    assert pulled["name"] in text_of(parse(client.get("/services?q=" + pulled["name"].split(" (")[0])))


def test_a_second_pull_changes_what_changed_and_closes_what_left(app, client, runner, partner, restore_demo):
    other, url = partner
    assert pull(runner, url + "/api", "--name", PARTNER).exit_code == 0
    again = pull(runner, url + "/api", "--name", PARTNER)
    assert "0 added, 0 changed, 0 closed, 12 unchanged." in again.output
    with other.app_context():
        first, second = db.session.scalars(select(Service).order_by(Service.name).limit(2)).all()
        first.name, second.status = "Renamed by the partner", "defunct"
        gone, renamed = second.id, first.id
        db.session.commit()
    try:
        before = counts(app)
        dry = pull(runner, url + "/api", "--name", PARTNER, "--dry-run")
        assert dry.exit_code == 0, dry.output
        assert "Dry run: nothing changed." in dry.output
        assert "0 would be added, 1 would be changed, 1 would be closed, 10 unchanged." in dry.output
        assert counts(app) == before and api(client, f"/api/services/{gone}")["id"] == gone
        real = pull(runner, url + "/api", "--name", PARTNER)
        assert "0 added, 1 changed, 1 closed, 10 unchanged." in real.output
        assert "Changed: Renamed by the partner" in real.output
        assert client.get(f"/api/services/{gone}").status_code == 404
        assert api(client, f"/api/services/{renamed}")["name"] == "Renamed by the partner"
        with app.app_context():
            kept = db.session.get(Service, gone)
            assert kept is not None and kept.status == "defunct"  # closed, not deleted
    finally:
        with other.app_context():
            db.session.get(Service, renamed).name = partner_records()[0]["name"]
            db.session.get(Service, gone).status = "active"
            db.session.commit()


def test_a_feed_cannot_take_over_the_councils_own_services(app, runner):
    before = counts(app)
    own = copy.deepcopy(DEMO_RECORDS[:2])
    with feed_server({"/": {"version": "HSDS-UK-3.0"}, "/services": lambda request: page_of(own, request),
                      **{f"/services/{r['id']}": r for r in own}}) as url:
        result = pull(runner, url)
    assert result.exit_code == 1
    assert "is already a service of the council's own directory" in result.output
    assert counts(app) == before


# ------------------------------------------------------------------ small feeds made here


class feed_server:
    """Serve ``routes`` (path -> JSON, or a function of the request giving JSON) over HTTP on loopback."""

    def __init__(self, routes, delay=0.0):
        self.routes, self.delay = routes, delay

    def __call__(self, environ, start_response):
        request = Request(environ)
        route = self.routes.get(request.path.rstrip("/") or "/")
        if route is None:
            return Response('{"status": 404}', 404, mimetype="application/json")(environ, start_response)
        time.sleep(self.delay)
        body = route(request) if callable(route) else route
        return Response(json.dumps(body), mimetype="application/json")(environ, start_response)

    def __enter__(self):
        self._serving = serve(self)
        return next(self._serving)

    def __exit__(self, *exc):
        next(self._serving, None)


def page_of(records, request, per_page=None):
    size = per_page or int(request.args.get("per_page", 50))
    number = int(request.args.get("page", 1))
    chosen = records[(number - 1) * size:number * size]
    pages = -(-len(records) // size)
    summary = [{k: v for k, v in r.items() if not isinstance(v, list)} for r in chosen]
    return {"total_items": len(records), "total_pages": pages, "page_number": number, "size": len(chosen),
            "first_page": number == 1, "last_page": number >= pages, "empty": not chosen, "contents": summary}


def example(name):
    return json.loads((EXAMPLES / name).read_text())


def test_a_feed_served_from_the_profiles_own_examples_is_pulled(app, client, runner, restore_demo):
    full = example("service_full.json")
    listed = example("service_list.json")["contents"]
    routes = {"/": {"version": "HSDS-UK-3.0"},
              "/services": lambda request: {**page_of(listed, request), "contents": listed},
              f"/services/{full['id']}": full}
    with feed_server(routes) as url:
        result = pull(runner, url, "--name", "Profile examples")
    assert result.exit_code == 0, result.output
    assert 'From "Profile examples": 1 added' in result.output
    # What this directory cannot use is left out and said so, not refused.
    assert "coordinates are not a place in the United Kingdom" in result.output
    assert '"ABC 1234" is not a UK postcode: kept as written' in result.output
    assert "is not one of ours" in result.output
    record = api(client, f"/api/services/{full['id']}")
    assert record["name"] == "Community Counselling" and record["minimum_age"] == 12
    assert record["service_at_locations"][0]["location"]["addresses"][0]["postal_code"] == "ABC 1234"
    assert record["schedules"][0]["byday"] == "TH,FR"


@pytest.mark.parametrize("case, expected", [
    ("examples' page as it is", "says it is page 1"),
    ("a service twice", "more than once"),
    ("fewer than it says", "says it has 5 services, but its pages list 4"),
    ("a status the schema refuses", "status: 'open' is not one of"),
    ("a list item without a name", "'name' is a required property"),
    ("the wrong record", "answered with service"),
    ("not JSON", "did not answer in JSON"),
    ("no version", "does not say it is an HSDS 3.0 API"),
])
def test_a_feed_that_breaks_the_rules_is_refused_whole(app, runner, case, expected):
    records = partner_records(5)
    routes = {"/": {"version": "HSDS-UK-3.0"}, "/services": lambda request: page_of(records, request),
              **{f"/services/{r['id']}": r for r in records}}
    if case == "examples' page as it is":
        routes["/services"] = example("service_list.json")
        routes["/services/" + example("service_list.json")["contents"][0]["id"]] = example("service_full.json")
    elif case == "a service twice":
        routes["/services"] = lambda request: page_of(records[:4] + records[:1], request, per_page=2)
    elif case == "fewer than it says":
        routes["/services"] = lambda request: {**page_of(records, request), "contents": page_of(records[:4], request)["contents"]}
    elif case == "a status the schema refuses":
        routes[f"/services/{records[3]['id']}"] = {**records[3], "status": "open"}
    elif case == "a list item without a name":
        routes["/services"] = lambda request: {**page_of(records, request), "contents": [
            {k: v for k, v in item.items() if k != "name"} for item in page_of(records, request)["contents"]]}
    elif case == "the wrong record":
        routes[f"/services/{records[2]['id']}"] = records[1]
    elif case == "no version":
        routes["/"] = {"name": "a directory"}
    before = counts(app)
    server = feed_server(routes)
    if case == "not JSON":
        server = NotJson(routes, f"/services/{records[4]['id']}")
    with server as url:
        result = pull(runner, url, "--name", "Broken feed")
    assert result.exit_code == 1, result.output
    assert "Nothing was pulled" in result.output and expected in result.output, result.output
    assert counts(app) == before


class NotJson(feed_server):
    def __init__(self, routes, html_path):
        super().__init__(routes)
        self.html_path = html_path

    def __call__(self, environ, start_response):
        if Request(environ).path == self.html_path:
            return Response("<html><body>Sorry</body></html>", mimetype="text/html")(environ, start_response)
        return super().__call__(environ, start_response)


def test_a_feed_that_answers_too_slowly_is_refused(app, runner):
    records = partner_records(2)
    routes = {"/": {"version": "HSDS-UK-3.0"}, "/services": lambda request: page_of(records, request),
              **{f"/services/{r['id']}": r for r in records}}
    before = counts(app)
    with feed_server(routes, delay=1.5) as url:
        started = time.monotonic()
        result = pull(runner, url, "--timeout", "0.3")
        took = time.monotonic() - started
    assert result.exit_code == 1
    assert "did not answer within 0.3 seconds" in result.output
    assert took < 1.4 and counts(app) == before


def test_an_address_that_is_not_a_web_address_is_refused(runner):
    result = pull(runner, "file:///etc/passwd")
    assert result.exit_code == 1 and "is not a web address" in result.output


def test_a_pull_waits_for_an_editors_approval_and_publishing_one_change_closes_nothing(app, client, runner, partner, restore_demo):
    from tests.staff.test_editing import editor
    from tests.staff.test_staff import token_on

    other, url = partner
    before = counts(app)
    result = pull(runner, url + "/api", "--name", PARTNER, publish=False)
    assert result.exit_code == 0, result.output
    assert "Nothing is published yet" in result.output and f'From "{PARTNER}": 12 added' in result.output
    assert counts(app)[0] == before[0]  # no service yet; the feed is known
    again = pull(runner, url + "/api", "--name", PARTNER, publish=False)
    assert again.exit_code == 0
    with app.app_context():
        from app.models import ServiceChange

        waiting = db.session.scalars(select(ServiceChange).where(ServiceChange.state == "draft")).all()
        assert len(waiting) == 12 and {change.source for change in waiting} == {"feed"}  # the second pull added none
        one = waiting[0]
        first_id, first_number = one.service_id, one.id
    everywhere = editor(app, runner, districts="all")
    page = everywhere.get(f"/staff/changes/{first_number}")
    assert "Pulled from a feed" in text_of(parse(page).find("main"))
    approved = everywhere.post(f"/staff/changes/{first_number}/approve", data={"csrf_token": token_on(page)})
    assert approved.status_code == 303
    with app.app_context():
        published = db.session.get(Service, first_id)
        assert published.feed is not None and published.feed.name == PARTNER
    rest = everywhere.get(f"/staff/changes/{first_number + 1}")
    everywhere.post(f"/staff/changes/{first_number + 1}/approve-all", data={"csrf_token": token_on(rest)})
    with app.app_context():
        theirs = db.session.scalars(select(Service).join(Feed).where(Feed.name == PARTNER)).all()
        assert len(theirs) == 12 and "defunct" not in {service.status for service in theirs}  # none closed
