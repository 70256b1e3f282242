"""The page cache: a page is kept for a minute, and forgotten when the directory changes."""

from app.directory.catalogue import directory_changed
from app.directory_version import directory_version
from app.page_cache import TimedCache, cache
from tests.pages import heading, parse


def test_cached_page_is_served_until_the_directory_changes(app_with):
    app = app_with(PAGE_CACHE_SECONDS=60, DIRECTORY_CACHE_SECONDS=60)
    client = app.test_client()
    first = client.get("/services?district=worcester")
    with app.app_context():
        kept = len(cache())
        assert kept >= 2  # the listings and the page
        cache().put(("page", directory_version(), "en", "/services", b"district=worcester", None),
                    (b"<h1>Kept copy</h1>", 200, [], ()))
    assert client.get("/services?district=worcester").get_data() == b"<h1>Kept copy</h1>"
    with app.app_context():
        directory_changed()
    again = client.get("/services?district=worcester")
    assert heading(parse(again)) == heading(parse(first)) == "Find a service"
    assert again.headers["Content-Security-Policy"] == first.headers["Content-Security-Policy"]


def test_not_found_pages_and_other_languages_are_kept_apart(app_with):
    app = app_with(PAGE_CACHE_SECONDS=60)
    client = app.test_client()
    assert heading(parse(client.get("/pl/services"))) == "Znajdź usługę"
    assert heading(parse(client.get("/services"))) == "Find a service"
    with app.app_context():
        kept = len(cache())
        polish, english = (cache().get(("page", directory_version(), language, "/services", b"", None), 60)
                           for language in ("pl", "en"))
    assert b"Znajd" in polish[0] and b"Find a service" in english[0]
    assert client.get("/services/no-such-service").status_code == 404
    with app.app_context():
        assert len(cache()) == kept  # a page that was not found is not kept
    assert heading(parse(client.get("/pl/services"))) == "Znajdź usługę"


def test_the_cache_forgets_its_oldest_entries_and_expired_ones():
    kept = TimedCache(size=3)
    for n in range(5):
        kept.put(n, str(n))
    assert len(kept) == 3
    assert kept.get(0, 60) is None and kept.get(4, 60) == "4"
    assert kept.get(4, 0) is None


def test_a_made_up_host_never_reaches_the_page_others_are_given(app_with):
    """A page kept in the cache names the site by SITE_URL, whatever Host the request that built it sent."""
    app = app_with(PAGE_CACHE_SECONDS=60, SITE_URL="https://family-hub.example.org")
    client = app.test_client()
    poisoned = client.get("/pages/privacy", headers={"Host": "attacker.example"})
    assert b"attacker.example" not in poisoned.get_data()
    page = parse(client.get("/pages/privacy"))
    alternates = {link["hreflang"]: link["href"] for link in page.select('link[rel="alternate"]')}
    assert alternates == {"en": "https://family-hub.example.org/pages/privacy",
                          "pl": "https://family-hub.example.org/pl/pages/privacy",
                          "ro": "https://family-hub.example.org/ro/pages/privacy",
                          "ur": "https://family-hub.example.org/ur/pages/privacy",
                          "x-default": "https://family-hub.example.org/pages/privacy"}


def test_made_up_parameters_never_fill_the_cache(app_with):
    app = app_with(PAGE_CACHE_SECONDS=60)
    client = app.test_client()
    client.get("/services?district=worcester")
    with app.app_context():
        before = len(cache())
    for number in range(50):
        page = parse(client.get(f"/services?district=worcester&utm_{number}=x"))
        assert heading(page) == "Find a service"  # the page, built afresh
        assert parse(client.get(f"/pages/privacy?made-up={number}")).find("h1") is not None
    with app.app_context():
        assert len(cache()) == before


def test_the_cache_forgets_its_oldest_pages_past_its_bytes():
    kept = TimedCache(size=100, max_bytes=1000)
    for number in range(10):
        kept.put(number, f"page {number}", 300)
    assert kept.bytes <= 1000
    assert [n for n in range(10) if kept.get(n, 60) is not None] == [7, 8, 9]  # the newest that fit
    kept.put(9, "page 9, again", 100)  # a page kept again counts once
    assert kept.bytes == 700


def test_a_worker_keeps_no_more_pages_than_its_bytes(app_with):
    app = app_with(PAGE_CACHE_SECONDS=60, PAGE_CACHE_BYTES=200_000)
    client = app.test_client()
    for number in range(40):
        client.get(f"/services?q=baby+{number}")
    with app.app_context():
        assert 0 < cache().bytes <= 200_000


def test_pages_are_sent_and_kept_compressed_as_the_browser_asks(app_with):
    """A page is compressed once, when it is built, and kept so: each encoding a page of its own."""
    import gzip

    import brotli

    app = app_with(PAGE_CACHE_SECONDS=60)
    client = app.test_client()
    plain = client.get("/services?district=worcester")
    assert "Content-Encoding" not in plain.headers
    for asked, taken, undo in (("gzip, deflate, br", "br", brotli.decompress), ("gzip", "gzip", gzip.decompress)):
        for _ in range(2):  # built, then from the cache
            sent = client.get("/services?district=worcester", headers={"Accept-Encoding": asked})
            assert sent.headers["Content-Encoding"] == taken
            assert "Accept-Encoding" in sent.headers["Vary"]
            assert int(sent.headers["Content-Length"]) == len(sent.get_data()) < len(plain.get_data()) / 4
            assert heading(parse(undo(sent.get_data()))) == "Find a service"
        with app.app_context():
            body = cache().get(("page", directory_version(), "en", "/services", b"district=worcester", taken), 60)[0]
        assert undo(body) == plain.get_data()
    # pages that are not kept (a form) are compressed too
    form = client.get("/refer", headers={"Accept-Encoding": "gzip"})
    assert form.headers.get("Content-Encoding") == "gzip" and b"<h1" in gzip.decompress(form.get_data())
