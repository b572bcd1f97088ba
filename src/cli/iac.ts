// `sesguard iac <path...>`: the IaC gate over CloudFormation, CDK output and Terraform.
import { loadConfig } from '../config/load.js';
import { ConfigError } from '../errors.js';
import { runIac } from '../run.js';
import { command } from './command.js';
import { CONFIG, GATE, OUTPUTS, finish } from './gate.js';

export default command({
  options: { ...CONFIG, ...OUTPUTS, ...GATE },
  run(args, values, io) {
    if (args.length === 0) throw new ConfigError('iac needs at least one path (a file or a directory)');
    const config = loadConfig(values.config, io.cwd);
    const results = runIac(args, { config, cwd: io.cwd, now: io.now });
    return finish(results, values, io, config);
  },
});
