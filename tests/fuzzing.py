"""What the fuzz tests check a person sees when a page turns down what was sent.

``error_summary`` reads the GOV.UK error summary and checks that it can be used:
every link says something and takes you to a field on the page that is marked
as wrong. ``results_page`` is what ``/services`` must show for any query string.
"""

from urllib.parse import urlencode, urlsplit

from tests.pages import heading, parse, result_count, text_of

FIELDS = ("input", "select", "textarea")


def error_summary(soup, marked=True):
    """The error summary's links as (text, id of the field each goes to), after checking each one.

    Each link has words and points (``href="#x"``) at a field with id ``x`` on the
    page, inside a form group marked as wrong (unless ``marked`` is false). A page
    that marks a field as wrong has a summary, and the page's title starts
    "Error:" exactly when it has one.
    """
    problems = []
    for link in soup.select(".govuk-error-summary__list a"):
        words, href = text_of(link), link.get("href", "")
        assert words, f"an error summary link with no words: {link}"
        assert href.startswith("#") and len(href) > 1, f"{words!r} links to {href!r}, not to a field on the page"
        target = soup.find(id=href[1:])
        assert target is not None, f"{words!r} links to {href}, but nothing on the page has that id"
        assert target.name in FIELDS, f"{words!r} links to a <{target.name}>, not to a field"
        assert not marked or any("govuk-form-group--error" in parent.get("class", []) for parent in target.parents), (
            f"{words!r} links to #{target['id']}, which is not marked as wrong")
        problems.append((words, href[1:]))
    if soup.select(".govuk-form-group--error"):
        assert problems, "a field is marked as wrong but the error summary says nothing"
    title = text_of(soup.title)
    assert title.startswith("Error:") == bool(problems), (title, problems)
    return problems


def location_path(response):
    """The path (and query) a redirect goes to, whether its ``Location`` is absolute or not."""
    parts = urlsplit(response.headers["Location"])
    return parts.path + (f"?{parts.query}" if parts.query else "")


def results_page(client, query):
    """``/services?query`` as a person sees it: always the results page (never a 400 or a 500).

    A value the filters cannot use is explained in the error summary, linked to
    its own field, and left out: the results are those of the same search
    without it. The parsed page is returned.
    """
    response = client.get("/services?" + urlencode(query))
    assert response.status_code == 200, (query, response.status_code)
    assert "Set-Cookie" not in response.headers
    soup = parse(response)
    assert heading(soup) == "Find a service", query
    count = result_count(soup)
    rejected = {field for _words, field in error_summary(soup)}
    # A radius without a usable postcode is explained at the postcode box.
    assert rejected <= set(query) | ({"postcode"} if "radius" in query else set()), (query, rejected)
    if rejected:
        kept = {name: value for name, value in query.items()
                if name not in rejected and not (name == "radius" and "postcode" in rejected)}
        again = parse(client.get("/services?" + urlencode(kept)))
        assert error_summary(again) == [], kept
        assert result_count(again) == count, (query, kept)
    return soup
