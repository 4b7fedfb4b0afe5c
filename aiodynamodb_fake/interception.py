"""Real boto3 and aioboto3 DynamoDB clients answered in process by a fake: ``with patch(fake):`` and
``async with patch(fake):`` (``fake.patch()``).

No sockets: botocore still validates parameters, serializes, signs, parses the answer and raises
errors (``client.exceptions.ConditionalCheckFailedException``, ``ClientError`` codes) exactly as it
does from AWS; only the send is answered here, by ``protocol.handle`` (the server's own protocol),
through botocore's ``before-send`` event. Other services are not touched and still go to the network.

Reaching every client. botocore gives each client its own copy of its session's event emitter when
the client is made, so a handler registered on a session (how moto does it) reaches only clients
made afterwards. The patch answers the event where every copy runs it: botocore's (and
aiobotocore's) emitter class. While any patch is active, ``HierarchicalEmitter._emit`` is wrapped
so that for ``before-send.dynamodb.*`` every handler the client has runs first (adaptive mode's
rate limiter paces, a user's hooks see the request, a stub that answers, such as moto's, keeps
precedence) and, if none answered, the fake does. Clients made before, during and after
``__enter__`` are all reached, and DynamoDB Streams (``dynamodb-streams``) is not. The wrapper also
takes botocore's retry back-off onto the fake's clock (``sdk_backoff``). Leaving the last patch puts
every class attribute back.

Nesting: patches stack, and the most recently entered patch still active answers (inner wins);
leaving it hands the clients back to the one before. Patches are process-wide, like moto's: every
thread and event loop sees the innermost. Entering a ``Patch`` object that is already active is an
error.

Credentials and region (``sdk_defaults``): a DynamoDB client made inside the patch with no region
configured anywhere (argument, ``Config``, environment, profile) gets the fake's region; one with
no credentials anywhere gets dummy ones (``testing``/``testing``). Nothing is written to
``os.environ``; clients of other services are made exactly as without the patch.
botocore events: https://boto3.amazonaws.com/v1/documentation/api/latest/guide/events.html
"""

from __future__ import annotations

import logging
import random
import threading
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import partial
from types import TracebackType
from typing import TYPE_CHECKING, Any

import aiobotocore.hooks
import aiobotocore.session
import botocore.hooks
import botocore.session
from aiobotocore.awsrequest import AioAWSResponse
from botocore.awsrequest import AWSResponse
from botocore.hooks import first_non_none_response

from . import protocol
from .clock import Clock
from .sdk_backoff import LimiterAdoption, pace_retry, pace_retry_async
from .sdk_defaults import DUMMY_ACCESS_KEY, DUMMY_SECRET_KEY, SERVICE, async_create_client, sync_create_client

if TYPE_CHECKING:
    from .service import FakeDynamoDB

__all__ = ["DUMMY_ACCESS_KEY", "DUMMY_SECRET_KEY", "Patch", "active_patches", "patch"]

logger = logging.getLogger(__name__)

BEFORE_SEND = f"before-send.{SERVICE}."
NEEDS_RETRY = f"needs-retry.{SERVICE}."
_EVENTS = (BEFORE_SEND, NEEDS_RETRY)


# --- the patch ------------------------------------------------------------------------------------


class Patch:
    """Routes every boto3/aioboto3 DynamoDB client to ``fake`` while entered (``with`` or
    ``async with``; both give the fake). Reusable once left; see the module doc for nesting."""

    def __init__(self, fake: FakeDynamoDB) -> None:
        self.fake = fake
        self._request_ids = random.Random(fake.seed)  # request ids repeat with the fake's seed
        self._ids_lock = threading.Lock()

    @property
    def active(self) -> bool:
        return self in _registry.patches

    @property
    def region(self) -> str:
        return self.fake.state.region

    def start(self) -> FakeDynamoDB:
        _registry.push(self)
        return self.fake

    def stop(self) -> None:
        """Stop routing to this fake (a no-op if not active)."""
        _registry.remove(self)

    def __enter__(self) -> FakeDynamoDB:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    async def __aenter__(self) -> FakeDynamoDB:
        return self.start()

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    def __repr__(self) -> str:
        return f"<Patch of {self.fake!r}{' (active)' if self.active else ''}>"

    def reply(self, request: Any) -> protocol.Reply:
        """The fake's answer to botocore's prepared ``request``."""
        headers = _text_headers(request.headers)
        with self._ids_lock:
            request_id = protocol.new_request_id(self._request_ids)
        return protocol.handle(
            self.fake,
            headers.get("x-amz-target", ""),
            headers,
            _body_bytes(request.body),
            request_id=request_id,
        )


def patch(fake: FakeDynamoDB) -> Patch:
    """A context manager routing every boto3/aioboto3 DynamoDB client to ``fake`` in process."""
    return Patch(fake)


def active_patches() -> tuple[Patch, ...]:
    """The active patches, outermost first; the last one answers."""
    return _registry.patches


# --- botocore's request and response ------------------------------------------------------------


def _text_headers(headers: Any) -> dict[str, str]:
    """botocore's request headers (values may be bytes by now) as a lower-cased ``str`` dict."""
    text: dict[str, str] = {}
    for name, value in headers.items():
        text[str(name).lower()] = value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)
    return text


def _body_bytes(body: Any) -> bytes:
    if body is None:
        return b""
    if isinstance(body, bytes):
        return body
    if isinstance(body, bytearray | memoryview):
        return bytes(body)
    if isinstance(body, str):
        return body.encode("utf-8")
    data = body.read()  # a file-like body: botocore rewinds it itself before any resend
    return data.encode("utf-8") if isinstance(data, str) else bytes(data)


class _Body:
    """The raw body botocore reads: ``stream()`` for botocore, ``await read()`` for aiobotocore."""

    def __init__(self, data: bytes) -> None:
        self._data = data

    def stream(self, **_: Any) -> Iterator[bytes]:
        if self._data:
            yield self._data

    async def read(self, *_: Any) -> bytes:
        return self._data

    def close(self) -> None:
        """Nothing to release."""


class InterceptedResponse(AWSResponse):
    """An answer given in process; ``fake`` is the fake that gave it."""

    def __init__(self, url: str, reply: protocol.Reply, fake: FakeDynamoDB) -> None:
        headers = {**reply.headers, "Content-Length": str(len(reply.body))}
        # botocore takes any mapping (it copies it into a HeadersDict); its stubs say HTTPHeaders
        super().__init__(url, reply.status, headers, _Body(reply.body))  # type: ignore[arg-type]
        self.fake = fake


class AioInterceptedResponse(AioAWSResponse):  # type: ignore[misc]  # aiobotocore is untyped
    """``InterceptedResponse`` for aiobotocore, whose ``content`` is awaited."""

    def __init__(self, url: str, reply: protocol.Reply, fake: FakeDynamoDB) -> None:
        headers = {**reply.headers, "Content-Length": str(len(reply.body))}
        super().__init__(url, reply.status, headers, _Body(reply.body))
        self.fake = fake


def _answered_by(kwargs: Mapping[str, Any]) -> FakeDynamoDB | None:
    """The fake that answered the attempt a ``needs-retry`` event is about, if one did."""
    response = kwargs.get("response")
    if isinstance(response, tuple) and response:
        http_response = response[0]
        if isinstance(http_response, InterceptedResponse | AioInterceptedResponse):
            fake: FakeDynamoDB = http_response.fake
            return fake
    return None


# --- the registry and its class hooks --------------------------------------------------------------


@dataclass(slots=True)
class _ClassHook:
    """One class attribute replaced by ``make(original)`` while any patch is active."""

    owner: type
    name: str
    make: Callable[[Any], Any]
    original: Any = None
    installed: Any = None

    def install(self) -> None:
        self.original = self.owner.__dict__[self.name]
        self.installed = self.make(self.original)
        setattr(self.owner, self.name, self.installed)

    def uninstall(self) -> None:
        # if someone wrapped ours since, theirs stays (and ours inside it passes everything through)
        if self.owner.__dict__.get(self.name) is self.installed:
            setattr(self.owner, self.name, self.original)
        self.original = self.installed = None


class _Registry:
    """The active patches and the class hooks they need, installed by the first, removed by the last."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.patches: tuple[Patch, ...] = ()
        self.limiters = LimiterAdoption(self.clock)
        self._hooks: list[_ClassHook] = []

    def current(self) -> Patch | None:
        patches = self.patches  # one read: a tuple, replaced whole under the lock
        return patches[-1] if patches else None

    def clock(self) -> Clock | None:
        current = self.current()
        return None if current is None else current.fake.clock

    def region(self) -> str | None:
        current = self.current()
        return None if current is None else current.region

    def push(self, entered: Patch) -> None:
        with self._lock:
            if entered in self.patches:
                raise RuntimeError(f"{entered!r} is already active; leave it before entering it again")
            if not self.patches:
                self._hooks = _class_hooks()
                for hook in self._hooks:
                    hook.install()
            self.patches = (*self.patches, entered)

    def remove(self, left: Patch) -> None:
        with self._lock:
            if left not in self.patches:
                return
            self.patches = tuple(p for p in self.patches if p is not left)
            if self.patches:
                return
            for hook in reversed(self._hooks):
                hook.uninstall()
            self._hooks = []
            self.limiters.restore_all()  # under the lock: a patch entered next adopts them afresh


_registry = _Registry()


def _class_hooks() -> list[_ClassHook]:
    region = _registry.region
    return [
        _ClassHook(botocore.hooks.HierarchicalEmitter, "_emit", _sync_emit),
        _ClassHook(botocore.session.Session, "create_client", partial(sync_create_client, region=region)),
        _ClassHook(aiobotocore.hooks.AioHierarchicalEmitter, "_emit", _async_emit),
        _ClassHook(
            aiobotocore.session.AioSession, "_create_client", partial(async_create_client, region=region)
        ),
    ]


# --- the emitter: before-send answered, needs-retry paced -------------------------------------------


def _sync_emit(original: Callable[..., Any]) -> Callable[..., Any]:
    def _emit(self: Any, event_name: str, kwargs: dict[str, Any], stop_on_response: bool = False) -> Any:
        current = _registry.current() if event_name.startswith(_EVENTS) else None
        if current is None:
            return original(self, event_name, kwargs, stop_on_response)
        if event_name.startswith(BEFORE_SEND):
            _registry.limiters.adopt_from(self, event_name)
            responses = original(self, event_name, kwargs, stop_on_response)
            if first_non_none_response(responses) is None:
                reply = current.reply(kwargs["request"])
                responses.append(
                    (current.reply, InterceptedResponse(kwargs["request"].url, reply, current.fake))
                )
            return responses
        responses = original(self, event_name, kwargs, stop_on_response)
        fake = _answered_by(kwargs)
        return responses if fake is None else pace_retry(responses, fake.clock)

    return _emit


def _async_emit(original: Callable[..., Any]) -> Callable[..., Any]:
    async def _emit(
        self: Any, event_name: str, kwargs: dict[str, Any], stop_on_response: bool = False
    ) -> Any:
        current = _registry.current() if event_name.startswith(_EVENTS) else None
        if current is None:
            return await original(self, event_name, kwargs, stop_on_response)
        if event_name.startswith(BEFORE_SEND):
            _registry.limiters.adopt_from(self, event_name)
            responses = await original(self, event_name, kwargs, stop_on_response)
            if first_non_none_response(responses) is None:
                reply = current.reply(kwargs["request"])
                response = AioInterceptedResponse(kwargs["request"].url, reply, current.fake)
                responses.append((current.reply, response))
            return responses
        responses = await original(self, event_name, kwargs, stop_on_response)
        fake = _answered_by(kwargs)
        return responses if fake is None else await pace_retry_async(responses, fake.clock)

    return _emit
