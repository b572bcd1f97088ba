// Terraform composite alarms (aws_cloudwatch_composite_alarm): a metric alarm with its actions off that a composite
// alarm with actions combines alerts through it, as AWS recommends (SESG-MON-004 passes); a rule that needs another
// alarm too (AND) does not count (it fails, naming the missing action); a rule that cannot be read leaves it not
// assessed. The same configurations read as .tf source and as the plan Terraform makes of them (generated with
// `terraform plan`, fixtures/iac/terraform/composite-alarms/*): where the rule names alarms by `.arn`, a plan only
// knows it after apply, while the source reader still knows which alarm each reference names.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { celConfig, defaultConfig } from '../src/config/types.js';
import { evaluateAll } from '../src/engine/evaluate.js';
import { loadChecks } from '../src/engine/load.js';
import type { CloudWatchAlarmProps, Resource } from '../src/inventory/types.js';
import { collectIac } from '../src/sources/iac.js';
import { readTerraformSources } from '../src/sources/terraform/source.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const DIR = 'fixtures/iac/terraform/composite-alarms';
const MON_004 = loadChecks().filter((c) => c.id === 'SESG-MON-004');
const CTX = { config: celConfig(defaultConfig(), new Date('2026-11-23T00:00:00Z')), org: [] as string[] };

/** SESG-MON-004 per alarm address: `pass`, `fail: <message>` or `not assessed: <reason>`. */
async function outcomes(target: string): Promise<Record<string, string>> {
  const collection = await collectIac([target.startsWith('fixtures/') ? target : `${DIR}/${target}`], ROOT);
  expect(collection.errors).toEqual([]);
  expect(collection.notices).toEqual([]);
  const out: Record<string, string> = {};
  for (const e of evaluateAll(MON_004, { resources: collection.resources, organizationAccounts: [] }, CTX)) {
    const address = collection.resources.find((r) => r.id === e.resourceId)!.provenance.logicalId!;
    if (e.outcome.kind === 'pass') out[address] = 'pass';
    else if (e.outcome.kind === 'fail') out[address] = `fail: ${e.outcome.message}`;
    else if (e.outcome.kind === 'not-assessed') out[address] = `not assessed: ${e.outcome.reason}`;
  }
  return out;
}

const MISWIRED = (kind: string, name: string) =>
  `fail: SES ${kind}-rate alarm ${name} is miswired: alarm actions are disabled; the alarm has no alarm action; no composite alarm with actions goes to ALARM whenever it does`;
const AFTER_APPLY = (name: string) =>
  `not assessed: alarm ${name}: composite alarm ses-reputation: AlarmRule: known after apply (it refers to values such as an alarm's arn; alarm_name is known when planning)`;
const BOTH_PASS = { 'aws_cloudwatch_metric_alarm.bounce': 'pass', 'aws_cloudwatch_metric_alarm.complaint': 'pass' };
const EACH_PASS = { 'aws_cloudwatch_metric_alarm.reputation["bounce"]': 'pass', 'aws_cloudwatch_metric_alarm.reputation["complaint"]': 'pass' };

describe('SESG-MON-004 on metric alarms a composite alarm combines', () => {
  it.each<[string, Record<string, string>]>([
    // OR of the two, by alarm_name (a heredoc, with an actions suppressor): each alone alerts through the composite.
    ['names/main.tf', BOTH_PASS],
    ['names/plan.json', BOTH_PASS],
    // AND: neither alone alerts.
    ['and/main.tf', { 'aws_cloudwatch_metric_alarm.bounce': MISWIRED('bounce', 'ses-bounce-rate'), 'aws_cloudwatch_metric_alarm.complaint': MISWIRED('complaint', 'ses-complaint-rate') }],
    ['and/plan.json', { 'aws_cloudwatch_metric_alarm.bounce': MISWIRED('bounce', 'ses-bounce-rate'), 'aws_cloudwatch_metric_alarm.complaint': MISWIRED('complaint', 'ses-complaint-rate') }],
    // By ARN: the source knows which alarm each reference names; the plan knows the rule only after apply.
    ['arns/main.tf', BOTH_PASS],
    ['arns/plan.json', { 'aws_cloudwatch_metric_alarm.bounce': AFTER_APPLY('ses-bounce-rate'), 'aws_cloudwatch_metric_alarm.complaint': AFTER_APPLY('ses-complaint-rate') }],
    // for_each alarms, the rule a join over their ARNs.
    ['for-each/main.tf', EACH_PASS],
    [
      'for-each/plan.json',
      { 'aws_cloudwatch_metric_alarm.reputation["bounce"]': AFTER_APPLY('ses-bounce-rate'), 'aws_cloudwatch_metric_alarm.reputation["complaint"]': AFTER_APPLY('ses-complaint-rate') },
    ],
    // The rule from a variable without default: not assessed, saying so.
    [
      'variable',
      {
        'aws_cloudwatch_metric_alarm.bounce':
          'not assessed: alarm ses-bounce-rate: composite alarm ses-reputation: AlarmRule: variable alarm_rule has no value (give it in terraform.tfvars, --tf-var-file or --tf-var)',
      },
    ],
    // What the composite refers to (its topic, the other alarm) is not in the files: the alarm still alerts through it.
    ['fixtures/nothing-dropped/terraform-source/aws_cloudwatch_composite_alarm', { 'aws_cloudwatch_metric_alarm.bounce': 'pass' }],
    ['fixtures/nothing-dropped/terraform-plan/aws_cloudwatch_composite_alarm.json', { 'aws_cloudwatch_metric_alarm.bounce': 'pass' }],
  ])('%s', async (target, expected) => {
    expect(await outcomes(target)).toEqual(expected);
  });

  it('a metric alarm names the composite it alerts through; composites are not resources of their own', async () => {
    const collection = await collectIac([`${DIR}/names/plan.json`], ROOT);
    const alarms = collection.resources.map((r) => [r.provenance.logicalId, r.type, (r.props as CloudWatchAlarmProps).notifiedThrough]);
    expect(alarms).toEqual([
      ['aws_cloudwatch_metric_alarm.bounce', 'aws.cloudwatch.alarm', ['ses-reputation']],
      ['aws_cloudwatch_metric_alarm.complaint', 'aws.cloudwatch.alarm', ['ses-reputation']],
      // The actions suppressor is not in the rule: nothing alerts for it.
      ['aws_cloudwatch_metric_alarm.maintenance', 'aws.cloudwatch.alarm', []],
    ]);
  });
});

// ---------------------------------------------------------------------------------------------
// Which references in a rule name which alarm, read as .tf source

const ALARM = (name: string, extra = '') => `
resource "aws_cloudwatch_metric_alarm" "${name}" {
  alarm_name          = ${name === 'bounce' ? 'var.bounce_name' : `"ses-${name}-rate"`}
  namespace           = "AWS/SES"
  metric_name         = "Reputation.${name === 'bounce' ? 'Bounce' : 'Complaint'}Rate"
  statistic           = "Maximum"
  period              = 3600
  evaluation_periods  = 1
  threshold           = 0.001
  comparison_operator = "GreaterThanThreshold"
  actions_enabled     = false
  ${extra}
}
`;

/** `notifiedThrough` of the bounce alarm (whose name is a variable, given or not) under a composite with `rule`. */
async function notifiedThrough(rule: string, more = '', bounceName = '"ses-bounce-rate"'): Promise<unknown> {
  const files = {
    'm/main.tf': `
variable "bounce_name" {
  type    = string
  ${bounceName ? `default = ${bounceName}` : ''}
}
variable "unset" {
  type = string
}
${ALARM('bounce')}
${ALARM('complaint')}
resource "aws_cloudwatch_composite_alarm" "reputation" {
  alarm_name    = "ses-reputation"
  alarm_rule    = ${rule}
  alarm_actions = ["arn:aws:sns:eu-west-1:111122223333:oncall"]
}
${more}
`,
  };
  const result = await readTerraformSources({
    dirs: ['m'],
    judgedByPlan: new Set(),
    readText: (p) => files[p as keyof typeof files],
    listDir: (d) => (d === 'm' ? ['main.tf'] : []),
  });
  expect(result.errors).toEqual([]);
  const bounce = result.resources.find((r: Resource) => r.provenance.logicalId === 'aws_cloudwatch_metric_alarm.bounce')!;
  return (bounce.props as CloudWatchAlarmProps).notifiedThrough;
}

const THROUGH = ['ses-reputation'];
const OPEN = { $unknown: expect.stringContaining('composite alarm ses-reputation: AlarmRule names alarms not known before deployment') };

describe('references in a rule (.tf source)', () => {
  it.each<[string, string, unknown]>([
    ['its arn, interpolated', '"ALARM(${aws_cloudwatch_metric_alarm.bounce.arn})"', THROUGH],
    ['its id (the alarm name), quoted', '"ALARM(\\"${aws_cloudwatch_metric_alarm.bounce.id}\\")"', THROUGH],
    ['its name', '"ALARM(${aws_cloudwatch_metric_alarm.bounce.alarm_name})"', THROUGH],
    ['through a local and another template', '"${local.rule} OR ALARM(ses-other)"', THROUGH],
    ['another alarm, by arn', '"ALARM(${aws_cloudwatch_metric_alarm.complaint.arn})"', []],
    ['its arn with text after it: another name', '"ALARM(${aws_cloudwatch_metric_alarm.bounce.arn}-old)"', []],
    ['both, AND', '"ALARM(${aws_cloudwatch_metric_alarm.bounce.arn}) AND ALARM(${aws_cloudwatch_metric_alarm.complaint.arn})"', []],
    // What a function makes of the arn is not the arn: it could name any alarm.
    ['its arn through lower()', '"ALARM(${lower(aws_cloudwatch_metric_alarm.bounce.arn)})"', OPEN],
    ['its arn through format()', 'format("ALARM(%s)", aws_cloudwatch_metric_alarm.bounce.arn)', OPEN],
    ['an attribute that is not a name', '"ALARM(${aws_cloudwatch_metric_alarm.bounce.alarm_description})"', OPEN],
    ['a variable without value', '"ALARM(${var.unset})"', OPEN],
    ['a variable without value, AND its own name', '"ALARM(${var.unset}) AND ALARM(${aws_cloudwatch_metric_alarm.bounce.arn})"', OPEN],
    ['a variable without value, OR its own arn', '"ALARM(${var.unset}) OR ALARM(${aws_cloudwatch_metric_alarm.bounce.arn})"', THROUGH],
  ])('%s: %j', async (_, rule, expected) => {
    expect(await notifiedThrough(rule, 'locals {\n  rule = "ALARM(${aws_cloudwatch_metric_alarm.bounce.arn})"\n}')).toEqual(expected);
  });

  it('its name unknown (a variable without value): a reference still names it; a name written out may be its', async () => {
    expect(await notifiedThrough('"ALARM(${aws_cloudwatch_metric_alarm.bounce.alarm_name})"', '', '')).toEqual(THROUGH);
    expect(await notifiedThrough('"ALARM(${aws_cloudwatch_metric_alarm.bounce.arn})"', '', '')).toEqual(THROUGH);
    expect(await notifiedThrough('"ALARM(ses-bounce-rate)"', '', '')).toEqual({
      $unknown:
        'alarm_name of aws_cloudwatch_metric_alarm.bounce is not known (variable bounce_name has no value (give it in terraform.tfvars, --tf-var-file or --tf-var)), and composite alarm ses-reputation names alarms not in the scanned configuration',
    });
    // Every name written out is another alarm's: not this one.
    expect(await notifiedThrough('"ALARM(ses-complaint-rate)"', '', '')).toEqual([]);
    // Known, the name decides.
    expect(await notifiedThrough('"ALARM(ses-bounce-rate)"')).toEqual(THROUGH);
  });

  it('a composite nested in another by arn: the outer one alerts', async () => {
    const inner = `
resource "aws_cloudwatch_composite_alarm" "inner" {
  alarm_name = "ses-inner"
  alarm_rule = "ALARM(\${aws_cloudwatch_metric_alarm.bounce.arn})"
}`;
    expect(await notifiedThrough('"ALARM(${aws_cloudwatch_composite_alarm.inner.arn}) OR ALARM(ses-other)"', inner)).toEqual(THROUGH);
  });

  it.each<[string, string, unknown]>([
    ['an action', 'alarm_actions = ["arn:aws:sns:eu-west-1:111122223333:quiet"]', ['ses-quiet']],
    ['actions disabled', 'actions_enabled = false\n  alarm_actions = ["arn:aws:sns:eu-west-1:111122223333:quiet"]', []],
    ['no action', '', []],
    ['an empty list of actions', 'alarm_actions = []', []],
    ['actions from a variable without value', 'alarm_actions = [var.unset]', ['ses-quiet']],
  ])('a second composite with %s', async (_, setting, expected) => {
    const quiet = `
resource "aws_cloudwatch_composite_alarm" "quiet" {
  alarm_name = "ses-quiet"
  alarm_rule = "ALARM(\${aws_cloudwatch_metric_alarm.bounce.arn})"
  ${setting}
}`;
    expect(await notifiedThrough('"ALARM(ses-other)"', quiet)).toEqual(expected);
  });
});
