// The Terraform source reader: expressions and functions evaluated as Terraform would before apply
// (Unknown where it could not know), aws_iam_policy_document merging, count / for_each addresses, dynamic
// blocks, modules (local, remote, nested), variables (defaults, tfvars, --tf-var-file, --tf-var), positions
// and suppressions, and bad input: syntax errors, huge counts, deep nesting, self-referencing locals.
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Resource } from '../src/inventory/types.js';
import { Bound, Evaluator, type Scope } from '../src/sources/terraform/hcl/evaluate.js';
import { terraformFunctions } from '../src/sources/terraform/hcl/functions.js';
import { loadHclParser, parseHcl } from '../src/sources/terraform/hcl/syntax.js';
import { JsonText } from '../src/sources/terraform/hcl/values.js';
import { readTerraformSources, type TerraformSourceResult } from '../src/sources/terraform/source.js';
import { cli, tempDir } from './helpers.js';

type Parser = Awaited<ReturnType<typeof loadHclParser>>;
let parser: Parser;
beforeAll(async () => {
  parser = await loadHclParser();
});

/** Evaluates one expression with the given names in scope (files read from `files`). */
function evaluate(expression: string, names: Record<string, unknown> = {}, files: Record<string, string> = {}): unknown {
  const parsed = parseHcl(parser, 'test.tf', `v = ${expression}\n`);
  const evaluator: Evaluator = new Evaluator(
    terraformFunctions(() => ({
      read: (p) => files[p],
      template: (text, vars) => {
        const t = parseHcl(parser, 'template', `t = <<EOT\n${text}\nEOT\n`).body.attributes.get('t')!.expr;
        return evaluator.evaluate(t, new Bound(vars, EMPTY));
      },
    })),
  );
  return evaluator.evaluate(parsed.body.attributes.get('v')!.expr, new Bound(names, EMPTY));
}
const EMPTY: Scope = { lookup: () => undefined };
const U = (reason: string) => ({ $unknown: reason });

describe('expressions', () => {
  it.each([
    ['"a-${"b"}-c"', 'a-b-c'],
    ['"${x}"', ['list', 'kept']],
    ['1 + 2 * 3', 7],
    ['-1 < 0 && !false', true],
    ['x[1]', 'kept'],
    ['m.k', 'v'],
    ['m["k"]', 'v'],
    ['[for s in x : upper(s)]', ['LIST', 'KEPT']],
    ['{ for k, v in m : v => k }', { v: 'k' }],
    ['[for s in x : s if s != "list"]', ['kept']],
    ['{ for s in ["a", "b", "a"] : s => s... }', { a: ['a', 'a'], b: ['b'] }],
    ['objs[*].id', ['1', '2']],
    ['objs.*.id', ['1', '2']],
    ['true ? "yes" : "no"', 'yes'],
    ['"%{ if true }on%{ else }off%{ endif }"', 'on'],
    ['"%{ for s in x }${s};%{ endfor }"', 'list;kept;'],
    ['<<-EOT\n    line one\n      line two\n    EOT', 'line one\n  line two\n'],
    ['"esc \\"quoted\\" $${literal}"', 'esc "quoted" ${literal}'],
  ])('%s', (expression, expected) => {
    expect(evaluate(expression, { x: ['list', 'kept'], m: { k: 'v' }, objs: [{ id: '1' }, { id: '2' }] })).toEqual(expected);
  });

  it('keeps the known text of a partly known string', () => {
    expect(evaluate('"arn:aws:ses:${r}:${a}:identity/${d}"', { r: '${AWS::Region}', a: U('account'), d: 'example.com' })).toEqual({
      $unknown: 'account',
      parts: ['arn:aws:ses:${AWS::Region}:', { $unknown: 'account' }, ':identity/example.com'],
    });
  });

  it.each([
    ['u || true', true],
    ['u && false', false],
    ['false || u', U('u')],
    ['u ? "a" : "a"', 'a'],
    ['u ? "a" : "b"', U('the condition is unknown (u)')],
    ['[for s in u : s]', U('the collection of a for expression is unknown (u)')],
    ['length([u, 1])', 2],
    ['u == 1', U('u')],
  ])('three-valued: %s', (expression, expected) => {
    expect(evaluate(expression, { u: U('u') })).toEqual(expected);
  });
});

describe('functions', () => {
  it.each([
    ['jsondecode(jsonencode({ a = [1, "b"] }))', { a: [1, 'b'] }],
    ['format("arn:aws:iam::%s:role/%s", "111122223333", "r")', 'arn:aws:iam::111122223333:role/r'],
    ['join(",", ["a", "b"])', 'a,b'],
    ['split(",", "a,b")', ['a', 'b']],
    ['concat(["a"], ["b"])', ['a', 'b']],
    ['merge({ a = 1 }, { b = 2 }, { a = 3 })', { a: 3, b: 2 }],
    ['lookup({ a = 1 }, "b", 0)', 0],
    ['toset(["b", "a", "b"])', ['b', 'a']],
    ['tolist(["a"])', ['a']],
    ['tomap({ a = "b" })', { a: 'b' }],
    ['flatten([["a"], ["b", ["c"]]])', ['a', 'b', 'c']],
    ['distinct(["a", "a"])', ['a']],
    ['keys({ b = 1, a = 2 })', ['a', 'b']],
    ['values({ b = 1, a = 2 })', [2, 1]],
    ['length("héllo")', 5],
    ['replace("a-b-c", "-", "_")', 'a_b_c'],
    ['replace("a1b22", "/[0-9]+/", "#")', 'a#b#'],
    ['lower("ABC")', 'abc'],
    ['upper("abc")', 'ABC'],
    ['try(x.missing, "fallback")', 'fallback'],
    ['coalesce("", "b")', 'b'],
    ['file("policy.json")', '{"Statement":[]}'],
    ['templatefile("t.tpl", { name = "n" })', 'hello n\n'],
    ['range(3)', [0, 1, 2]],
    ['can(x.missing)', false],
  ])('%s', (expression, expected) => {
    expect(evaluate(expression, { x: {} }, { 'policy.json': '{"Statement":[]}', 't.tpl': 'hello ${name}' })).toEqual(expected);
  });

  it('jsonencode keeps the structure, Unknowns included, so a document stays a document', () => {
    const value = evaluate('jsonencode({ Resource = u })', { u: U('arn') });
    expect(value).toBeInstanceOf(JsonText);
    expect((value as JsonText).value).toEqual({ Resource: U('arn') });
  });

  it.each([
    ['format("a-%s", u)', { $unknown: 'u', parts: ['a-', { $unknown: 'u' }] }],
    ['join("/", ["a", u])', { $unknown: 'u', parts: ['a/', { $unknown: 'u' }] }],
    ['file("../../etc/passwd")', U('file ../../etc/passwd is not in the scanned repository')],
    ['nosuchfunction(1)', U('function nosuchfunction is not evaluated by sesguard')],
  ])('%s is (partly) unknown', (expression, expected) => {
    expect(evaluate(expression, { u: U('u') })).toEqual(expected);
  });

  it('range(1e7) is refused, not built', () => {
    expect(() => evaluate('range(10000000)')).toThrow(/range of 10000000 elements/);
  });
});

/** Reads in-memory .tf files as the CLI would (dirs: the directories holding .tf files). */
async function read(files: Record<string, string>, options: { vars?: string[]; varFiles?: string[] } = {}): Promise<TerraformSourceResult> {
  const dirs = [...new Set(Object.keys(files).filter((f) => f.endsWith('.tf')).map((f) => path.posix.dirname(f)))];
  return readTerraformSources({
    dirs,
    judgedByPlan: new Set(),
    readText: (p) => files[p],
    listDir: (d) => Object.keys(files).filter((f) => path.posix.dirname(f) === d).map((f) => path.posix.basename(f)),
    ...options,
  });
}

const byId = (result: TerraformSourceResult, logicalId: string): Resource => {
  const found = result.resources.find((r) => r.provenance.logicalId === logicalId);
  if (!found) throw new Error(`no ${logicalId} in ${result.resources.map((r) => r.provenance.logicalId).join(', ')}`);
  return found;
};

describe('aws_iam_policy_document', () => {
  it('merges source and override documents by sid, as the provider does', async () => {
    const result = await read({
      'main.tf': `
data "aws_iam_policy_document" "source" {
  statement {
    sid       = "Keep"
    actions   = ["ses:GetAccount"]
    resources = ["*"]
  }
  statement {
    sid       = "Replaced"
    actions   = ["ses:*"]
    resources = ["*"]
  }
}

data "aws_iam_policy_document" "override" {
  statement {
    sid       = "Send"
    actions   = ["ses:SendEmail"]
    resources = ["arn:aws:ses:eu-west-1:111122223333:identity/example.com"]
  }
}

data "aws_iam_policy_document" "merged" {
  source_policy_documents   = [data.aws_iam_policy_document.source.json]
  override_policy_documents = [data.aws_iam_policy_document.override.json]

  statement {
    sid       = "Replaced"
    actions   = ["ses:ListIdentities"]
    resources = ["*"]
  }
  statement {
    sid       = "Send"
    effect    = "Allow"
    actions   = ["ses:SendRawEmail"]
    resources = ["*"]
    condition {
      test     = "StringEquals"
      variable = "ses:FromAddress"
      values   = ["a@example.com", "b@example.com"]
    }
  }
}

resource "aws_iam_policy" "p" {
  name   = "p"
  policy = data.aws_iam_policy_document.merged.json
}
`,
    });
    const statements = (byId(result, 'aws_iam_policy.p').props as any).document.statements;
    expect(statements.map((s: any) => [s.sid, s.action])).toEqual([
      ['Keep', ['ses:GetAccount']],
      ['Replaced', ['ses:ListIdentities']],
      ['Send', ['ses:SendEmail']],
    ]);
    expect(statements.map((s: any) => s.line)).toEqual([3, 27, 16]);
  });

  it('caller identity, region and partition stay symbolic; other data sources are unknown', async () => {
    const result = await read({
      'main.tf': `
data "aws_caller_identity" "me" {}
data "aws_partition" "p" {}
data "aws_region" "r" {}
data "aws_ssm_parameter" "from" {
  name = "/mail/from"
}

resource "aws_iam_policy" "p" {
  name = "p"
  policy = jsonencode({
    Statement = [{
      Effect    = "Allow"
      Action    = "ses:SendEmail"
      Resource  = "arn:\${data.aws_partition.p.partition}:ses:\${data.aws_region.r.name}:\${data.aws_caller_identity.me.account_id}:identity/example.com"
      Condition = { StringEquals = { "ses:FromAddress" = data.aws_ssm_parameter.from.value } }
    }]
  })
}
`,
    });
    const [statement] = (byId(result, 'aws_iam_policy.p').props as any).document.statements;
    expect(statement.resource).toEqual(['arn:${AWS::Partition}:ses:${AWS::Region}:${AWS::AccountId}:identity/example.com']);
    expect(statement.condition.StringEquals['ses:FromAddress']).toEqual([U('data.aws_ssm_parameter.from is read from the cloud when Terraform plans')]);
  });
});

describe('instances, modules and references', () => {
  const files = {
    'infra/main.tf': `
variable "teams" {
  default = ["alerts", "billing"]
}

resource "aws_ses_email_identity" "sender" {
  for_each = toset(var.teams)
  email    = "\${each.key}@example.com"
}

resource "aws_security_group" "relay" {
  count = 2
  name  = "relay-\${count.index}"
}

module "mail" {
  for_each = { prod = "eu-west-1", stage = "us-east-1" }
  source   = "./modules/mail"
  name     = "mail-\${each.key}"
}

module "vpc" {
  source  = "terraform-aws-modules/vpc/aws"
  version = "5.0.0"
}

resource "aws_vpc_security_group_egress_rule" "smtp" {
  security_group_id = module.vpc.default_security_group_id
  ip_protocol       = "tcp"
  from_port         = 25
  to_port           = 25
  cidr_ipv4         = "0.0.0.0/0"
}

resource "aws_iam_role_policy" "send" {
  name   = "send"
  role   = module.mail["prod"].role_name
  policy = jsonencode({ Statement = [{ Effect = "Allow", Action = "ses:SendEmail", Resource = "*" }] })
}
`,
    'infra/modules/mail/main.tf': `
variable "name" {}

resource "aws_iam_role" "this" {
  name               = var.name
  assume_role_policy = jsonencode({ Statement = [] })
}

output "role_name" {
  value = aws_iam_role.this.name
}
`,
  };

  it('gives Terraform instance addresses, module resources the module address', async () => {
    const result = await read(files);
    expect(result.resources.map((r) => r.provenance.logicalId).sort()).toEqual([
      'aws_security_group.relay[0]',
      'aws_security_group.relay[1]',
      'aws_ses_email_identity.sender["alerts"]',
      'aws_ses_email_identity.sender["billing"]',
      'aws_vpc_security_group_egress_rule.smtp',
      'module.mail["prod"].aws_iam_role.this',
      'module.mail["stage"].aws_iam_role.this',
    ]);
    expect(byId(result, 'module.mail["stage"].aws_iam_role.this').provenance).toMatchObject({ file: 'infra/modules/mail/main.tf', line: 4 });
    expect(byId(result, 'aws_security_group.relay[1]').name).toBe('relay-1');
    expect(result.files).toEqual(['infra/main.tf', 'infra/modules/mail/main.tf']);
  });

  it('links a policy to the role a module output names; a remote module is a notice and its outputs unknown', async () => {
    const result = await read(files);
    const role = byId(result, 'module.mail["prod"].aws_iam_role.this').props as any;
    expect(role.policies.map((p: any) => p.name)).toEqual(['send']);
    expect(result.notices).toContain(
      'infra/main.tf:22: module.vpc comes from terraform-aws-modules/vpc/aws, which sesguard does not fetch: what depends on it is not assessed',
    );
    const rule = byId(result, 'aws_vpc_security_group_egress_rule.smtp');
    expect(rule.props).toMatchObject({
      groupId: U('security_group_id of aws_vpc_security_group_egress_rule.smtp: module.vpc comes from terraform-aws-modules/vpc/aws, which is not fetched'),
    });
  });
});

describe('variables', () => {
  const files = {
    'main.tf': `
variable "name" {}
variable "ports" {
  type    = list(number)
  default = [443]
}
variable "enabled" {
  type    = bool
  default = true
}

resource "aws_security_group" "g" {
  count = var.enabled ? 1 : 0
  name  = var.name
  dynamic "egress" {
    for_each = var.ports
    content {
      from_port   = egress.value
      to_port     = egress.value
      protocol    = "tcp"
      cidr_blocks = ["0.0.0.0/0"]
    }
  }
}
`,
    'terraform.tfvars': 'name = "from-tfvars"\n',
    'a.auto.tfvars': 'ports = [25]\n',
    'ci.tfvars': 'name = "from-var-file"\n',
  };
  const ports = (r: Resource) => (r.props as any).egress.map((e: any) => e.fromPort);

  it('tfvars and *.auto.tfvars are read', async () => {
    const result = await read(files);
    expect(byId(result, 'aws_security_group.g[0]').name).toBe('from-tfvars');
    expect(ports(byId(result, 'aws_security_group.g[0]'))).toEqual([25]);
  });

  it('--tf-var-file and --tf-var come after them, in order', async () => {
    const result = await read(files, { varFiles: ['ci.tfvars'], vars: ['ports=[587, 465]', 'enabled=true'] });
    expect(byId(result, 'aws_security_group.g[0]').name).toBe('from-var-file');
    expect(ports(byId(result, 'aws_security_group.g[0]'))).toEqual([587, 465]);
    const off = await read(files, { vars: ['enabled=false'] });
    expect(off.resources).toEqual([]);
  });

  it('a variable with no value is unknown, with the reason', async () => {
    const result = await read({ 'main.tf': files['main.tf'] });
    expect(byId(result, 'aws_security_group.g[0]').props).toMatchObject({
      groupName: U('variable name has no value (give it in terraform.tfvars, --tf-var-file or --tf-var)'),
    });
  });
});

describe('bounded work on hostile configurations', () => {
  it('count = 100000000 evaluates the first 1000 instances and says so', async () => {
    const result = await read({ 'main.tf': 'resource "aws_cloudtrail" "t" {\n  count = 100000000\n  name  = "t${count.index}"\n}\n' });
    expect(result.resources).toHaveLength(1000);
    expect(result.notices).toEqual(['main.tf:2: aws_cloudtrail.t has 100000000 instances: the first 1000 are evaluated, the others are not assessed']);
  });

  it('for_each over range(1e7) is unknown, with a notice', async () => {
    const result = await read({ 'main.tf': 'resource "aws_cloudtrail" "t" {\n  for_each = toset([for i in range(10000000) : tostring(i)])\n  name     = each.key\n}\n' });
    expect(result.resources.map((r) => r.provenance.logicalId)).toEqual(['aws_cloudtrail.t[*]']);
    expect(result.notices[0]).toMatch(/^main\.tf:2: range of 10000000 elements/);
  });

  it('self-referencing locals are unknown, with a notice', async () => {
    const result = await read({ 'main.tf': 'locals {\n  a = local.b\n  b = "x-${local.a}"\n}\nresource "aws_cloudtrail" "t" {\n  name = local.a\n}\n' });
    expect(byId(result, 'aws_cloudtrail.t').props).toMatchObject({ trailName: U('local.a refers to itself') });
    expect(result.notices).toContain('main.tf:2: local.a refers to itself');
  });

  it('expressions nested thousands deep are cut at the cap', async () => {
    const deep = `${'['.repeat(5000)}1${']'.repeat(5000)}`;
    const result = await read({ 'main.tf': `resource "aws_cloudtrail" "t" {\n  name = "t"\n  tags = { x = ${deep} }\n}\n` });
    expect(result.errors).toEqual([]);
    expect(byId(result, 'aws_cloudtrail.t').name).toBe('t');
    expect(result.notices.some((n) => n.includes('nested more than 200 levels deep'))).toBe(true);
  });

  it('a module that calls itself is not followed', async () => {
    const result = await read({
      'main.tf': 'module "loop" {\n  source = "./m"\n}\n',
      'm/main.tf': 'module "again" {\n  source = "../m"\n}\nresource "aws_cloudtrail" "t" {\n  name = "t"\n}\n',
    });
    expect(result.resources.map((r) => r.provenance.logicalId)).toEqual(['module.loop.aws_cloudtrail.t']);
    expect(result.notices).toEqual(['m/main.tf:1: module.loop.module.again calls modules in a cycle: not followed']);
  });
});

describe('sesguard iac on Terraform source', () => {
  it('a .tf file that does not parse: one line with file and line, exit 2, other files still scanned', async () => {
    const dir = tempDir({
      'broken/main.tf': 'resource "aws_cloudtrail" "t" {\n  name = "t"\n  is_multi_region_trail = \n}\n',
      'ok/main.tf': 'resource "aws_cloudtrail" "t" {\n  name = "t"\n}\n',
    });
    const r = await cli(['iac', '.', '--format', 'json', '--fail-on', 'none'], dir);
    const out = JSON.parse(r.stdout);
    expect(out.errors).toHaveLength(1);
    expect(out.errors[0]).toMatchObject({ file: 'broken/main.tf', line: 3 });
    expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^sesguard: broken\/main\.tf:3(:\d+)?: not valid HCL/)]);
    expect(out.findings.map((f: any) => [f.checkId, f.resource.file, f.resource.line])).toEqual([['SESG-MON-005', 'ok/main.tf', 1]]);
    expect(r.code).toBe(2);
  });

  it('# sesguard:ignore suppresses with its reason; without a reason it is an error', async () => {
    const dir = tempDir({
      'main.tf': [
        '# sesguard:ignore SESG-MON-005 the organization trail lives in the audit account',
        'resource "aws_cloudtrail" "local" {',
        '  name = "local"',
        '}',
        '',
        'resource "aws_cloudtrail" "other" { # sesguard:ignore SESG-MON-005',
        '  name = "other"',
        '}',
      ].join('\n'),
    });
    const r = await cli(['iac', '.', '--format', 'json', '--fail-on', 'none'], dir);
    const out = JSON.parse(r.stdout);
    expect(out.findings.map((f: any) => [f.resource.logicalId, f.suppressed?.reason ?? null])).toEqual([
      ['aws_cloudtrail.local', 'the organization trail lives in the audit account'],
      ['aws_cloudtrail.other', null],
    ]);
    expect(out.errors).toEqual([{ file: 'main.tf', line: 6, message: 'sesguard:ignore SESG-MON-005 has no reason (a suppression must say why)' }]);
  });

  it('--tf-var takes NAME=VALUE', async () => {
    const r = await cli(['iac', '.', '--tf-var', 'oops'], tempDir({ 'main.tf': '' }));
    expect(r.stderr.trim()).toBe('sesguard: --tf-var takes NAME=VALUE (got "oops…")');
    expect(r.code).toBe(2);
  });
});
