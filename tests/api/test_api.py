"""The Open Referral UK API: every answer valid against the profile's schemas, paged, open and cacheable."""

import json
import time

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Referral, Service, StaffUser, Taxonomy, TaxonomyTerm, codes
from tests.api.oruk import page_problems, problems, schema, validator
from tests.referral.walk import PARENT, fill_in, personal_values

LISTS = {
    "/api/services": "compiled/service_list.json",
    "/api/service_at_locations": "compiled/service_at_location_list.json",
    "/api/taxonomies": "taxonomy.json",
    "/api/taxonomy_terms": "taxonomy_term.json",
}
SIZES = (1, 7, 50, 200)


def get_json(client, url, status=200, **kwargs):
    response = client.get(url, **kwargs)
    assert response.status_code == status, (url, response.status_code, response.get_data(as_text=True)[:300])
    assert response.mimetype == "application/json", url
    assert response.headers["Access-Control-Allow-Origin"] == "*", url
    return response.get_json()


def walk(client, path, per_page, query=""):
    """Every page of a list, checking each says where it is; the items in order."""
    items, number = [], 1
    while True:
        page = get_json(client, f"{path}?per_page={per_page}&page={number}{query}")
        assert page["page_number"] == number
        assert page["first_page"] == (number == 1)
        assert page["total_pages"] == -(-page["total_items"] // per_page)
        assert page["last_page"] == (number >= page["total_pages"])
        items += page["contents"]
        if page["last_page"]:
            return items, page["total_items"]
        assert page["size"] == per_page
        number += 1


def listed_ids(app):
    with app.app_context():
        return set(db.session.scalars(select(Service.id).where(Service.status.in_(codes.LISTED_STATUSES))))


def test_the_root_says_the_version_profile_and_openapi_document(client):
    about = get_json(client, "/api/")
    assert about["version"] == "HSDS-UK-3.0"
    assert about["profile"].startswith("https://")
    assert about["openapi_url"] == "http://family-hub.test/api/openapi.json"


def test_the_openapi_document_describes_every_path_of_the_profile(client):
    profile = schema("openapi.json")
    ours = get_json(client, "/api/openapi.json")
    assert set(ours["paths"]) == set(profile["paths"])
    assert ours["servers"] == [{"url": "http://family-hub.test/api"}]
    for path, item in profile["paths"].items():
        profile_names = {p["$ref"].rsplit("/", 1)[1] for p in item.get("get", {}).get("parameters", [])}
        our_names = {p["$ref"].rsplit("/", 1)[1] for p in ours["paths"][path]["get"].get("parameters", [])}
        assert profile_names <= our_names, (path, profile_names - our_names)
    per_page = ours["components"]["parameters"]["per_page"]["schema"]
    assert (per_page["default"], per_page["maximum"]) == (50, 200)


@pytest.mark.parametrize("path", LISTS)
def test_first_middle_and_last_pages_of_every_list_are_valid(client, path):
    item = validator(LISTS[path])
    for size in SIZES:
        first = get_json(client, f"{path}?per_page={size}")
        pages = first["total_pages"]
        assert first["total_items"] > 0 and pages >= 1
        for number in sorted({1, (pages + 1) // 2, pages}):
            page = get_json(client, f"{path}?per_page={size}&page={number}")
            assert page_problems(page, item) == [], (size, number)
            expected = size if number < pages else first["total_items"] - size * (pages - 1)
            assert page["size"] == expected
            assert not page["empty"]


@pytest.mark.parametrize("path", ["/api/services", "/api/service_at_locations", "/api/taxonomy_terms"])
def test_walking_every_page_visits_every_record_once(app, client, path):
    seen_sizes = []
    for size in (3, 50, 200):
        items, total = walk(client, path, size)
        ids = [item["id"] for item in items]
        assert len(ids) == len(set(ids)) == total
        seen_sizes.append(tuple(ids))
    assert len(set(seen_sizes)) == 1  # the same order whatever the page size
    if path == "/api/services":
        assert set(seen_sizes[0]) == listed_ids(app)


def test_a_page_past_the_last_is_empty_not_an_error(client):
    total = get_json(client, "/api/services?per_page=200")["total_items"]
    page = get_json(client, "/api/services?per_page=200&page=2")
    assert page["contents"] == [] and page["empty"] and page["last_page"] and page["total_items"] == total


def test_the_default_page_holds_50(client):
    page = get_json(client, "/api/services")
    assert page["size"] == 50 and page["page_number"] == 1


def test_every_service_by_id_is_valid_and_carries_the_directory_in_full(app, client, runner):
    full = validator("compiled/service.json")
    exported = {record["id"]: record for record in json.loads(runner.invoke(args=["services", "export"]).output)}
    ids = listed_ids(app)
    assert len(ids) > 100
    for service_id in ids:
        record = get_json(client, f"/api/services/{service_id}")
        assert problems(full, record) == [], service_id
        # The export and the API come from one mapping: the same record.
        assert record == exported[service_id]


def test_every_service_at_location_and_term_by_id_is_valid(app, client):
    link_schema, term_schema, taxonomy_schema = (
        validator("compiled/service_at_location.json"), validator("taxonomy_term.json"), validator("taxonomy.json"))
    links, _ = walk(client, "/api/service_at_locations", 200)
    assert len(links) > 100
    for link in links:
        record = get_json(client, f"/api/service_at_locations/{link['id']}")
        assert problems(link_schema, record) == [], link["id"]
        assert record["service"]["id"] == link["service_id"] and record["location"]["id"] == link["location_id"]
        assert "addresses" in record["location"] or record["location"]["location_type"] == "virtual"
    with app.app_context():
        terms = db.session.scalars(select(TaxonomyTerm)).all()
        taxonomies = {t.id: len(t.terms) for t in db.session.scalars(select(Taxonomy))}
    for term in terms:
        record = get_json(client, f"/api/taxonomy_terms/{term.id}")
        assert problems(term_schema, record) == [] and record["name"] == term.name
    for taxonomy_id, count in taxonomies.items():
        record = get_json(client, f"/api/taxonomies/{taxonomy_id}")
        assert problems(taxonomy_schema, record) == []
        assert len(record["taxonomy_terms"]) == count > 0


def test_services_that_are_not_listed_are_nowhere(app, client, restore_demo):
    with app.app_context():
        hidden = db.session.scalars(select(Service).order_by(Service.name).limit(2)).all()
        hidden[0].status, hidden[1].status = "defunct", "inactive"
        gone = {s.id for s in hidden}
        links = {link.id for s in hidden for link in s.service_at_locations}
        db.session.commit()
        from app.directory.catalogue import directory_changed

        directory_changed()
    services, _ = walk(client, "/api/services", 200)
    assert gone.isdisjoint(s["id"] for s in services)
    places, _ = walk(client, "/api/service_at_locations", 200)
    assert links and links.isdisjoint(p["id"] for p in places)
    for service_id in gone:
        assert get_json(client, f"/api/services/{service_id}", 404)["status"] == 404
    for link_id in links:
        get_json(client, f"/api/service_at_locations/{link_id}", 404)


def test_nothing_personal_is_ever_served(app, client, runner):
    fill_in(app.test_client(), PARENT)
    with app.app_context():
        references = [r.reference for r in db.session.scalars(select(Referral))]
        staff = [u.email for u in db.session.scalars(select(StaffUser))]
    assert references
    served = []
    for path in LISTS:
        items, _ = walk(client, path, 200)
        served.append(json.dumps(items, ensure_ascii=False))
    # Every full record is the export's (test_every_service_by_id_is_valid_and_carries_the_directory_in_full).
    served.append(runner.invoke(args=["services", "export"]).output)
    everything = "\n".join(served).casefold()
    for value in [*personal_values(PARENT), *references, *staff]:
        assert value.casefold() not in everything, value


@pytest.mark.parametrize("url, status", [
    ("/api/", 200), ("/api/openapi.json", 200), ("/api/services", 200), ("/api/taxonomies", 200),
    ("/api/services?per_page=0", 400), ("/api/services/not-a-service", 404), ("/api/no-such-thing", 404),
    ("/api/taxonomy_terms/nope", 404), ("/api/taxonomies/nope", 404), ("/api/service_at_locations/nope", 404),
])
def test_every_answer_is_json_open_to_any_site(client, url, status):
    body = get_json(client, url, status)
    if status >= 400:
        assert body["status"] == status and body["message"]
        assert client.get(url).headers["Cache-Control"] == "no-store"


def test_a_post_is_refused_in_json(client):
    response = client.post("/api/services")
    assert response.status_code == 405 and response.get_json()["status"] == 405
    assert response.headers["Access-Control-Allow-Origin"] == "*"


def test_a_bad_parameter_is_named(client):
    body = get_json(client, "/api/services?minimum_age=ten", 400)
    assert body["parameter"] == "minimum_age" and "minimum_age" in body["message"]


def test_answers_can_be_cached_and_asked_for_again(client):
    for url in ("/api/services?per_page=5", "/api/services/0c451275-3b05-5d27-b69c-0b4f239cd083", "/api/taxonomies"):
        first = client.get(url)
        assert first.headers["Cache-Control"] == "public, max-age=60"
        etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
        again = client.get(url, headers={"If-None-Match": etag})
        assert again.status_code == 304 and again.data == b""
        assert again.headers["Access-Control-Allow-Origin"] == "*"
        assert client.get(url, headers={"If-Modified-Since": modified}).status_code == 304
        assert client.get(url, headers={"If-None-Match": '"something-else"'}).status_code == 200
    # A different page is a different answer.
    assert client.get("/api/services?per_page=5").headers["ETag"] != client.get(
        "/api/services?per_page=5&page=2").headers["ETag"]


def test_last_modified_is_when_the_directory_last_changed(app, client, restore_demo):
    first = client.get("/api/services").headers["Last-Modified"]
    assert client.get("/api/taxonomies").headers["Last-Modified"] == first  # read again, nothing changed
    time.sleep(1.05)  # the time is kept to the second
    assert client.get("/api/services").headers["Last-Modified"] == first
    with app.app_context():
        db.session.get(Service, "0c451275-3b05-5d27-b69c-0b4f239cd083").name = "Stay and Play, renamed"
        db.session.commit()
        from app.directory.catalogue import directory_changed

        directory_changed()
    changed = client.get("/api/services", headers={"If-Modified-Since": first})
    assert changed.status_code == 200 and changed.headers["Last-Modified"] != first


def test_a_change_to_the_directory_changes_the_answer(app, client):
    service_id = "0c451275-3b05-5d27-b69c-0b4f239cd083"
    url = f"/api/services/{service_id}"
    etag = client.get(url).headers["ETag"]
    with app.app_context():
        service = db.session.get(Service, service_id)
        name, service.name = service.name, "Stay and Play, renamed"
        db.session.commit()
    try:
        changed = client.get(url, headers={"If-None-Match": etag})
        assert changed.status_code == 200 and changed.get_json()["name"] == "Stay and Play, renamed"
    finally:
        with app.app_context():
            db.session.get(Service, service_id).name = name
            db.session.commit()
    assert client.get(url, headers={"If-None-Match": etag}).status_code == 304  # as it was


def test_another_worker_on_this_server_answers_with_a_change_at_once(app, app_with, client, restore_demo):
    """A worker keeps its directory snapshot for an hour here, but a change made in another process builds a
    new search index, and the snapshot follows it: what it answers and its Last-Modified move together."""
    other = app_with(SEARCH_INDEX_DIR=app.config["SEARCH_INDEX_DIR"], DIRECTORY_CACHE_SECONDS=3600)
    theirs = other.test_client()
    service_id = "0c451275-3b05-5d27-b69c-0b4f239cd083"
    before = theirs.get("/api/services?per_page=200")
    assert service_id in {s["id"] for s in before.get_json()["contents"]}
    time.sleep(1.05)  # Last-Modified is kept to the second
    with app.app_context():
        db.session.get(Service, service_id).status = "defunct"
        db.session.commit()
        from app.directory.catalogue import directory_changed

        directory_changed()  # in this process: the other keeps its own memory
    after = theirs.get("/api/services?per_page=200", headers={"If-Modified-Since": before.headers["Last-Modified"]})
    assert after.status_code == 200
    assert service_id not in {s["id"] for s in after.get_json()["contents"]}
    assert after.get_json()["total_items"] == before.get_json()["total_items"] - 1
