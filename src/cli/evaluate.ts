// `sesguard evaluate <snapshot>`: the checks over a saved inventory snapshot, with the same results as the
// scan that wrote it.
import path from 'node:path';
import { loadConfig } from '../config/load.js';
import { ConfigError } from '../errors.js';
import { evaluateSnapshot, SNAPSHOT_NOT_JSON, validSnapshot } from '../run.js';
import { command } from './command.js';
import { CONFIG, GATE, OUTPUTS, finish } from './gate.js';
import { readJsonObject } from './read.js';

export default command({
  options: { ...CONFIG, ...OUTPUTS, ...GATE },
  run(args, values, io) {
    if (args.length !== 1) throw new ConfigError('evaluate needs exactly one snapshot file');
    const config = loadConfig(values.config, io.cwd);
    // No variable holds the snapshot: once evaluated, its resources can be freed while outputs are written.
    const results = evaluateSnapshot(
      validSnapshot(readJsonObject(args[0], io, 'snapshot', { invalid: SNAPSHOT_NOT_JSON, notAnObject: SNAPSHOT_NOT_JSON }), args[0]),
      { config, kind: 'scan', now: io.now },
    );
    // The bundle copies the snapshot file: its text (hundreds of MB for an Organization) is not kept meanwhile.
    return finish(results, values, io, config, [{ name: 'snapshot.json', copyOf: path.resolve(io.cwd, args[0]) }]);
  },
});
