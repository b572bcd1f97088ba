// `sesguard merge <results.json...>`: joins the results of the shards of one scan (`--shard K/N`), and gates on them.
import { ConfigError } from '../errors.js';
import { mergeResults } from '../run.js';
import { command } from './command.js';
import { GATE, OUTPUTS, finish } from './gate.js';
import { readResults } from './read.js';

export default command({
  options: { ...OUTPUTS, ...GATE },
  run(args, values, io) {
    if (args.length === 0) throw new ConfigError('merge needs the results JSON files of the shards');
    const merged = mergeResults(args.map((file) => readResults(file, io)), args);
    return finish(merged, values, io, null);
  },
});
