import 'reflect-metadata';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildFederatedSchema } from '../src/graphql/build-schema';

const ROOT = join(__dirname, '..', '..');
/** Writes the subgraph SDL that is checked in at schema/design.graphql (a test fails when it drifts). */
export const SCHEMA_PATH = join(ROOT, 'schema', 'design.graphql');

/**
 * The tests' operation types (test/graphql-env.d.ts, configured in tsconfig.json) follow the SDL;
 * `output` elsewhere than the configured place is how a test checks the checked-in file is current.
 */
export function generateOperationTypes(output?: string) {
  const result = spawnSync(join(ROOT, 'node_modules', '.bin', 'gql.tada'), ['generate-output', ...(output ? ['--output', output] : [])], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`gql.tada generate-output failed: ${result.stderr || result.stdout}`);
}

async function main() {
  const { sdl } = await buildFederatedSchema();
  writeFileSync(SCHEMA_PATH, sdl);
  generateOperationTypes();
  process.stdout.write(`wrote ${SCHEMA_PATH} and the tests' operation types\n`);
}

if (require.main === module) {
  main().catch((error) => {
    process.stderr.write(`${error.stack}\n`);
    process.exit(1);
  });
}
