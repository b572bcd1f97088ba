// `sesguard iac <path...>`: the IaC gate over CloudFormation, CDK output, Terraform source and Terraform plans.
import { loadConfig } from '../config/load.js';
import { ConfigError } from '../errors.js';
import { runIac } from '../run.js';
import { command } from './command.js';
import { CONFIG, GATE, OUTPUTS, finish } from './gate.js';
import { list } from './options.js';
import { tuneV8ForShortRuns } from './v8-tuning.js';

/** `NAME=VALUE`, NAME a Terraform identifier. */
function assignment(raw: string, flag: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_-]*=/.test(raw)) throw new ConfigError(`${flag} takes NAME=VALUE (got "${raw.split('=')[0]}…")`);
  return raw;
}

export default command({
  options: {
    ...CONFIG,
    'tf-var-file': list('FILE', 'Terraform variables file for the .tf root modules (as terraform -var-file), after terraform.tfvars and *.auto.tfvars'),
    'tf-var': list('NAME=VALUE', 'a Terraform variable for the .tf root modules (as terraform -var); lists and maps in HCL syntax', assignment),
    ...OUTPUTS,
    ...GATE,
  },
  async run(args, values, io) {
    tuneV8ForShortRuns();
    if (args.length === 0) throw new ConfigError('iac needs at least one path (a file or a directory)');
    const config = loadConfig(values.config, io.cwd);
    const results = await runIac(args, {
      config,
      cwd: io.cwd,
      now: io.now,
      tfVarFiles: values['tf-var-file'],
      tfVars: values['tf-var'],
    });
    return finish(results, values, io, config);
  },
});
