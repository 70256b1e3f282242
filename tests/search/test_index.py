"""The index's life: built beside the live one, swapped in, rebuilt once for many triggers,
and never the cause of a failed search when it is missing or damaged."""

import logging
import os
import re
import threading
from urllib.parse import urlencode

import pytest

from app.search import search_service
from app.search.index import IndexStore
from tests.pages import parse, result_count, result_names


@pytest.fixture
def own_app(app_with):
    """An app with its own index folder, so damaging it harms no other test."""
    other = app_with(PAGE_CACHE_SECONDS=0)
    with other.app_context():
        search_service().build()
    return other


def typo_results(client):
    """A misspelling only the index forgives: the database fallback matches plain words."""
    return result_count(parse(client.get("/services?q=breastfeding")))


def test_building_swaps_in_a_whole_new_index_and_keeps_one_before_it(own_app):
    store = own_app.extensions["search"].store
    first = store.generation()
    result = own_app.test_cli_runner().invoke(args=["search", "build"])
    assert result.exit_code == 0, result.output
    assert re.search(r"Indexed \d+ services and \d+ pages", result.output)
    second = store.generation()
    assert second != first and (store.root / second / "manifest.json").exists()
    own_app.test_cli_runner().invoke(args=["search", "build"])
    builds = sorted(p.name for p in store.root.glob("build-*"))
    assert len(builds) == 2 and second in builds and first not in builds


def test_a_missing_or_damaged_index_falls_back_to_the_database(own_app, app_with, caplog):
    client = own_app.test_client()
    assert typo_results(client) > 0
    store = own_app.extensions["search"].store
    live = store.root / store.generation()

    for path in live.iterdir():  # damage every file of the live index while the app runs
        if path.is_file():
            path.write_bytes(b"\0garbage" * 64)
    worker = app_with(SEARCH_INDEX_DIR=own_app.config["SEARCH_INDEX_DIR"], PAGE_CACHE_SECONDS=0)
    client = worker.test_client()  # a worker starting now, on the same index folder
    with caplog.at_level(logging.WARNING, logger="app.search"):
        for _ in range(3):
            response = client.get("/services?q=baby")
            assert response.status_code == 200
    page = parse(response)
    assert result_count(page) > 0
    assert "index" not in page.select_one("main").get_text().casefold()  # nothing alarming said
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1 and "answering from the database" in warnings[0].getMessage()
    assert typo_results(client) == 0  # the fallback does not forgive typos

    os.unlink(store.root / "current")  # and with no index at all
    assert client.get("/services?q=baby").status_code == 200

    result = worker.test_cli_runner().invoke(args=["search", "build"])
    assert result.exit_code == 0, result.output
    assert typo_results(client) > 0  # the index is back


def test_a_search_on_an_index_that_breaks_mid_search_still_answers(own_app, monkeypatch):
    client = own_app.test_client()
    assert client.get("/services?q=baby").status_code == 200
    with own_app.app_context():
        directory = search_service().directory()
    assert directory.from_index

    def broken(*args, **kwargs):
        raise OSError("the disk went away")

    monkeypatch.setattr(directory.scorer.reader, "postings", broken)
    response = client.get("/services?q=sleep")
    assert response.status_code == 200
    assert result_count(parse(response)) > 0


def test_concurrent_rebuild_requests_coalesce(tmp_path):
    store = IndexStore(tmp_path)
    builds = []

    def build():
        builds.append(1)
        if len(builds) == 1:  # three more changes arrive while the first build runs
            for _ in range(3):
                assert store.rebuild(build) == 0  # handed to the running builder
    assert store.rebuild(build) == 2  # the first build, then one more for all three
    assert not (tmp_path / "rebuild.pending").exists()


def test_a_rebuild_asked_for_while_another_process_builds_is_left_for_it(tmp_path):
    store = IndexStore(tmp_path)
    ran = []
    with store.lock() as mine:
        assert mine
        assert store.rebuild(lambda: ran.append(1)) == 0  # another "process" holds the lock
        assert (tmp_path / "rebuild.pending").exists()
    assert store.rebuild(lambda: ran.append(1)) == 1
    assert ran == [1]


def test_readers_see_the_old_index_or_the_new_one_never_neither(own_app):
    store = own_app.extensions["search"].store
    first = store.generation()
    seen, looks, watching, stop = set(), [0], threading.Event(), threading.Event()

    def watch():
        while not stop.is_set():
            seen.add(store.generation())
            looks[0] += 1
            watching.set()

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        assert watching.wait(5)
        with own_app.app_context():
            for _ in range(3):
                search_service().build()
                before = looks[0]
                while looks[0] < before + 50 and watcher.is_alive():  # let the watcher look at each new index
                    stop.wait(0.001)
    finally:
        stop.set()
        watcher.join()
    last = store.generation()
    assert looks[0] > 150
    assert None not in seen
    assert {first, last} <= seen and len(seen) >= 3  # it watched the swaps happen


def test_a_parallel_build_answers_exactly_as_a_single_process_build(own_app, monkeypatch):
    """Large directories are indexed by two worker processes; nothing a family sees may change."""
    import whoosh.index

    import app.search

    client = own_app.test_client()
    searches = ["baby", "tantrums", "breastfeding", "money advice", "speech and language", '"stay and play"']
    wanted = ["/services?" + urlencode({"q": q}) for q in searches] + [
        "/services?" + urlencode({"q": "support", "postcode": "WR1 2AB", "sort": "distance"}),
        "/services?" + urlencode({"q": "support", "page": "2"}),
    ]
    single = [result_names(parse(client.get(url))) for url in wanted]

    monkeypatch.setattr(app.search, "PARALLEL_FROM", 1)
    with own_app.app_context():
        search_service().build()
    store = own_app.extensions["search"].store
    index = whoosh.index.open_dir(str(store.root / store.generation()))
    with index.reader() as reader:
        assert len(list(reader.leaf_readers())) == 2  # one segment from each worker
    index.close()
    assert [result_names(parse(client.get(url))) for url in wanted] == single
    assert all(single)
