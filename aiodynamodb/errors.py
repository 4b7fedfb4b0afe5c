"""DynamoDB's errors as Python classes, one per error code and named exactly like it.

Every class subclasses botocore's ``ClientError`` and carries the ``response`` dict botocore would
build from the wire error, so ``except ClientError`` and ``err.response["Error"]["Code"]`` keep
working in code written for boto3. Both transports raise these: the aioboto3 transport translates
botocore's errors into them (see ``from_client_error``), the fake raises them directly.
Codes: https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/CommonErrors.html and the
Errors section of each action's page.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar, cast

from botocore.exceptions import ClientError

if TYPE_CHECKING:
    from .operations import BatchGetResult, BatchWriteResult

__all__ = [
    "DynamoDBError",
    "ErrorNamespace",
    "error_class",
    "from_client_error",
]


class DynamoDBError(ClientError):
    """Base of every DynamoDB error; ``code`` is DynamoDB's error code, ``http_status`` its status.

    ``partial_result`` is set when ``batch_write``/``batch_get`` stop on this error: the batch's
    result so far, whose ``unprocessed`` holds everything not known to be done (resend it to resume).
    It is ``None`` otherwise.
    """

    code: ClassVar[str] = "DynamoDBError"
    http_status: ClassVar[int] = 400
    partial_result: BatchWriteResult | BatchGetResult[Any] | None = None

    def __init__(
        self,
        message: str,
        operation_name: str = "",
        *,
        extra: Mapping[str, Any] | None = None,
        http_status: int | None = None,
    ) -> None:
        status = self.http_status if http_status is None else http_status
        response: dict[str, Any] = {
            "Error": {"Code": self.code, "Message": message},
            "ResponseMetadata": {"HTTPStatusCode": status},
        }
        if extra:
            response.update(extra)
        super().__init__(cast(Any, response), operation_name)

    @property
    def message(self) -> str:
        return str(self.response["Error"]["Message"])

    @property
    def extra(self) -> dict[str, Any]:
        """Members of the error body besides the message (``CancellationReasons``, ``Item``...)."""
        return {k: v for k, v in self.response.items() if k not in ("Error", "ResponseMetadata")}

    def for_operation(self, operation_name: str) -> DynamoDBError:
        """The same error as raised by ``operation_name`` (botocore puts it in the text)."""
        return type(self)(
            self.message,
            operation_name,
            extra=self.extra,
            http_status=self.response["ResponseMetadata"]["HTTPStatusCode"],
        )

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (self.code, self.response, self.operation_name))


def _rebuild(code: str, response: dict[str, Any], operation_name: str) -> DynamoDBError:
    cls = error_class(code)
    err = cls.__new__(cls)
    ClientError.__init__(err, cast(Any, response), operation_name)
    return err


# --- client errors (HTTP 400) -------------------------------------------------------------------


class ValidationException(DynamoDBError):
    code = "ValidationException"


class SerializationException(DynamoDBError):
    code = "SerializationException"


class UnknownOperationException(DynamoDBError):
    code = "UnknownOperationException"


class AccessDeniedException(DynamoDBError):
    code = "AccessDeniedException"


class UnrecognizedClientException(DynamoDBError):
    code = "UnrecognizedClientException"


class MissingAuthenticationTokenException(DynamoDBError):
    code = "MissingAuthenticationTokenException"


class IncompleteSignatureException(DynamoDBError):
    code = "IncompleteSignatureException"


class ResourceNotFoundException(DynamoDBError):
    code = "ResourceNotFoundException"


class ResourceInUseException(DynamoDBError):
    code = "ResourceInUseException"


class ConditionalCheckFailedException(DynamoDBError):
    code = "ConditionalCheckFailedException"

    @property
    def item(self) -> dict[str, Any] | None:
        """The old item, when ReturnValuesOnConditionCheckFailure was ALL_OLD and it existed."""
        item = self.response.get("Item")
        return item if isinstance(item, dict) else None


class ProvisionedThroughputExceededException(DynamoDBError):
    code = "ProvisionedThroughputExceededException"


class ThrottlingException(DynamoDBError):
    code = "ThrottlingException"


class RequestLimitExceeded(DynamoDBError):
    code = "RequestLimitExceeded"


class LimitExceededException(DynamoDBError):
    code = "LimitExceededException"


class ItemCollectionSizeLimitExceededException(DynamoDBError):
    code = "ItemCollectionSizeLimitExceededException"


class TransactionCanceledException(DynamoDBError):
    code = "TransactionCanceledException"

    @property
    def cancellation_reasons(self) -> list[dict[str, Any]]:
        """One reason per action of the transaction, in request order."""
        reasons: Any = self.response.get("CancellationReasons")
        return list(reasons) if isinstance(reasons, list) else []


class TransactionConflictException(DynamoDBError):
    code = "TransactionConflictException"


class TransactionInProgressException(DynamoDBError):
    code = "TransactionInProgressException"


class IdempotentParameterMismatchException(DynamoDBError):
    code = "IdempotentParameterMismatchException"


class ReplicatedWriteConflictException(DynamoDBError):
    code = "ReplicatedWriteConflictException"
    http_status = 409


class DuplicateItemException(DynamoDBError):
    code = "DuplicateItemException"


class IndexNotFoundException(DynamoDBError):
    code = "IndexNotFoundException"


class TableNotFoundException(DynamoDBError):
    code = "TableNotFoundException"


class TableAlreadyExistsException(DynamoDBError):
    code = "TableAlreadyExistsException"


class TableInUseException(DynamoDBError):
    code = "TableInUseException"


class BackupNotFoundException(DynamoDBError):
    code = "BackupNotFoundException"


class BackupInUseException(DynamoDBError):
    code = "BackupInUseException"


class ContinuousBackupsUnavailableException(DynamoDBError):
    code = "ContinuousBackupsUnavailableException"


class PointInTimeRecoveryUnavailableException(DynamoDBError):
    code = "PointInTimeRecoveryUnavailableException"


class InvalidRestoreTimeException(DynamoDBError):
    code = "InvalidRestoreTimeException"


class GlobalTableAlreadyExistsException(DynamoDBError):
    code = "GlobalTableAlreadyExistsException"


class GlobalTableNotFoundException(DynamoDBError):
    code = "GlobalTableNotFoundException"


class ReplicaAlreadyExistsException(DynamoDBError):
    code = "ReplicaAlreadyExistsException"


class ReplicaNotFoundException(DynamoDBError):
    code = "ReplicaNotFoundException"


class ExportConflictException(DynamoDBError):
    code = "ExportConflictException"


class ExportNotFoundException(DynamoDBError):
    code = "ExportNotFoundException"


class InvalidExportTimeException(DynamoDBError):
    code = "InvalidExportTimeException"


class ImportConflictException(DynamoDBError):
    code = "ImportConflictException"


class ImportNotFoundException(DynamoDBError):
    code = "ImportNotFoundException"


class PolicyNotFoundException(DynamoDBError):
    code = "PolicyNotFoundException"


class InvalidEndpointException(DynamoDBError):
    code = "InvalidEndpointException"
    http_status = 421


# --- server errors ------------------------------------------------------------------------------


class InternalServerError(DynamoDBError):
    code = "InternalServerError"
    http_status = 500


class ServiceUnavailable(DynamoDBError):
    code = "ServiceUnavailable"
    http_status = 503


def _known_classes() -> dict[str, type[DynamoDBError]]:
    found: dict[str, type[DynamoDBError]] = {}
    pending: list[type[DynamoDBError]] = list(DynamoDBError.__subclasses__())
    while pending:
        cls = pending.pop()
        found.setdefault(cls.code, cls)
        pending.extend(cls.__subclasses__())
    return found


_BY_CODE: dict[str, type[DynamoDBError]] = _known_classes()
_BY_CODE_LOCK = threading.Lock()


def error_class(code: str) -> type[DynamoDBError]:
    """The class for DynamoDB error ``code``; a code we do not know yet gets a class made (once) for it."""
    cls = _BY_CODE.get(code)
    if cls is not None:
        return cls
    with _BY_CODE_LOCK:
        cls = _BY_CODE.get(code)
        if cls is None:
            cls = type(code, (DynamoDBError,), {"code": code, "__module__": __name__})
            _BY_CODE[code] = cls
        return cls


def from_client_error(err: ClientError) -> DynamoDBError:
    """Our class for a botocore ``ClientError``, keeping its ``response`` and operation name."""
    if isinstance(err, DynamoDBError):
        return err
    response: dict[str, Any] = dict(err.response)
    code = str(response.get("Error", {}).get("Code", "")) or "UnknownError"
    cls = error_class(code)
    translated = cls.__new__(cls)
    ClientError.__init__(translated, cast(Any, response), err.operation_name)
    return translated


class ErrorNamespace:
    """``await db.exceptions()``: DynamoDB's error classes by code (``.ConditionalCheckFailedException``).

    They are the classes of this module that every call raises, subclasses of botocore's
    ``ClientError`` (also reachable here, as on botocore's namespace); a code not known yet gets its
    class made on first access.
    """

    ClientError = ClientError

    def __getattr__(self, name: str) -> type[DynamoDBError]:
        if name.startswith("_"):
            raise AttributeError(name)
        return error_class(name)
