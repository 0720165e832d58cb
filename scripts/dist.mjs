// Plain JavaScript: it runs before (or instead of) the TypeScript build.
//   node scripts/dist.mjs prune    removes compiled files whose source is gone (a deleted test must not run on)
//   node scripts/dist.mjs ensure   builds once when dist/ is missing, and otherwise leaves it alone
// Neither ever empties dist/: a running dev stack keeps loading files from it.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');

function* compiled(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* compiled(path);
    else if (/\.js(\.map)?$/.test(entry.name)) yield path;
  }
}

const command = process.argv[2];
if (command === 'prune') {
  if (!existsSync(dist)) process.exit(0);
  for (const file of compiled(dist)) {
    const source = join(root, relative(dist, file).replace(/\.js(\.map)?$/, '.ts'));
    if (!existsSync(source)) rmSync(file);
  }
} else if (command === 'ensure') {
  if (!existsSync(join(dist, 'scripts', 'token.js'))) {
    execFileSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(root, 'tsconfig.json')], {
      stdio: ['ignore', 2, 2],
    });
  }
} else {
  process.stderr.write('usage: node scripts/dist.mjs prune|ensure\n');
  process.exit(2);
}
