"""Redshift's Terraform without the e2e suite: the project is rendered and its AWS root module validated offline.

The e2e suite builds a ClickHouse project on AWS instead of a Redshift one (its CI budget holds four projects),
so the Redshift integration that the aws part adds (`infra/terraform/redshift.tf`: Redshift Serverless) is
checked here: rendering takes seconds, `terraform validate` runs against the local provider mirror.
"""

from __future__ import annotations

from pathlib import Path

from tests.helpers.validators import terraform_fmt_check, terraform_validate_aws

from dataforge.commands.new import generate

REQUIREMENT = "pull support tickets from a REST API into Redshift every 6 hours"


def test_a_redshift_project_on_aws_renders_terraform_that_validates(tmp_path: Path) -> None:
    result = generate(REQUIREMENT, output=tmp_path, name="api_redshift", git=False)
    assert (result.answers.warehouse, result.answers.cloud) == ("redshift", "aws")
    terraform = result.path / "infra" / "terraform"
    assert (terraform / "redshift.tf").is_file()
    terraform_fmt_check(terraform)
    terraform_validate_aws(terraform)
