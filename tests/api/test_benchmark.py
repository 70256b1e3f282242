"""The API's benchmark keeps running: a short round of it, on a small synthetic directory."""

import pytest

from bench import api as api_bench


@pytest.mark.no_cover
def test_a_short_round_of_the_api_benchmark_runs(capsys):
    slowest = api_bench.main(["--size", "300", "--rounds", "1"])
    printed = capsys.readouterr().out
    for kind in ("services?per_page=50", "with search", "with taxonomy_term_id", "service_at_locations, 5 km",
                 "services/{id}", "Walking every page at per_page=200"):
        assert kind in printed
    assert 0 < slowest < 10_000  # milliseconds: a page taking 10 s is broken, not slow
