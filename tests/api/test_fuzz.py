"""Whatever a consumer sends: JSON, never a server error; a refusal names a parameter that was sent, and an
answer is a page that holds what the filters allow."""

from urllib.parse import quote, urlencode

from hypothesis import example, given, settings
from hypothesis import strategies as st

from app.api.params import LIST_PARAMETERS, SERVICE_FILTERS

ODD = ["😀", "مرحبا", "\u202e", "\x00", "\x1b", "\r\n", "\t", "ﬀ", "İ", "²", "٣", "-1", "1e3", "0x10", "NaN", "",
       " ", "+", "%", "&", "=", "?", "#", "[]", "{}", "null", "true"]
GOOD = ["1", "2", "7", "50", "200", "201", "0", "99999999999999999999", "MO", "sunday", "09:30", "17:00:00",
        "24:00", "WR5 1AA", "wr51aa", "5000", "baby", "sleep", "2026-01-01", "2026-01-01T09:00:00Z",
        "2026-13-01", "0c989e07-9bee-5334-a265-b6673f7d9b3a", "371edf86-7bab-5e72-b31d-00d03a4225a8"]
values = st.one_of(st.sampled_from(ODD + GOOD), st.text(max_size=40),
                   st.lists(st.sampled_from(ODD + GOOD), max_size=4).map("".join))
LISTS = ["/api/services", "/api/service_at_locations", "/api/taxonomies", "/api/taxonomy_terms"]
ONES = ["/api/services/", "/api/service_at_locations/", "/api/taxonomies/", "/api/taxonomy_terms/"]


def check_json(response, sent):
    assert response.status_code in (200, 400, 404), (response.status_code, sent)
    assert response.mimetype == "application/json"
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    body = response.get_json()
    if response.status_code == 400:
        assert body["parameter"] in sent and body["parameter"] in body["message"], (body, sent)
    return body


@settings(max_examples=150)
@given(path=st.sampled_from(LISTS),
       query=st.dictionaries(st.sampled_from([*LIST_PARAMETERS, *SERVICE_FILTERS, "unknown"]), values, max_size=5),
       twice=st.booleans())
@example(path="/api/services", query={"per_page": "201"}, twice=False)
@example(path="/api/services", query={"minimum_age": "²"}, twice=False)
@example(path="/api/service_at_locations", query={"postcode": "WR5 1AA", "proximity": "0"}, twice=False)
@example(path="/api/services", query={"search": "\x00"}, twice=False)
@example(path="/api/services", query={"page": "1"}, twice=True)
def test_any_query_is_answered_in_json(app, path, query, twice):
    client = app.test_client()
    pairs = list(query.items()) + (list(query.items())[:1] if twice else [])
    response = client.get(path + "?" + urlencode(pairs))
    body = check_json(response, query)
    read = (*LIST_PARAMETERS, *(SERVICE_FILTERS if "service" in path else ()))
    if twice and query and pairs[0][0] in read:
        assert response.status_code == 400  # given twice: which one was meant?
    if response.status_code == 200:
        assert body["size"] == len(body["contents"]) <= 200
        if path == "/api/services":
            for item in body["contents"]:  # what the age filters allow, and nothing else
                low, high = item.get("minimum_age"), item.get("maximum_age")
                youngest = query.get("minimum_age", query.get("maximum_age"))
                oldest = query.get("maximum_age", query.get("minimum_age"))
                if youngest is not None and youngest.strip():
                    assert low is None or low <= int(youngest)
                    assert high is None or high >= int(oldest)


@settings(max_examples=60)
@given(path=st.sampled_from(ONES), ident=values)
@example(path="/api/services/", ident="../taxonomies")
@example(path="/api/taxonomy_terms/", ident="\x00")  # PostgreSQL refuses NUL in text: never asked
def test_any_id_is_answered_in_json(app, path, ident):
    response = app.test_client().get(path + quote(ident, safe=""))
    if response.status_code in (301, 308):  # an empty, dotted or doubled path part: to the tidy address
        assert "/" in ident or ident.strip(".") == ""
        assert response.headers["Location"].startswith(("/api/", "http://family-hub.test/api/"))
    else:
        check_json(response, {})
