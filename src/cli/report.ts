// `sesguard report <results.json>`: re-renders saved results in any output format, and gates on them.
import { ConfigError } from '../errors.js';
import { command } from './command.js';
import { GATE, OUTPUTS, finish } from './gate.js';
import { readResults } from './read.js';

export default command({
  options: { ...OUTPUTS, ...GATE },
  run(args, values, io) {
    if (args.length !== 1) throw new ConfigError('report needs exactly one results JSON file');
    return finish(readResults(args[0], io), values, io, null);
  },
});
