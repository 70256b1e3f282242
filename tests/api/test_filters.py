"""Each filter of the API, with services that must and must not be returned.

What should come back is worked out here from the export of the directory (the
same records), by rules written out in the test, not by the API's own code.
"""

import json
from datetime import time, timedelta
from math import asin, cos, radians, sin, sqrt
from urllib.parse import urlencode

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Postcode, Service
from tests import clock
from tests.api.test_api import get_json, walk
from tests.pages import parse, result_names

DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


@pytest.fixture(scope="module")
def records(app):
    runner = app.test_cli_runner()
    exported = json.loads(runner.invoke(args=["services", "export"]).output)
    return [r for r in exported if r["status"] in ("active", "temporarily closed")]


def found(client, path="/api/services", **query):
    items, _ = walk(client, path, 200, "&" + urlencode(query))
    return [item["id"] for item in items]


def ids(records_):
    return {r["id"] for r in records_}


def admits(record, youngest, oldest):
    low, high = record.get("minimum_age"), record.get("maximum_age")
    return (low is None or low <= youngest) and (high is None or high >= oldest)


def sessions(record):
    for schedule in record.get("schedules", []):
        if schedule.get("byday") and schedule.get("opens_at") and schedule.get("closes_at"):
            for day in schedule["byday"].split(","):
                yield (day.strip(), time.fromisoformat(schedule["opens_at"]),
                       time.fromisoformat(schedule["closes_at"]), schedule.get("valid_to"))


def later(moment, minutes):
    return time(*divmod(moment.hour * 60 + moment.minute + minutes, 60))


def metres(a, b):
    (lat1, lon1), (lat2, lon2) = a, b
    h = sin(radians(lat2 - lat1) / 2) ** 2 + cos(radians(lat1)) * cos(radians(lat2)) * sin(radians(lon2 - lon1) / 2) ** 2
    return 2 * 6_371_008.8 * asin(sqrt(h))


# ------------------------------------------------------------------ search


@pytest.mark.parametrize("words", ["baby blues", "breastfeding", "money worries", "autism"])
def test_search_finds_what_the_sites_search_finds_in_the_same_order(app, client, words):
    site = result_names(parse(client.get("/services?" + urlencode({"q": words, "sort": "relevance"}))))
    by_id = {r["id"]: r["name"] for r in json.loads(app.test_cli_runner().invoke(args=["services", "export"]).output)}
    api = [by_id[i] for i in found(client, search=words)]
    assert api, words
    assert api[:len(site)] == site[:len(api)] == site[:len(api)]  # the site's page shows at most 20
    assert len(api) >= len(site)


def test_search_matches_typos_and_synonyms(client):
    plain = set(found(client, search="breastfeeding"))
    assert plain
    assert plain <= set(found(client, search="brestfeeding"))  # a near spelling
    assert plain & set(found(client, search="latching"))  # a family's word for it (synonyms)
    assert found(client, search="zzyzx qqqq") == []


def test_words_with_nothing_to_search_for_leave_every_service(client, records):
    assert set(found(client, search="the and of")) == ids(records)


# ------------------------------------------------------------------ taxonomy


def test_a_taxonomy_term_returns_exactly_the_services_with_it_or_a_term_below_it(client, records):
    terms = get_json(client, "/api/taxonomy_terms?per_page=200")["contents"]
    parents = {t["id"]: t.get("parent_id") for t in terms}
    checked = 0
    for term in terms:
        def has(record, term_id=term["id"]):
            for attribute in record.get("attributes", []):
                at = attribute["taxonomy_term_id"]
                while at is not None:
                    if at == term_id:
                        return True
                    at = parents.get(at)
            return False
        expected = {r["id"] for r in records if has(r)}
        got = set(found(client, taxonomy_term_id=term["id"]))
        assert got == expected, term["name"]
        checked += bool(expected) and len(expected) < len(records)
    assert checked > 20  # terms that both include and leave out services
    assert found(client, taxonomy_term_id="no-such-term") == []


def test_a_taxonomy_returns_the_services_with_any_of_its_terms(client, records):
    for taxonomy in get_json(client, "/api/taxonomies")["contents"]:
        terms = {t["id"] for t in get_json(client, f"/api/taxonomies/{taxonomy['id']}")["taxonomy_terms"]}
        expected = {r["id"] for r in records if any(a["taxonomy_term_id"] in terms for a in r.get("attributes", []))}
        assert set(found(client, taxonomy_id=taxonomy["id"])) == expected, taxonomy["name"]


# ------------------------------------------------------------------ ages


def test_ages_at_the_edges_of_a_services_range(client, records):
    bounded = [r for r in records if r.get("minimum_age", 0) > 0 and r.get("maximum_age") is not None][:10]
    assert bounded
    for record in bounded:
        low, high = record["minimum_age"], record["maximum_age"]
        assert record["id"] in found(client, minimum_age=low, maximum_age=high)
        assert record["id"] in found(client, minimum_age=low)  # one age alone: the youngest it takes
        assert record["id"] in found(client, maximum_age=high)  # … and the oldest
        assert record["id"] not in found(client, minimum_age=low - 1, maximum_age=high)
        assert record["id"] not in found(client, minimum_age=low, maximum_age=high + 1)
        assert record["id"] not in found(client, maximum_age=low - 1)
        assert record["id"] not in found(client, minimum_age=high + 1)


@pytest.mark.parametrize("youngest, oldest", [(0, 0), (0, 4), (5, 11), (16, 25), (18, 18), (40, 60)])
def test_an_age_range_returns_the_services_that_admit_all_of_it(client, records, youngest, oldest):
    expected = {r["id"] for r in records if admits(r, youngest, oldest)}
    assert set(found(client, minimum_age=youngest, maximum_age=oldest)) == expected
    assert 0 < len(expected) < len(records) or (youngest, oldest) == (40, 60)


# ------------------------------------------------------------------ day and times


def test_a_session_at_the_edges_of_its_times(client, records):
    record = next(r for r in records if any(True for _ in sessions(r)))
    day, opens, closes, _ = next(sessions(record))
    window = {"day": day, "start_time": opens.strftime("%H:%M"), "end_time": closes.strftime("%H:%M")}
    assert record["id"] in found(client, **window)
    others = [s for s in sessions(record) if s[0] == day]
    if len(others) == 1:
        assert record["id"] not in found(client, **window | {"start_time": later(opens, 1).strftime("%H:%M")})
        assert record["id"] not in found(client, **window | {"end_time": later(closes, -1).strftime("%H:%M")})
    other_day = next(d for d in DAYS if all(s[0] != d for s in sessions(record)))
    assert record["id"] not in found(client, day=other_day)


@pytest.mark.parametrize("query", [
    {"day": "MO"}, {"day": "saturday"}, {"start_time": "17:00"}, {"end_time": "12:00"},
    {"day": "WE", "start_time": "09:00", "end_time": "13:00"},
])
def test_day_and_times_return_the_services_with_such_a_session(client, records, query):
    day = query.get("day")
    day = {"saturday": "SA"}.get(day, day)
    start = time.fromisoformat(query["start_time"]) if "start_time" in query else None
    end = time.fromisoformat(query["end_time"]) if "end_time" in query else None
    today = clock.today().isoformat()
    expected = {
        r["id"] for r in records
        if any((day is None or d == day) and (start is None or o >= start) and (end is None or c <= end)
               and (v is None or v >= today) for d, o, c, v in sessions(r))
    }
    assert set(found(client, **query)) == expected
    assert 0 < len(expected) < len(records)


# ------------------------------------------------------------------ postcode and proximity


def test_proximity_at_the_edge_of_the_radius_and_nearest_first(app, client):
    with app.app_context():
        origin = db.session.get(Postcode, "WR5 1AA") or db.session.scalars(select(Postcode)).first()
        point = (origin.latitude, origin.longitude)
        postcode = origin.postcode
    places = found(client, "/api/service_at_locations", postcode=postcode)
    everything = found(client, "/api/service_at_locations")
    assert sorted(places) == sorted(everything)  # a postcode alone orders, and leaves nothing out
    located, owner = [], {}
    for item in walk(client, "/api/service_at_locations", 200, "&" + urlencode({"postcode": postcode}))[0]:
        if item["location"].get("latitude") is not None:
            located.append((metres(point, (item["location"]["latitude"], item["location"]["longitude"])), item["id"]))
            owner[item["id"]] = item["service_id"]
    distances = [d for d, _ in located]
    assert distances == sorted(distances) and len(distances) > 20  # nearest first
    # A place a few miles off: just inside the radius it is returned, just outside it is not.
    distance, place = next((d, i) for d, i in located if d > 3000)
    assert place in found(client, "/api/service_at_locations", postcode=postcode, proximity=int(distance) + 2)
    assert place not in found(client, "/api/service_at_locations", postcode=postcode, proximity=int(distance) - 2)
    within = found(client, "/api/service_at_locations", postcode=postcode, proximity=5000)
    assert set(within) == {i for d, i in located if d <= 5000}
    # Services: those with a place within the radius, nearest first; at the edge as places are.
    services = found(client, postcode=postcode, proximity=5000)
    nearest = {}
    for d, i in located:
        nearest[owner[i]] = min(d, nearest.get(owner[i], d))
    assert services == sorted((s for s in nearest if nearest[s] <= 5000), key=lambda s: nearest[s])
    assert 0 < len(services) < len(found(client))
    service = owner[place]
    assert service in found(client, postcode=postcode, proximity=int(nearest[service]) + 2)
    assert service not in found(client, postcode=postcode, proximity=int(nearest[service]) - 2)


def test_a_postcode_the_site_cannot_place_is_a_named_error(client):
    assert get_json(client, "/api/services?postcode=ZZ99+9ZZ", 400)["parameter"] == "postcode"
    assert get_json(client, "/api/services?postcode=banana", 400)["parameter"] == "postcode"
    assert get_json(client, "/api/services?proximity=500", 400)["parameter"] == "proximity"


# ------------------------------------------------------------------ modified_after


def test_modified_after_returns_what_changed_since(app, client, records, restore_demo):
    now = clock.now()
    with app.app_context():
        service = db.session.get(Service, records[0]["id"])
        service.last_modified = now
        db.session.commit()
    before = (now - timedelta(seconds=1)).isoformat()
    assert found(client, modified_after=before) == [records[0]["id"]]
    assert found(client, modified_after=now.isoformat()) == [records[0]["id"]]  # on or after
    assert found(client, modified_after=(now + timedelta(seconds=1)).isoformat()) == []
    oldest = min(r["last_modified"] for r in records)
    assert set(found(client, modified_after=oldest)) == ids(records)
    assert get_json(client, "/api/services?modified_after=last+week", 400)["parameter"] == "modified_after"


# ------------------------------------------------------------------ combined


@pytest.mark.parametrize("first, second", [
    ({"search": "baby"}, {"day": "TU"}),
    ({"minimum_age": 0, "maximum_age": 2}, {"postcode": "WR5 1AA", "proximity": 8000}),
    ({"taxonomy_id": "0c989e07-9bee-5334-a265-b6673f7d9b3a"}, {"search": "parents"}),
])
def test_combined_filters_narrow(client, first, second):
    alone, other = set(found(client, **first)), set(found(client, **second))
    both = set(found(client, **first, **second))
    assert both == alone & other
    assert both < alone or both < other
