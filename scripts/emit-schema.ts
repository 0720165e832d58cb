import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildFederatedSchema } from '../src/graphql/build-schema';

/** Writes the subgraph SDL that is checked in at schema/design.graphql (a test fails when it drifts). */
export const SCHEMA_PATH = join(__dirname, '..', '..', 'schema', 'design.graphql');

async function main() {
  const { sdl } = await buildFederatedSchema();
  writeFileSync(SCHEMA_PATH, sdl);
  process.stdout.write(`wrote ${SCHEMA_PATH}\n`);
}

if (require.main === module) {
  main().catch((error) => {
    process.stderr.write(`${error.stack}\n`);
    process.exit(1);
  });
}
