"""What the sample generator should produce for a column (its `semantic`), from its name, type and facts."""

from __future__ import annotations

import re

from dataforge.catalog.model import Semantic
from dataforge.samples.model import SampleColumn

_PERSON = re.compile(
    r"^(name|full_name|first_name|last_name|given_name|family_name|display_name|contact_name)$"
)
_COMPANY = re.compile(r"^(company|company_name|organi[sz]ation|organi[sz]ation_name|org_name|employer)$")
_MINUTES = re.compile(r"minutes|duration|_mins?$")


def semantic_of(column: SampleColumn) -> Semantic:
    """A column that is neither key nor reference: flags, times, e-mails, names, measures, categories."""
    name = column.name
    if column.type == "boolean":
        return "flag"
    if column.type == "timestamp":
        return "timestamp"
    if column.type == "date":
        return "date"
    if column.type in ("integer", "decimal"):
        # The generator writes amounts with cents and quantities and minutes as whole numbers.
        if column.type == "decimal":
            return "amount"
        return "minutes" if _MINUTES.search(name) else "quantity"
    if column.email or "email" in name:
        return "email"
    if column.values:
        return "category"
    if _PERSON.match(name):
        return "person_name"
    if _COMPANY.match(name):
        return "company_name"
    if name in ("country", "country_code"):
        return "country"
    if name == "sku" or name.endswith("_sku"):
        return "sku"
    return "category"  # any other text: the generator writes `<column>_<row>`
