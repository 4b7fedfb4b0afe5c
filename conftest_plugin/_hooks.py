"""The plugin's hooks: options, markers, the report header, per-test suite chaos, endpoint skips
and the failure report section."""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

import pytest

from ._endpoint import skip_reason
from ._report import FAKES, FIXTURE_FAKE, REPORTED, SECTION, TRACKER, Fakes, Tracker, describe
from ._settings import SETTINGS, add_options, derive_seed, read_settings

__all__ = [
    "pytest_addoption",
    "pytest_collection_modifyitems",
    "pytest_configure",
    "pytest_report_header",
    "pytest_runtest_makereport",
    "pytest_runtest_protocol",
    "pytest_unconfigure",
]

MARKERS = (
    "ddb_tables(Model, ...): create these DynamoModel tables before the test, in ddb_fake (and so "
    "for ddb), or at the --ddb-endpoint (deleted after the test). With one model write "
    "ddb_tables([Model]) (pytest takes a lone class argument for the object it decorates).",
    "ddb_throttle(rate, seed=None, tables=None, operations=None, after=0, times=None): apply "
    "ddb_fake.throttle(rate, ...) to the test's fake: batch items and keys come back unprocessed, "
    "single-item calls are throttled, with probability rate. The closest marker wins. Tests carrying "
    "it are skipped under --ddb-endpoint.",
)


def pytest_addoption(parser: pytest.Parser) -> None:
    add_options(parser)


def pytest_configure(config: pytest.Config) -> None:
    for line in MARKERS:
        config.addinivalue_line("markers", line)
    config.stash[SETTINGS] = read_settings(config)
    config.stash[TRACKER] = Tracker()


def pytest_unconfigure(config: pytest.Config) -> None:
    tracker = config.stash.get(TRACKER, None)
    if tracker is not None:
        tracker.uninstall()


def pytest_report_header(config: pytest.Config) -> str:
    return config.stash[SETTINGS].header()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    endpoint = config.stash[SETTINGS].endpoint
    if endpoint is None:
        return
    for item in items:
        reason = skip_reason(item, endpoint)
        if reason is not None:
            item.add_marker(pytest.mark.skip(reason=reason))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None) -> Generator[None, Any, Any]:
    """Around setup, call and teardown: the suite chaos with this test's seed, and fake tracking."""
    settings = item.config.stash[SETTINGS]
    tracker = item.config.stash[TRACKER]
    tracker.install(force=settings.chaos)
    previous_fakes = tracker.current
    tracker.current = item.stash[FAKES] = Fakes()
    restore: Any = None
    if settings.chaos:
        from aiodynamodb_fake import suite

        previous = suite.suite_chaos()
        seed = derive_seed(settings.seed, item.nodeid)
        suite.set_suite_chaos(
            suite.SuiteChaos(throttle=settings.throttle or 0.0, seed=seed, capacity=settings.capacity)
        )

        def restore() -> None:
            suite.set_suite_chaos(previous)

    try:
        return (yield)
    finally:
        if restore is not None:
            restore()
        tracker.current = previous_fakes  # an inline pytester run nests one session in another
        for key in (FAKES, FIXTURE_FAKE):  # items live as long as the session: let the fakes go
            if key in item.stash:
                del item.stash[key]


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Generator[None, Any, Any]:
    report: pytest.TestReport = yield
    if report.failed and not item.stash.get(REPORTED, False):
        fakes = item.stash.get(FAKES, None)
        if fakes is not None and fakes.count:
            settings = item.config.stash[SETTINGS]
            seed = derive_seed(settings.seed, item.nodeid)
            report.sections.append((SECTION, describe(item, settings, seed, fakes)))
            item.stash[REPORTED] = True
    return report
