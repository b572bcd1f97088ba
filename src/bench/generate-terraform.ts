// B5's input: a Terraform source repository of `modules` local modules × `perModule` resources, in the shapes
// real configurations use (variables, locals, aws_iam_policy_document, references, nested blocks), called
// from one root module. Deterministic, so runs compare.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

function resource(m: number, r: number): string {
  switch (r % 5) {
    case 0:
      return `resource "aws_iam_role" "r${r}" {
  name = "\${local.prefix}-r${r}"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "lambda.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}
`;
    case 1:
      return `data "aws_iam_policy_document" "d${r}" {
  statement {
    sid       = "Send"
    actions   = ["ses:SendEmail", "ses:SendRawEmail"]
    resources = ["arn:aws:ses:\${var.region}:\${var.account}:identity/\${var.domain}"]
    condition {
      test     = "StringEquals"
      variable = "ses:FromAddress"
      values   = ["noreply-${m}@\${var.domain}"]
    }
  }
}

resource "aws_iam_role_policy" "p${r}" {
  name   = "send-${r}"
  role   = aws_iam_role.r${r - 1}.id
  policy = data.aws_iam_policy_document.d${r}.json
}
`;
    case 2:
      return `resource "aws_security_group" "g${r}" {
  name   = "\${local.prefix}-g${r}"
  vpc_id = var.vpc_id

  dynamic "egress" {
    for_each = local.ports
    content {
      from_port   = egress.value
      to_port     = egress.value
      protocol    = "tcp"
      cidr_blocks = ["10.0.0.0/8"]
    }
  }
}
`;
    case 3:
      return `resource "aws_sesv2_email_identity" "i${r}" {
  email_identity         = "m${m}-${r}@\${var.domain}"
  configuration_set_name = aws_sesv2_configuration_set.c${r + 1}.configuration_set_name
}
`;
    default:
      return `resource "aws_sesv2_configuration_set" "c${r}" {
  configuration_set_name = "\${local.prefix}-c${r}"

  reputation_options {
    reputation_metrics_enabled = true
  }

  delivery_options {
    tls_policy = "REQUIRE"
  }
}
`;
  }
}

/** Writes the repository under `dir` (replacing it); returns the .tf files written. */
export function generateTerraform(dir: string, modules: number, perModule: number): string[] {
  rmSync(dir, { recursive: true, force: true });
  const files: string[] = [];
  let root = 'variable "account" {\n  default = "111122223333"\n}\n\n';
  for (let m = 0; m < modules; m++) {
    const moduleDir = path.join(dir, 'modules', `m${m}`);
    mkdirSync(moduleDir, { recursive: true });
    let text = [
      'variable "env" {}',
      'variable "account" {}',
      'variable "region" {\n  default = "eu-west-1"\n}',
      'variable "domain" {\n  default = "example.com"\n}',
      'variable "vpc_id" {\n  default = "vpc-0a1b2c3d"\n}',
      `locals {\n  prefix = "m${m}-\${var.env}"\n  ports  = [443, 8443]\n}`,
    ].join('\n\n');
    for (let r = 0; r < perModule; r++) text += `\n\n${resource(m, r)}`;
    const file = path.join(moduleDir, 'main.tf');
    writeFileSync(file, `${text}\n`);
    files.push(file);
    root += `module "m${m}" {\n  source  = "./modules/m${m}"\n  env     = "prod"\n  account = var.account\n}\n\n`;
  }
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'main.tf'), root);
  files.push(path.join(dir, 'main.tf'));
  return files;
}
