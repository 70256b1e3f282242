"""Fuzzing that replays under CI and explores elsewhere: the suite's own Hypothesis profiles.

Hypothesis itself derandomises when a ``CI`` variable is set, so these runs leave
``CI`` out and choose the profile by name: what they show is the profile's doing.
"""

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
    pytester.makeconftest("import tests.hypothesis_profiles  # noqa: F401  (registers and loads the profiles)\n")
    pytester.makepyfile(test_inner=INNER_TEST)
    out = pytester.path / f"examples-{len(list(pytester.path.glob('examples-*')))}.jsonl"
    monkeypatch.setenv("PYTHONPATH", str(ROOT))
    monkeypatch.setenv("EXAMPLES_FILE", str(out))
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-q")
    result.assert_outcomes(passed=1)
    return [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]


def test_the_ci_profile_tries_the_same_examples_every_run(pytester, monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    first = examples_of_one_run(pytester, monkeypatch, HYPOTHESIS_PROFILE="ci")
    second = examples_of_one_run(pytester, monkeypatch, HYPOTHESIS_PROFILE="ci")
    assert len(first) >= 50
    assert first == second


def test_the_dev_profile_explores_anew_each_run(pytester, monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    first = examples_of_one_run(pytester, monkeypatch, HYPOTHESIS_PROFILE="dev")
    second = examples_of_one_run(pytester, monkeypatch, HYPOTHESIS_PROFILE="dev")
    assert first != second
