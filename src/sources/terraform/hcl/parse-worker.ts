// A worker thread of the .tf parsing pool (./parse-pool.ts): parses the text of one file with tree-sitter and
// reads its tree into a table (./table.ts) — the same calls as the main thread makes — and answers with the table,
// its typed arrays transferred, not copied. The syntax tree is built from the table on the main thread, where the
// evaluator is, with the same code as for files parsed there. Anything that goes wrong here (no tree) is answered
// with `table: null`: the main thread parses that file itself, and reports it as it would.
import { parentPort } from 'node:worker_threads';
import type { ParseJob, ParseReply } from './parse-pool.js';
import { loadHclParser } from './syntax.js';
import { nodeTypes, readTable } from './table.js';

const parser = await loadHclParser();

parentPort?.on('message', (job: ParseJob) => {
  let reply: ParseReply = { id: job.id, table: null };
  const tree = parser.parse(job.text);
  if (tree) {
    try {
      reply = { id: job.id, table: readTable(tree, nodeTypes(tree.language), tree.rootNode.hasError, job.text.length) };
    } finally {
      tree.delete();
    }
  }
  const table = reply.table;
  parentPort?.postMessage(reply, table ? ([table.type.buffer, table.start.buffer, table.end.buffer, table.size.buffer, table.missing.buffer] as ArrayBuffer[]) : []);
});
