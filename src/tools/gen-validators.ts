// Part of `npm run build`: compiles every JSON Schema under schemas/ into a standalone validator
// (dist/validators/<name>.cjs, ajv's code generation with the run-time options), stamped with the SHA-256 of
// the schema it was made from, so that runs validate without loading or compiling ajv (src/schemas.ts).
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { SCHEMA_DIR } from '../paths.js';
import { VALIDATOR_DIR, createAjv, schemaHash, validatorFile } from '../schemas.js';

const require = createRequire(import.meta.url);
const standaloneCode = (require('ajv/dist/standalone') as { default: (ajv: unknown, validate: unknown) => string }).default;

rmSync(VALIDATOR_DIR, { recursive: true, force: true });
mkdirSync(VALIDATOR_DIR, { recursive: true });
for (const name of readdirSync(SCHEMA_DIR).filter((f) => f.endsWith('.schema.json'))) {
  const ajv = createAjv({ code: { source: true } });
  const validate = ajv.compile(JSON.parse(readFileSync(path.join(SCHEMA_DIR, name), 'utf8')));
  const code = standaloneCode(ajv, validate);
  writeFileSync(validatorFile(name), `${code}\nmodule.exports.schemaSha256 = ${JSON.stringify(schemaHash(name))};\n`);
}
