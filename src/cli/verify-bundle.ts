// `sesguard verify-bundle <dir>`: checks an evidence bundle against its manifest (exit 1 when it does not match).
import path from 'node:path';
import { ConfigError } from '../errors.js';
import { verifyEvidenceBundle } from '../evidence/bundle.js';
import { command } from './command.js';
import { text } from './options.js';

export default command({
  options: {
    'manifest-sha256': text('HEX', 'the SHA-256 of manifest.json as recorded when the bundle was written (pins the manifest itself)'),
  },
  run(args, values, io) {
    if (args.length !== 1) throw new ConfigError('verify-bundle needs exactly one evidence bundle directory');
    const pin = values['manifest-sha256'];
    const result = verifyEvidenceBundle(path.resolve(io.cwd, args[0]), pin ? { manifestSha256: pin } : {});
    if (result.ok) {
      io.stdout(`${args[0]}: evidence bundle intact (every file matches manifest.json)\n`);
      return 0;
    }
    for (const problem of result.problems) io.stdout(`${args[0]}: ${problem}\n`);
    return 1;
  },
});
