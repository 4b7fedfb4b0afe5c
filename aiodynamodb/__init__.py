"""aiodynamodb: an async DynamoDB client for pydantic v2 models, on aioboto3.

Models are ``DynamoModel`` subclasses decorated with ``@table``; ``DynamoDB`` reads and writes them:
single items (with boto3 ``Attr`` conditions and ``UpdateAttr`` updates), paged queries and scans,
transactions (``TransactGet``/``TransactPut``/...), and batch calls that chunk, deduplicate and resend
unprocessed items under a ``RetryPolicy``. The exported names are the published package's.
``aiodynamodb.testing.mock_dynamodb`` gives a client on an in-memory DynamoDB.
"""

from importlib.metadata import PackageNotFoundError, version

from . import custom_types
from .client import DynamoDB
from .custom_types import HashKey, RangeKey, ReturnValues
from .models import DynamoModel, TableMeta, table
from .operations import (
    BatchDelete,
    BatchGet,
    BatchGetResult,
    BatchPut,
    BatchWriteResult,
    TransactConditionCheck,
    TransactDelete,
    TransactGet,
    TransactPut,
    TransactUpdate,
)
from .projection import ProjectionAttr
from .retry import RetryPolicy
from .updates import UpdateAttr

try:
    __version__ = version("aiodynamodb")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0.dev0"

VERSION = __version__

__all__ = [
    "VERSION",
    "BatchDelete",
    "BatchGet",
    "BatchGetResult",
    "BatchPut",
    "BatchWriteResult",
    "DynamoDB",
    "DynamoModel",
    "HashKey",
    "ProjectionAttr",
    "RangeKey",
    "RetryPolicy",
    "ReturnValues",
    "TableMeta",
    "TransactConditionCheck",
    "TransactDelete",
    "TransactGet",
    "TransactPut",
    "TransactUpdate",
    "UpdateAttr",
    "custom_types",
    "table",
]
