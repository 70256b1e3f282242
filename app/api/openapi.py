"""The OpenAPI document of this API: the UK profile's paths, with what this server does with each parameter."""

from app.api import params

SCHEMAS = "https://raw.githubusercontent.com/openreferral/uk-profile/main/schema/"
SERVICE = SCHEMAS + "compiled/service.json"
SERVICE_LIST = SCHEMAS + "compiled/service_list.json"
SERVICE_AT_LOCATION = SCHEMAS + "compiled/service_at_location.json"
SERVICE_AT_LOCATION_LIST = SCHEMAS + "compiled/service_at_location_list.json"
TAXONOMY = SCHEMAS + "taxonomy.json"
TAXONOMY_TERM = SCHEMAS + "taxonomy_term.json"


def _parameter(name, kind, description, **schema):
    return {"name": name, "in": "query", "required": False, "description": description,
            "schema": {"type": kind, **schema}}


PARAMETERS = {
    "page": _parameter("page", "integer", "Page number of paginated result, from 1.", minimum=1, default=1),
    "per_page": _parameter(
        "per_page", "integer", f"Number of results in a page: {params.DEFAULT_PER_PAGE} unless asked, "
        f"{params.MAX_PER_PAGE} at most.", minimum=1, maximum=params.MAX_PER_PAGE, default=params.DEFAULT_PER_PAGE),
    "search": _parameter(
        "search", "string", "Full text search, as the site's own search box: word endings, near spellings and "
        "synonyms are matched, best match first.", maxLength=params.MAX_TEXT),
    "taxonomy_term_id": _parameter("taxonomy_term_id", "string", "Services with this taxonomy term, or a term below it (a category's sub-categories)."),
    "taxonomy_id": _parameter("taxonomy_id", "string", "Services with any term of this taxonomy."),
    "minimum_age": _parameter(
        "minimum_age", "integer", "With maximum_age, an age range in whole years: services that admit every age in "
        "it (a service's missing bound admits all). Alone, services that admit this age.",
        minimum=0, maximum=params.MAX_AGE),
    "maximum_age": _parameter(
        "maximum_age", "integer", "The top of the age range (see minimum_age). Alone, services that admit this age.",
        minimum=0, maximum=params.MAX_AGE),
    "day": _parameter("day", "string", "Services with a weekly session on this day: MO, TU, WE, TH, FR, SA or SU.",
                      enum=list(params.DAYS)),
    "start_time": _parameter("start_time", "string", "Services with a session (on day, when given) starting at "
                             "or after this time, such as 09:30.", format="time"),
    "end_time": _parameter("end_time", "string", "Services with a session (on day, when given) ending at or "
                           "before this time, such as 17:00.", format="time"),
    "postcode": _parameter("postcode", "string", "A UK postcode: results come nearest first from it."),
    "proximity": _parameter("proximity", "integer", "With postcode, only results within this many metres of it.",
                            minimum=1, maximum=params.MAX_PROXIMITY),
    "modified_after": _parameter("modified_after", "string", "Services modified on or after this date and time "
                                 "(ISO 8601; UTC unless it says otherwise).", format="date-time"),
}

PAGE = {
    "type": "object",
    "properties": {
        "total_items": {"type": "integer"},
        "total_pages": {"type": "integer"},
        "page_number": {"type": "integer"},
        "size": {"type": "integer"},
        "first_page": {"type": "boolean"},
        "last_page": {"type": "boolean"},
        "empty": {"type": "boolean", "description": "True when this page holds no contents."},
    },
}
ERROR = {
    "type": "object",
    "properties": {"status": {"type": "integer"}, "message": {"type": "string"},
                   "parameter": {"type": "string", "description": "The query parameter that was wrong (on a 400)."}},
}


def _json(schema, description):
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _list(schema_url, description, parameters):
    return {"get": {
        "summary": description,
        "parameters": [{"$ref": f"#/components/parameters/{name}"} for name in parameters],
        "responses": {
            "200": _json({"allOf": [{"$ref": "#/components/schemas/Page"}],
                          "properties": {"contents": {"type": "array", "items": {"$ref": schema_url}}}}, description),
            "400": _json({"$ref": "#/components/schemas/Error"}, "A parameter was wrong; the message names it."),
        },
    }}


def _one(schema_url, description, thing):
    return {
        "parameters": [{"in": "path", "name": "id", "required": True, "schema": {"type": "string"},
                        "description": f"The id of the {thing}."}],
        "get": {"summary": description, "responses": {
            "200": _json({"$ref": schema_url}, description),
            "404": _json({"$ref": "#/components/schemas/Error"}, f"No {thing} has this id."),
        }},
    }


SERVICE_FILTERS = ("search", "page", "per_page", "taxonomy_term_id", "taxonomy_id", "minimum_age", "maximum_age",
                   "start_time", "end_time", "day", "postcode", "proximity", "modified_after")


def openapi_document(base_url, version):
    """The document, with ``base_url`` (the site's ``/api``) as its server."""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Family Hub service directory",
            "version": version,
            "description": "The council's directory of family services as an Open Referral UK (HSDS 3.0, UK "
                           "profile) API. Open to all: no key is needed, and every answer allows any site to read "
                           "it. Answers may be cached for 60 seconds; ETag and Last-Modified allow asking again "
                           "with If-None-Match or If-Modified-Since.",
        },
        "servers": [{"url": base_url}],
        "paths": {
            "/": {"get": {"summary": "This API and its relation to HSDS.", "responses": {"200": _json(
                {"type": "object", "properties": {"version": {"type": "string", "const": version},
                                                  "profile": {"type": "string", "format": "uri"},
                                                  "openapi_url": {"type": "string", "format": "uri"}}},
                "The HSDS version, profile and this document's address.")}}},
            "/services": _list(SERVICE_LIST, "Listed services, their one-to-one fields.", SERVICE_FILTERS),
            "/services/{id}": _one(SERVICE, "One service, fully nested.", "service"),
            "/service_at_locations": _list(SERVICE_AT_LOCATION_LIST, "Services at locations, one-to-one fields.",
                                           SERVICE_FILTERS),
            "/service_at_locations/{id}": _one(SERVICE_AT_LOCATION, "One service at a location, fully nested.",
                                               "service at location"),
            "/taxonomies": _list(TAXONOMY, "The taxonomies services are described with.", ("page", "per_page")),
            "/taxonomies/{id}": _one(TAXONOMY, "One taxonomy with its terms.", "taxonomy"),
            "/taxonomy_terms": _list(TAXONOMY_TERM, "Every taxonomy term.", ("page", "per_page")),
            "/taxonomy_terms/{id}": _one(TAXONOMY_TERM, "One taxonomy term.", "taxonomy term"),
        },
        "components": {"schemas": {"Page": PAGE, "Error": ERROR}, "parameters": PARAMETERS},
    }
