"""The suite's Hypothesis profiles, loaded by tests/conftest.py.

Under CI every run tries the same examples, and a failure prints the blob that
replays it (@reproduce_failure); elsewhere each run explores anew and remembers
its failures in .hypothesis/. HYPOTHESIS_PROFILE chooses one by name.

It imports nothing of the app, so that tests/test_hypothesis_profiles.py can load
the profiles in a small pytest run of its own without starting the app.
"""

import os

from hypothesis import HealthCheck, settings

IN_CI = os.environ.get("CI") == "true"

_QUIET = [HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
settings.register_profile("ci", derandomize=True, print_blob=True, database=None, deadline=None,
                          suppress_health_check=_QUIET)
settings.register_profile("dev", deadline=None, suppress_health_check=_QUIET)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if IN_CI else "dev"))
