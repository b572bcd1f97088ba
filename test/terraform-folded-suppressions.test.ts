// `# sesguard:ignore` on a Terraform resource that is folded into another (an aws_iam_role_policy into its
// role, an aws_ses_identity_policy into its identity, a separate egress rule into its group) applies to the
// findings of the resource it was folded into, by check id; where it matches nothing, or sits on a resource
// no check judges, a notice says so. Never a silent drop. The same .tf files are read as source, and beside
// the plan of the same configuration (the plan judges, the .tf files give positions and suppressions).
import { describe, expect, it } from 'vitest';
import { cli, tempDir } from './helpers.js';

const MAIN_TF = `resource "aws_iam_role" "sender" {
  name = "mail-sender"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "lambda.amazonaws.com" } }]
  })
}

# sesguard:ignore SESG-IAM-001 the relay sends for every tenant domain (SEC-42)
# sesguard:ignore SESG-IAM-004 this policy grants no control actions
resource "aws_iam_role_policy" "send" {
  name = "send"
  role = aws_iam_role.sender.id
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = ["ses:SendEmail", "ses:SendRawEmail"], Resource = "*" }]
  })
}

resource "aws_ses_domain_identity" "mail" {
  domain = "mail.example.com"
}

# sesguard:ignore SESG-SES-001 partner sends through this identity, reviewed in SEC-77
resource "aws_ses_identity_policy" "partner" {
  identity = aws_ses_domain_identity.mail.arn
  name     = "partner"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { AWS = "*" }, Action = ["ses:SendEmail"], Resource = "*" }]
  })
}

resource "aws_security_group" "relay" {
  name   = "relay"
  vpc_id = "vpc-0a1b2c3d"
}

resource "aws_security_group_rule" "smtp_out" { # sesguard:ignore SESG-NET-001 the relay is the outbound MTA (SEC-9)
  type              = "egress"
  security_group_id = aws_security_group.relay.id
  protocol          = "tcp"
  from_port         = 25
  to_port           = 25
  cidr_blocks       = ["0.0.0.0/0"]
}

# sesguard:ignore SESG-NET-002 ingress is not what NET-002 is about
resource "aws_security_group_rule" "smtp_in" {
  type              = "ingress"
  security_group_id = aws_security_group.relay.id
  protocol          = "tcp"
  from_port         = 25
  to_port           = 25
  cidr_blocks       = ["10.0.0.0/8"]
}

# sesguard:ignore SESG-MON-005 not a resource sesguard reads
resource "aws_s3_bucket" "logs" {
  bucket = "mail-logs-example"
}

# sesguard:ignore SESG-IAM-002 on a data source, not on a resource
data "aws_iam_policy_document" "unused" {
  statement {
    actions   = ["ses:SendEmail"]
    resources = ["*"]
  }
}

# sesguard:ignore SESG-SES-003 separated from its block by a blank line

resource "aws_ses_domain_identity" "other" {
  domain = "other.example.com"
  # sesguard:ignore SESG-SES-003 inside the block
}
`;

/** Line of the first line of MAIN_TF containing `text`. */
const lineOf = (text: string): number => MAIN_TF.split('\n').findIndex((l) => l.includes(text)) + 1;

const SEND_POLICY = JSON.stringify({ Statement: [{ Action: ['ses:SendEmail', 'ses:SendRawEmail'], Effect: 'Allow', Resource: '*' }], Version: '2012-10-17' });
const PARTNER_POLICY = JSON.stringify({ Statement: [{ Action: ['ses:SendEmail'], Effect: 'Allow', Principal: { AWS: '*' }, Resource: '*' }], Version: '2012-10-17' });
const TRUST = JSON.stringify({ Statement: [{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' } }], Version: '2012-10-17' });

interface PlannedResource {
  address: string;
  values: Record<string, unknown>;
  /** Attributes known only after apply. */
  unknown?: string[];
  /** Configuration expressions: attribute → references, as `terraform show -json` prints them. */
  refs?: Record<string, string[]>;
}

/** The plan of MAIN_TF as `terraform show -json` prints it (ids and ARNs known after apply). */
function planJson(resources: PlannedResource[]): string {
  const split = (address: string) => {
    const [type, name] = address.split('.');
    return { type: type!, name: name! };
  };
  const values = (r: PlannedResource) => {
    const out: Record<string, unknown> = { ...r.values };
    for (const u of r.unknown ?? []) delete out[u];
    return out;
  };
  return JSON.stringify(
    {
      format_version: '1.2',
      terraform_version: '1.9.8',
      planned_values: {
        root_module: {
          resources: resources.map((r) => ({ address: r.address, mode: 'managed', ...split(r.address), provider_name: 'registry.terraform.io/hashicorp/aws', schema_version: 0, values: values(r), sensitive_values: {} })),
        },
      },
      resource_changes: resources.map((r) => ({
        address: r.address,
        mode: 'managed',
        ...split(r.address),
        provider_name: 'registry.terraform.io/hashicorp/aws',
        change: {
          actions: ['create'],
          before: null,
          after: values(r),
          after_unknown: Object.fromEntries((r.unknown ?? []).map((u) => [u, true])),
          before_sensitive: false,
          after_sensitive: {},
        },
      })),
      configuration: {
        provider_config: { aws: { name: 'aws', full_name: 'registry.terraform.io/hashicorp/aws' } },
        root_module: {
          resources: resources.map((r) => ({
            address: r.address,
            mode: 'managed',
            ...split(r.address),
            provider_config_key: 'aws',
            expressions: Object.fromEntries(Object.entries(r.refs ?? {}).map(([attribute, references]) => [attribute, { references }])),
            schema_version: 0,
          })),
        },
      },
    },
    null,
    2,
  );
}

const PLAN = planJson([
  { address: 'aws_iam_role.sender', values: { name: 'mail-sender', assume_role_policy: TRUST, path: '/' }, unknown: ['arn', 'id', 'inline_policy', 'managed_policy_arns'] },
  { address: 'aws_iam_role_policy.send', values: { name: 'send', policy: SEND_POLICY }, unknown: ['id', 'role'], refs: { role: ['aws_iam_role.sender.id', 'aws_iam_role.sender'] } },
  { address: 'aws_ses_domain_identity.mail', values: { domain: 'mail.example.com' }, unknown: ['arn', 'id', 'verification_token'] },
  {
    address: 'aws_ses_identity_policy.partner',
    values: { name: 'partner', policy: PARTNER_POLICY },
    unknown: ['id', 'identity'],
    refs: { identity: ['aws_ses_domain_identity.mail.arn', 'aws_ses_domain_identity.mail'] },
  },
  { address: 'aws_security_group.relay', values: { name: 'relay', vpc_id: 'vpc-0a1b2c3d', revoke_rules_on_delete: false }, unknown: ['arn', 'id', 'egress', 'ingress', 'owner_id'] },
  {
    address: 'aws_security_group_rule.smtp_out',
    values: { type: 'egress', protocol: 'tcp', from_port: 25, to_port: 25, cidr_blocks: ['0.0.0.0/0'], self: false },
    unknown: ['id', 'security_group_id', 'security_group_rule_id'],
    refs: { security_group_id: ['aws_security_group.relay.id', 'aws_security_group.relay'] },
  },
  {
    address: 'aws_security_group_rule.smtp_in',
    values: { type: 'ingress', protocol: 'tcp', from_port: 25, to_port: 25, cidr_blocks: ['10.0.0.0/8'], self: false },
    unknown: ['id', 'security_group_id', 'security_group_rule_id'],
    refs: { security_group_id: ['aws_security_group.relay.id', 'aws_security_group.relay'] },
  },
  { address: 'aws_s3_bucket.logs', values: { bucket: 'mail-logs-example', force_destroy: false }, unknown: ['arn', 'id'] },
  { address: 'aws_ses_domain_identity.other', values: { domain: 'other.example.com' }, unknown: ['arn', 'id', 'verification_token'] },
]);

interface Results {
  findings: { checkId: string; suppressed: { source: string; reason: string } | null; resource: { id: string; logicalId?: string; file?: string } }[];
  notices: string[];
  errors: unknown[];
}

async function iac(files: Record<string, string>): Promise<Results> {
  const r = await cli(['iac', '.', '--format', 'json', '--fail-on', 'none'], tempDir(files));
  return JSON.parse(r.stdout) as Results;
}

const finding = (results: Results, checkId: string, logicalId: string) => {
  const found = results.findings.find((f) => f.checkId === checkId && f.resource.logicalId === logicalId);
  if (!found) throw new Error(`no ${checkId} finding on ${logicalId}: ${results.findings.map((f) => `${f.checkId} ${f.resource.logicalId}`).join(', ')}`);
  return found;
};

describe.each([
  ['Terraform source', { 'main.tf': MAIN_TF }, '.#'],
  ['a plan with its .tf files beside it', { 'main.tf': MAIN_TF, 'plan.json': PLAN }, 'plan.json#'],
])('suppressions on folded resources: %s', (_name, files, idPrefix) => {
  let results: Results;
  const run = async () => (results ??= await iac(files));

  it('on an aws_iam_role_policy: suppresses that check on the role it is folded into, saying where it is written', async () => {
    const r = await run();
    expect(r.errors).toEqual([]);
    // Judged by the reader under test (a plan judges; its .tf files only place and suppress).
    expect(new Set(r.findings.map((f) => f.resource.id.slice(0, idPrefix.length)))).toEqual(new Set([idPrefix]));
    expect(finding(r, 'SESG-IAM-001', 'aws_iam_role.sender').suppressed).toEqual({
      source: 'inline',
      reason: 'the relay sends for every tenant domain (SEC-42) (written on aws_iam_role_policy.send)',
    });
    // Only the check it names: the role's other findings stand.
    expect(finding(r, 'SESG-IAM-002', 'aws_iam_role.sender').suppressed).toBeNull();
  });

  it('on an aws_ses_identity_policy: suppresses on the identity', async () => {
    const r = await run();
    expect(finding(r, 'SESG-SES-001', 'aws_ses_domain_identity.mail').suppressed).toMatchObject({
      source: 'inline',
      reason: 'partner sends through this identity, reviewed in SEC-77 (written on aws_ses_identity_policy.partner)',
    });
  });

  it('on a separate egress rule: suppresses on its security group', async () => {
    const r = await run();
    expect(finding(r, 'SESG-NET-001', 'aws_security_group.relay').suppressed).toMatchObject({
      reason: 'the relay is the outbound MTA (SEC-9) (written on aws_security_group_rule.smtp_out)',
    });
  });

  it('one that matches no finding where it is folded is a notice at its comment', async () => {
    const r = await run();
    expect(r.notices).toContain(
      `main.tf:${lineOf('SESG-IAM-004')}: inline suppression of SESG-IAM-004 on aws_iam_role_policy.send (folded into aws_iam_role.sender) matches no finding: on aws_iam_role.sender, the check passes`,
    );
  });

  it('one on a resource no check judges (an ingress rule, an S3 bucket) is a notice, never dropped', async () => {
    const r = await run();
    const none = 'matches no finding: no check judges this resource, and it is folded into no resource that one judges';
    expect(r.notices).toContain(`main.tf:${lineOf('SESG-NET-002 ingress')}: inline suppression of SESG-NET-002 on aws_security_group_rule.smtp_in ${none}`);
    expect(r.notices).toContain(`main.tf:${lineOf('SESG-MON-005 not a resource')}: inline suppression of SESG-MON-005 on aws_s3_bucket.logs ${none}`);
  });

  it('one that no resource block reads (above a data source, after a blank line, inside a block) is a notice', async () => {
    const r = await run();
    const message = 'this sesguard:ignore is read as the suppression of no resource (it belongs on the first line of a resource block, or directly above it with no blank line): it suppresses nothing';
    // One notice per line, or one for the file listing its lines (`main.tf (lines 63, 71, 75): …`).
    const lines = r.notices
      .filter((n) => n.endsWith(`: ${message}`))
      .flatMap((n) => [.../^main\.tf(?::(\d+)| \(lines ([\d, ]+)\)):/.exec(n)!.slice(1).filter(Boolean).join(',').split(',')].map((l) => Number(l.trim())));
    expect(lines.sort((a, b) => a - b)).toEqual([lineOf('on a data source'), lineOf('separated from its block'), lineOf('inside the block')]);
  });

  it('the ones that matched give no notice', async () => {
    const r = await run();
    expect(r.notices.filter((n) => /SESG-(IAM-001|SES-001|NET-001)\b/.test(n))).toEqual([]);
  });
});

describe('a policy folded into several resources', () => {
  const tf = `resource "aws_iam_group" "senders" {
  name = "senders"
}

resource "aws_iam_user" "smtp" {
  name = "smtp-relay"
}

resource "aws_iam_user" "batch" {
  name = "batch-mailer"
}

resource "aws_iam_group_membership" "senders" {
  name  = "senders"
  group = aws_iam_group.senders.name
  users = [aws_iam_user.smtp.name, aws_iam_user.batch.name]
}

# sesguard:ignore SESG-IAM-001 senders send for every tenant domain (SEC-42)
resource "aws_iam_group_policy" "send" {
  name  = "send"
  group = aws_iam_group.senders.name
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "ses:SendRawEmail", Resource = "*" }]
  })
}

# sesguard:ignore SESG-IAM-004 no control actions here either
resource "aws_iam_policy" "read" {
  name = "ses-read"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "ses:GetSendQuota", Resource = "*" }]
  })
}

resource "aws_iam_user_policy_attachment" "smtp_read" {
  user       = aws_iam_user.smtp.name
  policy_arn = aws_iam_policy.read.arn
}

resource "aws_iam_user_policy_attachment" "batch_read" {
  user       = aws_iam_user.batch.name
  policy_arn = aws_iam_policy.read.arn
}
`;

  it('a group policy applies to the group and to each member user; one unmatched everywhere is one notice', async () => {
    const r = await iac({ 'main.tf': tf });
    for (const logicalId of ['aws_iam_group.senders', 'aws_iam_user.smtp', 'aws_iam_user.batch']) {
      expect(finding(r, 'SESG-IAM-001', logicalId).suppressed).toMatchObject({ reason: 'senders send for every tenant domain (SEC-42) (written on aws_iam_group_policy.send)' });
    }
    const line = tf.split('\n').findIndex((l) => l.includes('SESG-IAM-004')) + 1;
    expect(r.notices.filter((n) => n.includes('SESG-IAM-004'))).toEqual([
      `main.tf:${line}: inline suppression of SESG-IAM-004 on aws_iam_policy.read (folded into aws_iam_user.smtp, aws_iam_user.batch) matches no finding: on aws_iam_user.smtp, the check passes; on aws_iam_user.batch, the check passes`,
    ]);
    expect(r.notices.filter((n) => n.includes('SESG-IAM-001'))).toEqual([]);
  });
});
