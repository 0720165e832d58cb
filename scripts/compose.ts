import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { composeSupergraph, ROOT, urlsFromEnv } from './supergraph';

try {
  const path = join(ROOT, 'supergraph.graphql');
  writeFileSync(path, composeSupergraph(urlsFromEnv()));
  process.stdout.write(`wrote ${path}\n`);
} catch (error) {
  process.stderr.write(`${(error as Error).message}\n`);
  process.exit(1);
}
