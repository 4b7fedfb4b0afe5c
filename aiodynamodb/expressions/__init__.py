"""Expression builders: boto3 conditions, ``UpdateAttr`` actions and projections rendered with
``#n``/``:v`` placeholders shared across one request (see ``request.build_expressions``).

``placeholders`` allocates, ``paths`` parses document paths, ``fields`` finds the field a path leads
to so values are encoded as that field stores them, and ``conditions``/``updates``/``projection``
render each kind. The published builder classes (``aiodynamodb.conditions``, ``.updates``,
``.projection``) are thin adapters over these.
"""

from .actions import Action, UpdateAction, UpdateAttr
from .conditions import render_attribute, render_condition
from .paths import DocumentPath, parse_path
from .placeholders import Placeholders
from .projection import projection_names, render_projection
from .request import build_expressions
from .updates import render_update

__all__ = [
    "Action",
    "DocumentPath",
    "Placeholders",
    "UpdateAction",
    "UpdateAttr",
    "build_expressions",
    "parse_path",
    "projection_names",
    "render_attribute",
    "render_condition",
    "render_projection",
    "render_update",
]
