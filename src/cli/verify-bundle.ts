// `sesguard verify-bundle <dir>`: checks an evidence bundle against its manifest, and its raw evidence entries
// (trail runs): each cited record against its hash and, where the log files are at hand (--sources, default the
// working directory), against the delivered file it names (exit 1 when anything does not match).
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { RAW_DIR, verifyRawEntry } from '../evidence/raw.js';
import { ConfigError } from '../errors.js';
import { verifyEvidenceBundle } from '../evidence/bundle.js';
import { command } from './command.js';
import { text } from './options.js';

export default command({
  options: {
    'manifest-sha256': text('HEX', 'the SHA-256 of manifest.json as recorded when the bundle was written (pins the manifest itself)'),
    sources: text('DIR', 'where the log files a trail bundle cites are (default: the working directory); each is checked against its recorded SHA-256'),
  },
  run(args, values, io) {
    if (args.length !== 1) throw new ConfigError('verify-bundle needs exactly one evidence bundle directory');
    const pin = values['manifest-sha256'];
    const dir = path.resolve(io.cwd, args[0]);
    const result = verifyEvidenceBundle(dir, pin ? { manifestSha256: pin } : {});
    const rawDir = path.join(dir, RAW_DIR);
    if (existsSync(rawDir)) {
      const sources = path.resolve(io.cwd, values.sources ?? '.');
      for (const file of readdirSync(rawDir).filter((f) => f.endsWith('.json')).sort()) {
        result.problems.push(...verifyRawEntry(`${RAW_DIR}/${file}`, readFileSync(path.join(rawDir, file), 'utf8'), sources));
      }
      result.ok = result.problems.length === 0;
    }
    if (result.ok) {
      io.stdout(`${args[0]}: evidence bundle intact (every file matches manifest.json)\n`);
      return 0;
    }
    for (const problem of result.problems) io.stdout(`${args[0]}: ${problem}\n`);
    return 1;
  },
});
