from __future__ import annotations

import pytest

from dataforge.errors import ExitCode, RequirementError
from dataforge.requirement import MAX_LENGTH, check_requirement


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "\n\t ",
        "a" * (MAX_LENGTH + 1),
        "kafka\x00bigquery",
        "\x01\x02\x03 kafka",
        "!!! ???",
        "\ufffd\ufffd",
    ],
)
def test_unusable_requirements_are_refused(text: str) -> None:
    with pytest.raises(RequirementError) as caught:
        check_requirement(text)
    assert caught.value.exit_code == ExitCode.REQUIREMENT
    assert caught.value.hint


def test_usable_requirement_is_stripped() -> None:
    assert check_requirement("  Kafka to BigQuery\n") == "Kafka to BigQuery"


def test_limit_is_inclusive() -> None:
    assert len(check_requirement("k" * MAX_LENGTH)) == MAX_LENGTH
