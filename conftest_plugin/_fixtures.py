"""The ``ddb_fake``, ``ddb`` and ``ddb_patch`` fixtures, and the markers they read (``ddb_tables``,
``ddb_throttle``).

``ddb_fake`` is synchronous (a fake needs no event loop); ``ddb`` is declared with
``pytest_asyncio.fixture``, so it works in pytest-asyncio's strict mode as well as in auto mode.
Everything heavy is imported inside the fixtures.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable, Iterator
from typing import TYPE_CHECKING, Any

import pytest

from ._report import FIXTURE_FAKE, TRACKER
from ._settings import SETTINGS, derive_seed

if TYPE_CHECKING:
    from aiodynamodb import DynamoDB, DynamoModel
    from aiodynamodb_fake import FakeDynamoDB

try:
    import pytest_asyncio
except ImportError:  # pragma: no cover - the testing extra installs it
    pytest_asyncio = None  # type: ignore[assignment]  # ddb then explains what to install

__all__ = ["ddb", "ddb_fake", "ddb_patch", "marked_models"]


def _table_name(model: Any) -> str:
    meta = getattr(model, "Meta", None)
    name = getattr(meta, "table_name", None)
    if not isinstance(name, str):
        raise TypeError(f"ddb_tables takes @table-decorated DynamoModel classes, got {model!r}")
    return name


LONE_MODEL_HINT = (
    "with one model write ddb_tables([Model]) or ddb_tables.with_args(Model): pytest takes a lone "
    "class argument for the object the marker decorates"
)


def marked_models(node: pytest.Item) -> list[type[DynamoModel]]:
    """The models of every ``ddb_tables`` marker on the test, its class and module, once each;
    a list or tuple of models counts as its members (``ddb_tables([User])``: see ``LONE_MODEL_HINT``)."""
    models: dict[str, type[DynamoModel]] = {}
    for marker in node.iter_markers("ddb_tables"):
        if marker.kwargs:
            raise TypeError(f"ddb_tables takes model classes only, got keywords {sorted(marker.kwargs)}")
        if not marker.args:
            raise TypeError(f"ddb_tables got no models; {LONE_MODEL_HINT}")
        for arg in marker.args:
            for model in arg if isinstance(arg, list | tuple) else (arg,):
                models.setdefault(_table_name(model), model)
    return list(models.values())


def _names(values: Iterable[Any] | str | None) -> list[str] | str | None:
    """Table names from names or models."""
    if values is None or isinstance(values, str):
        return values
    return [value if isinstance(value, str) else _table_name(value) for value in values]


def _apply_throttle(fake: FakeDynamoDB, marker: pytest.Mark) -> None:
    args, kwargs = list(marker.args), dict(marker.kwargs)
    if "rate" in kwargs:
        args.insert(0, kwargs.pop("rate"))
    if len(args) != 1:
        raise TypeError("ddb_throttle takes one rate: @pytest.mark.ddb_throttle(0.5, seed=..., tables=...)")
    if "tables" in kwargs:
        kwargs["tables"] = _names(kwargs["tables"])
    fake.throttle(args[0], **kwargs)


@pytest.fixture
def ddb_fake(request: pytest.FixtureRequest) -> FakeDynamoDB:
    """A fresh in-memory ``FakeDynamoDB`` on a ``VirtualClock`` for this test.

    Its seed is derived from the suite seed (``--ddb-seed``, default 0) and the test's id, so it is
    the same on every run and in any order. ``@pytest.mark.ddb_tables(Model, ...)`` creates tables
    (one model: ``ddb_tables([Model])``); ``@pytest.mark.ddb_throttle(rate, seed=..., tables=...,
    operations=..., after=..., times=...)`` is applied as ``ddb_fake.throttle(...)``, on top of any
    ``--ddb-throttle``. Inject faults (``throttle``, ``fail``, ``unprocess``) and read what happened
    (``events``, ``requests``, ``items(table)``). Skipped under ``--ddb-endpoint``.
    """
    from aiodynamodb import DynamoDB
    from aiodynamodb_fake import FakeDynamoDB, VirtualClock

    config = request.config
    tracker = config.stash[TRACKER]
    tracker.install(force=True)
    fake = FakeDynamoDB(
        clock=VirtualClock(), seed=derive_seed(config.stash[SETTINGS].seed, request.node.nodeid)
    )
    tracker.adopt(fake)
    request.node.stash[FIXTURE_FAKE] = fake
    builder = DynamoDB(transport=fake)
    for model in marked_models(request.node):
        fake.call_sync("CreateTable", builder.create_table_request(model))
    marker = request.node.get_closest_marker("ddb_throttle")
    if marker is not None:
        _apply_throttle(fake, marker)
    return fake


@pytest.fixture
def ddb_patch(ddb_fake: FakeDynamoDB) -> Iterator[FakeDynamoDB]:
    """``ddb_fake``, with every boto3 and aioboto3 DynamoDB client routed to it for the test.

    Clients made before or during the test are answered in process (no sockets, no credentials or
    region needed), with botocore's retry back-off taken on the fake's virtual clock. The fake is
    ``ddb_fake`` itself: the ``ddb_tables`` and ``ddb_throttle`` markers and the suite's
    ``--ddb-throttle``/``--ddb-seed``/``--ddb-capacity`` apply to it. Skipped under ``--ddb-endpoint``.
    """
    from aiodynamodb_fake.interception import patch

    with patch(ddb_fake):
        yield ddb_fake


async def _ddb(request: pytest.FixtureRequest) -> AsyncIterator[DynamoDB]:
    """An ``aiodynamodb.DynamoDB`` client on ``ddb_fake``, with the ``ddb_tables`` tables.

    Its retries sleep on the fake's virtual clock, so a throttled test takes no wall time; it is
    closed after the test. An async fixture: works in pytest-asyncio's auto and strict modes. Under
    ``--ddb-endpoint=URL`` it talks to that endpoint instead (aioboto3, dummy credentials unless the
    environment has some), with the ``ddb_tables`` tables created before the test and deleted after.
    """
    endpoint = request.config.stash[SETTINGS].endpoint
    if endpoint is not None:
        from ._endpoint import endpoint_client

        async with endpoint_client(endpoint, marked_models(request.node)) as remote:
            yield remote
        return
    from aiodynamodb.testing import mock_dynamodb

    fake = request.getfixturevalue("ddb_fake")
    async with mock_dynamodb(fake=fake) as db:
        yield db


if pytest_asyncio is not None:
    ddb = pytest_asyncio.fixture(_ddb, name="ddb")
else:  # pragma: no cover

    @pytest.fixture(name="ddb")
    def ddb(request: pytest.FixtureRequest) -> Any:
        """An ``aiodynamodb.DynamoDB`` client on ``ddb_fake``; needs pytest-asyncio."""
        pytest.fail("the ddb fixture needs pytest-asyncio: pip install 'aiodynamodb[testing]'", pytrace=False)
