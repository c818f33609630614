# Customer-managed key for all project data (buckets, Spark, warehouse, secrets).
# Bring your own key with `kms_key_arn`; otherwise this one is created, with yearly rotation.
resource "aws_kms_key" "data" {
  count = var.kms_key_arn == null ? 1 : 0

  description             = "${local.name} data encryption key"
  enable_key_rotation     = true
  deletion_window_in_days = 30
  policy                  = data.aws_iam_policy_document.kms[0].json
}

resource "aws_kms_alias" "data" {
  count = var.kms_key_arn == null ? 1 : 0

  name          = "alias/${local.name}-data"
  target_key_id = aws_kms_key.data[0].key_id
}

# Key policy: the account administers and uses the key through IAM; no wildcard actions and no other
# principals. The identities in iam_*.tf get only Decrypt/GenerateDataKey on this key.
data "aws_iam_policy_document" "kms" {
  count = var.kms_key_arn == null ? 1 : 0

  statement {
    sid    = "AccountAdministersAndUsesKeyThroughIam"
    effect = "Allow"
    principals {
      type        = "AWS"
      identifiers = ["arn:${local.partition}:iam::${local.account_id}:root"]
    }
    actions = [
      "kms:CancelKeyDeletion",
      "kms:CreateAlias",
      "kms:CreateGrant",
      "kms:Decrypt",
      "kms:DeleteAlias",
      "kms:DescribeKey",
      "kms:DisableKey",
      "kms:DisableKeyRotation",
      "kms:EnableKey",
      "kms:EnableKeyRotation",
      "kms:Encrypt",
      "kms:GenerateDataKey",
      "kms:GenerateDataKeyWithoutPlaintext",
      "kms:GetKeyPolicy",
      "kms:GetKeyRotationStatus",
      "kms:ListAliases",
      "kms:ListGrants",
      "kms:ListKeyPolicies",
      "kms:ListResourceTags",
      "kms:PutKeyPolicy",
      "kms:ReEncryptFrom",
      "kms:ReEncryptTo",
      "kms:RetireGrant",
      "kms:RevokeGrant",
      "kms:ScheduleKeyDeletion",
      "kms:TagResource",
      "kms:UntagResource",
      "kms:UpdateAlias",
      "kms:UpdateKeyDescription",
    ]
    # In a key policy "*" means "this key".
    resources = ["*"]
  }
}
