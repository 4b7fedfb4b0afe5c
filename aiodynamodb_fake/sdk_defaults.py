"""Client creation under a patch: a DynamoDB client made with no region configured anywhere
(argument, ``Config``, the session's default config, environment, profile) gets the patch's
region, and one with no credentials anywhere (the session's whole credential chain is asked, once,
as botocore itself would) gets dummy ones, as explicit arguments. Clients of other services, and
anything configured, are left exactly as they are; nothing is written to ``os.environ``.
``sync_create_client`` wraps botocore's ``Session.create_client``, ``async_create_client``
aiobotocore's ``AioSession._create_client``. Configuration sources:
https://boto3.amazonaws.com/v1/documentation/api/latest/guide/configuration.html
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Mapping
from typing import Any

from botocore import UNSIGNED

__all__ = ["DUMMY_ACCESS_KEY", "DUMMY_SECRET_KEY", "SERVICE", "async_create_client", "sync_create_client"]

SERVICE = "dynamodb"
DUMMY_ACCESS_KEY = "testing"
DUMMY_SECRET_KEY = "testing"  # any key will do for the fake


def _defaults(session: Any, signature: inspect.Signature, args: Any, kwargs: Any) -> inspect.BoundArguments:
    """The call's arguments by name, defaults filled in (boto3 passes some by position)."""
    bound = signature.bind(session, *args, **kwargs)
    bound.apply_defaults()
    return bound


def _region_missing(session: Any, arguments: Mapping[str, Any]) -> bool:
    if arguments.get("region_name") is not None:
        return False
    for config in (arguments.get("config"), session.get_default_client_config()):
        if config is not None and config.region_name is not None:
            return False
    return session.get_config_variable("region") is None


def _wants_credentials(session: Any, arguments: Mapping[str, Any]) -> bool:
    """True when credentials would be looked up: none given, and the client signs its requests."""
    if arguments.get("aws_access_key_id") is not None or arguments.get("aws_secret_access_key") is not None:
        return False
    for config in (arguments.get("config"), session.get_default_client_config()):
        if config is not None and config.signature_version is UNSIGNED:
            return False
    return True


def sync_create_client(original: Callable[..., Any], region: Callable[[], str | None]) -> Callable[..., Any]:
    """``Session.create_client`` filling in what a DynamoDB client lacks while ``region()`` is not None."""
    signature = inspect.signature(original)

    @functools.wraps(original)
    def create_client(self: Any, *args: Any, **kwargs: Any) -> Any:
        default_region = region()
        if default_region is None:
            return original(self, *args, **kwargs)
        bound = _defaults(self, signature, args, kwargs)
        arguments = bound.arguments
        if arguments.get("service_name") == SERVICE:
            if _region_missing(self, arguments):
                arguments["region_name"] = default_region
            if _wants_credentials(self, arguments) and self.get_credentials() is None:
                arguments["aws_access_key_id"] = DUMMY_ACCESS_KEY
                arguments["aws_secret_access_key"] = DUMMY_SECRET_KEY
        return original(*bound.args, **bound.kwargs)

    return create_client


def async_create_client(original: Callable[..., Any], region: Callable[[], str | None]) -> Callable[..., Any]:
    """``AioSession._create_client`` likewise."""
    signature = inspect.signature(original)

    @functools.wraps(original)
    async def _create_client(self: Any, *args: Any, **kwargs: Any) -> Any:
        default_region = region()
        if default_region is None:
            return await original(self, *args, **kwargs)
        bound = _defaults(self, signature, args, kwargs)
        arguments = bound.arguments
        if arguments.get("service_name") == SERVICE:
            if _region_missing(self, arguments):
                arguments["region_name"] = default_region
            if _wants_credentials(self, arguments) and await self.get_credentials() is None:
                arguments["aws_access_key_id"] = DUMMY_ACCESS_KEY
                arguments["aws_secret_access_key"] = DUMMY_SECRET_KEY
        return await original(*bound.args, **bound.kwargs)

    return _create_client
