"""Under pytest-xdist with coverage, a test marked ``no_cover`` runs untraced and a measured one is measured."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

MEASURED = '''
def double(number):
    return number * 2
'''

SUITE = '''
import os
import sys

import pytest

from measured import double


def test_measured():
    assert sys.gettrace() is not None
    assert double(2) == 4


@pytest.mark.no_cover
def test_unmeasured():
    with open(os.environ["TRACE_FILE"], "w", encoding="utf-8") as out:
        out.write("traced" if sys.gettrace() is not None else "untraced")
'''


def run(pytester, monkeypatch, *plugins):
    """Run the small suite on one worker; what the unmeasured test found, and the run."""
    monkeypatch.setenv("PYTHONPATH", f"{ROOT}:{pytester.path}")
    monkeypatch.setenv("TRACE_FILE", str(pytester.path / "trace.txt"))
    pytester.makepyfile(measured=MEASURED, test_suite=SUITE)
    options = [option for plugin in plugins for option in ("-p", plugin)]
    result = pytester.runpytest_subprocess("-n", "1", "--cov=measured", "--cov-report=term", "-p", "no:cacheprovider",
                                           *options)
    result.assert_outcomes(passed=2)
    return (pytester.path / "trace.txt").read_text(encoding="utf-8"), result


def test_an_unmeasured_test_in_a_worker_is_not_traced(pytester, monkeypatch):
    found, result = run(pytester, monkeypatch, "tests.coverage_workers")
    assert found == "untraced"
    result.stdout.fnmatch_lines(["measured.py * 2 * 0 * 100%"])  # the measured test is still measured


def test_without_it_pytest_cov_leaves_the_unmeasured_test_traced(pytester, monkeypatch):
    """The fault tests/coverage_workers.py stops: when this fails, pytest-cov no longer needs it."""
    found, _ = run(pytester, monkeypatch)
    assert found == "traced"
