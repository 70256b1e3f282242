"""The built CSS and JavaScript: hashed names kept a year, sent compressed as built, every one versioned."""

import gzip
import hashlib
import re

import brotli

from tests.pages import parse

YEAR = "public, max-age=31536000, immutable"


def assets_of(client, path="/services"):
    page = parse(client.get(path))
    return [link["href"] for link in page.select("link[rel=stylesheet]")] + [s["src"] for s in page.select("script[src]")]


def test_every_asset_a_page_links_is_named_by_its_content_and_kept_a_year(client):
    urls = assets_of(client)
    assert len(urls) == 2
    for url in urls:
        assert "?" not in url
        name = url.rsplit("/", 1)[1]
        digest = re.search(r"\.([0-9a-f]{10})\.", name).group(1)
        sent = client.get(url)
        assert sent.status_code == 200
        assert hashlib.sha256(sent.get_data()).hexdigest()[:10] == digest
        assert sent.headers["Cache-Control"] == YEAR
        assert sent.headers["X-Content-Type-Options"] == "nosniff"
        sent.close()


def test_the_script_imports_gov_uk_frontend_by_its_hashed_name_too(client):
    script = next(url for url in assets_of(client) if url.endswith(".mjs"))
    body = client.get(script).get_data(as_text=True)
    imported = re.findall(r"from '\./([^']+)'", body)
    assert imported and all(re.search(r"\.[0-9a-f]{10}\.", name) for name in imported)
    for name in imported:
        sent = client.get(f"/static/{name}")
        assert sent.status_code == 200 and sent.headers["Cache-Control"] == YEAR
        sent.close()


def test_assets_are_sent_compressed_as_built(client):
    for url in assets_of(client, "/pl/services"):  # a language's pages link the same files
        raw = client.get(url).get_data()
        for asked, undo in (("br", brotli.decompress), ("gzip", gzip.decompress)):
            sent = client.get(url, headers={"Accept-Encoding": asked})
            assert sent.headers["Content-Encoding"] == asked and "Accept-Encoding" in sent.headers["Vary"]
            body = sent.get_data()
            assert len(body) < len(raw) / 2 and undo(body) == raw
            sent.close()
