"""Names from the user's files made into the answers' identifiers, predictably, so the output can say how."""

from __future__ import annotations

import re
import unicodedata

from dataforge.answers.schema import IDENTIFIER, RESERVED_NAMES
from dataforge.errors import DataError

_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_OTHER = re.compile(r"[^a-z0-9]+")
MAX_LENGTH = 40
#: What a reserved word gets appended (`order` -> `order_value`, a table `user` -> `user_table`).
RESERVED_SUFFIX = {"column": "_value", "table": "_table"}


def identifier(raw: str, what: str, source: str) -> str:
    """`raw` as an identifier: lower case, camelCase and separators to `_`, no accents, reserved suffixed.

    `what` is "column" or "table"; `source` names the file in the error when nothing usable is left.
    """
    text = unicodedata.normalize("NFKD", raw.strip()).encode("ascii", "ignore").decode()
    text = _OTHER.sub("_", _CAMEL.sub("_", text).lower()).strip("_")
    if not text:
        raise DataError(
            f"{source}: the {what} name {raw[:40]!r} has no letters or digits dataforge can use.",
            hint=f"Rename the {what} to a plain name such as customer_id, or pass --answers-file.",
        )
    if not text[0].isalpha():
        text = ("c_" if what == "column" else "t_") + text
    text = text[:MAX_LENGTH].rstrip("_")
    if text in RESERVED_NAMES:
        text = text[: MAX_LENGTH - len(RESERVED_SUFFIX[what])] + RESERVED_SUFFIX[what]
    if not IDENTIFIER.fullmatch(text):  # cannot happen after the steps above; kept as a guard
        raise DataError(f"{source}: cannot make an identifier of the {what} name {raw[:40]!r}.")
    return text


def table_name(raw: str) -> str:
    """The last part of a qualified name (`public.customers`, `com.acme.Customer`), unquoted."""
    return raw.rsplit(".", 1)[-1].strip('`"[] ')


def singular(name: str) -> str:
    """A plain English singular, enough to match `customer_id` to a table `customers`."""
    if name.endswith("ies") and len(name) > 4:
        return name[:-3] + "y"
    if name.endswith(("sses", "xes", "ches", "shes")):
        return name[:-2]
    if name.endswith("s") and not name.endswith("ss") and len(name) > 3:
        return name[:-1]
    return name
