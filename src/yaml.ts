// The `yaml` library, required on first use rather than imported: reading the config file or a policy file
// is not needed by every run (`checks` with no config file, policies from the build-time catalog), and the
// library is some 70 CommonJS modules. Under Node, `import 'yaml'` resolves to the same CommonJS build, so
// this is the very module instance the CloudFormation reader imports.
import { createRequire } from 'node:module';

type Yaml = typeof import('yaml');

const require = createRequire(import.meta.url);
let loaded: Yaml | null = null;

export function yaml(): Yaml {
  loaded ??= require('yaml') as Yaml;
  return loaded;
}
