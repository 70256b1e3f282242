"""Fuzzing that replays: under CI=true two runs in a row try the same examples."""

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

INNER_TEST = '''
import json, os
from hypothesis import given, strategies as st

@given(st.text(), st.integers())
def test_collects(text, number):
    with open(os.environ["EXAMPLES_FILE"], "a", encoding="utf-8") as out:
        out.write(json.dumps([text, number]) + "\\n")
'''


def examples_of_one_run(pytester, monkeypatch, **env):
    """The examples Hypothesis tried in one run of a small test, under the suite's own profiles."""
    pytester.makeconftest("import tests.conftest  # noqa: F401  (registers and loads the profiles)\n")
    pytester.makepyfile(test_inner=INNER_TEST)
    out = pytester.path / f"examples-{len(list(pytester.path.glob('examples-*')))}.jsonl"
    monkeypatch.setenv("PYTHONPATH", str(ROOT))
    monkeypatch.setenv("EXAMPLES_FILE", str(out))
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-q")
    result.assert_outcomes(passed=1)
    return [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]


def test_under_ci_two_runs_try_the_same_examples(pytester, monkeypatch):
    monkeypatch.delenv("HYPOTHESIS_PROFILE", raising=False)
    first = examples_of_one_run(pytester, monkeypatch, CI="true")
    second = examples_of_one_run(pytester, monkeypatch, CI="true")
    assert len(first) >= 50
    assert first == second
