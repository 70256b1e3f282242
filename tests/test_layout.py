"""Every public page: Exit this page, one title, one h1, no cookies, safe headers."""

from urllib.parse import urlencode

import pytest

from tests.pages import heading, parse, text_of

PUBLIC_PAGES = [
    "/",
    "/services",
    "/services?category=pregnancy-birth-and-early-years&cost=free",
    "/services?age=abc",
    "/start-for-life",
    "/start-for-life/pregnancy",
    "/start-for-life/safe-sleep",
    "/pl/start-for-life/safe-sleep",
    "/pages/urgent-help",
    "/get-help",
    "/refer",
    "/refer/teams",
    "/refer/professional",
    "/pages/accessibility",
    "/pages/privacy",
    "/pages/cookies",
    "/no-such-page",
    "/pl/",
    "/pl/services",
]


def first_service_path(client):
    soup = parse(client.get("/services"))
    return soup.select_one(".app-result h2 a")["href"]


@pytest.fixture
def every_public_page(client):
    return PUBLIC_PAGES + [first_service_path(client)]


def test_every_public_page_has_the_safety_basics(client, every_public_page):
    for path in every_public_page:
        response = client.get(path)
        soup = parse(response)
        assert response.status_code in (200, 404), path
        assert "Set-Cookie" not in response.headers, path
        exit_link = soup.select_one(".govuk-exit-this-page a")
        if not path.startswith("/pl"):
            assert text_of(exit_link) == "Emergency Exit this page", path
            assert text_of(exit_link.select_one(".govuk-visually-hidden")) == "Emergency", path
        assert exit_link["href"] == ("/pl/exit" if path.startswith("/pl") else "/exit"), path  # it goes on from there
        assert exit_link["rel"] == ["nofollow", "noreferrer"], path
        titles = soup.find_all("title")
        assert len(titles) == 1 and text_of(titles[0]), path
        assert len(soup.find_all("h1")) == 1, path
        assert soup.select_one("a.govuk-skip-link")["href"] == "#main-content", path
        assert soup.find(id="main-content") is not None, path
        assert "demonstration site" in text_of(soup.select_one(".govuk-phase-banner")) or path.startswith("/pl"), path
        footer_links = {a["href"] for a in soup.select("footer a")}
        root = "/pl" if path.startswith("/pl") else ""
        assert {f"{root}/pages/accessibility", f"{root}/pages/privacy", f"{root}/pages/cookies"} <= footer_links, path


def test_no_page_loads_anything_from_another_site(client, every_public_page):
    for path in every_public_page:
        soup = parse(client.get(path))
        for tag, attribute in (("script", "src"), ("link", "href"), ("img", "src"), ("iframe", "src")):
            for element in soup.find_all(tag):
                if tag == "link" and element.get("rel") == ["alternate"]:
                    continue  # names this page in another language; a browser loads nothing from it
                value = element.get(attribute, "")
                assert not value.startswith(("http:", "https:", "//")), (path, value)


def test_security_headers(client):
    response = client.get("/services")
    csp = dict(part.strip().split(" ", 1) for part in response.headers["Content-Security-Policy"].split(";"))
    assert "'unsafe-inline'" not in csp["script-src"]
    assert "'unsafe-eval'" not in csp["script-src"]
    assert csp["frame-ancestors"] == "'none'"
    assert csp["default-src"] == "'self'"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert "Strict-Transport-Security" not in response.headers  # only in production


def test_the_inline_script_allowed_by_the_policy_is_the_one_on_the_page(client):
    """The CSP hash must match the page template's one inline script, or JavaScript breaks."""
    import base64
    import hashlib

    response = client.get("/")
    inline = [s.string for s in parse(response).find_all("script") if not s.get("src")]
    assert len(inline) == 1
    digest = base64.b64encode(hashlib.sha256(inline[0].encode()).digest()).decode()
    assert f"'sha256-{digest}'" in response.headers["Content-Security-Policy"]


def test_home_page_offers_search_and_the_four_ways_in(client):
    soup = parse(client.get("/"))
    form = soup.find("form", attrs={"role": "search"})
    assert form["action"] == "/services" and form["method"] == "get"
    assert {i["name"] for i in form.find_all("input")} == {"q", "postcode"}
    ways = [text_of(h) for h in soup.select(".app-ways-in h3")]
    assert ways == ["Find a service", "Start for Life", "Get help for your family", "Refer yourself"]
    assert "999" in text_of(soup.select_one(".govuk-warning-text"))


def test_not_found_page_is_in_the_site_style_and_does_not_echo_the_address(client):
    response = client.get("/services/<script>alert(1)</script>")
    soup = parse(response)
    assert response.status_code == 404
    assert heading(soup) == "Page not found"
    assert "<script>alert" not in response.get_data(as_text=True)
    assert soup.select_one(".govuk-exit-this-page") is not None


def test_server_error_page_is_friendly_and_has_exit_this_page(app_with):
    app = app_with()

    @app.get("/explode")
    def explode():
        raise RuntimeError("boom")

    response = app.test_client().get("/explode")
    soup = parse(response)
    assert response.status_code == 500
    assert heading(soup) == "Sorry, there is a problem with the service"
    assert "boom" not in response.get_data(as_text=True)
    assert soup.select_one(".govuk-exit-this-page a") is not None


@pytest.mark.parametrize("path", ["/useful", "/refer/start", "/staff/sign-in"])
def test_a_request_too_large_to_be_a_form_is_turned_away_kindly(client, path):
    response = client.post(path, data={"useful": "yes", "page": "/", "story": "x" * (300 * 1024)})
    soup = parse(response)
    assert response.status_code == 413
    assert heading(soup) == "What you sent was too large"
    assert soup.select_one(".govuk-exit-this-page a") is not None


def test_a_form_with_more_fields_than_any_page_has_is_turned_away_kindly(client):
    many = urlencode([("need", "housing")] * 201 + [("step", "needs")])
    response = client.post("/get-help", data=many, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 413
    assert heading(parse(response)) == "What you sent was too large"
    fewer = client.post("/get-help", data=urlencode([("step", "who"), ("who", "parent")] + [("need", "housing")] * 150),
                        content_type="application/x-www-form-urlencoded")
    assert fewer.status_code == 200


def test_a_long_story_is_not_too_large(client):
    """The referral's longest box (2,000 characters), every one of them a 4-byte character: still read."""
    response = client.post("/useful", data={"useful": "yes", "page": "/pages/privacy", "more": "😀" * 2000})
    assert response.status_code == 200


def test_healthz(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_data(as_text=True) == "ok\n"
    assert "Set-Cookie" not in response.headers


def test_production_refuses_to_start_without_its_secrets(monkeypatch):
    from app.config import Production

    for name in ("SECRET_KEY", "DATABASE_URL", "REFERRAL_ENCRYPTION_KEYS", "SITE_URL", "RATELIMIT_STORAGE_URI"):
        monkeypatch.delenv(name, raising=False)
    with pytest.raises(RuntimeError, match="SECRET_KEY, DATABASE_URL, REFERRAL_ENCRYPTION_KEYS, SITE_URL, RATELIMIT_STORAGE_URI"):
        Production()
    monkeypatch.setenv("SECRET_KEY", "a-long-random-secret-of-48-characters-0123456789")
    monkeypatch.setenv("DATABASE_URL", "postgresql:///familyhub")
    monkeypatch.setenv("REFERRAL_ENCRYPTION_KEYS", "key")
    monkeypatch.setenv("RATELIMIT_STORAGE_URI", "memory://")
    with pytest.raises(RuntimeError, match=r"needs these environment variables: SITE_URL\. "):
        Production()  # a shared list's link and QR code would point at 127.0.0.1
    monkeypatch.setenv("SITE_URL", "https://familyhub.example.org/")
    config = Production()
    assert config.SITE_URL == "https://familyhub.example.org"
    assert config.SEND_HSTS and config.SESSION_COOKIE_SECURE
    assert config.SQLALCHEMY_DATABASE_URI == "postgresql+psycopg:///familyhub"


def test_production_sends_hsts(app_with):
    app = app_with(SEND_HSTS=True)
    assert app.test_client().get("/healthz").headers["Strict-Transport-Security"].startswith("max-age=31536000")
