"""Unmeasured tests run untraced in pytest-xdist workers too.

A worker's command line still holds ``-n``, so pytest-cov (7.1) starts a master's
Coverage in each worker when it loads, then a worker's Coverage over it at session
start. Pausing the worker's Coverage for a ``no_cover`` test resumes the master's
beneath it, and the test ran traced all the same, at a half to a third of its speed
on Python 3.11. Nothing the master's Coverage gathers in a worker is ever combined,
so stopping it before the worker's starts loses no figure.
"""

import pytest


@pytest.hookimpl(wrapper=True)
def pytest_sessionstart(session):
    plugin = session.config.pluginmanager.getplugin("_cov")
    before_worker_starts = getattr(plugin, "cov_controller", None)
    if hasattr(session.config, "workerinput") and getattr(before_worker_starts, "cov", None) is not None:
        before_worker_starts.cov.stop()
    return (yield)
