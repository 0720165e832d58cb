import 'reflect-metadata';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { generateOperationTypes } from '../scripts/emit-schema';
import { buildFederatedSchema } from '../src/graphql/build-schema';

const ROOT = join(__dirname, '..', '..');

test('the checked-in SDL is what the code emits (run npm run emit-schema after changing types)', async () => {
  const { sdl } = await buildFederatedSchema();
  assert.equal(readFileSync(join(ROOT, 'schema', 'design.graphql'), 'utf8'), sdl);
});

test("the tests' operation types are generated from the checked-in SDL (npm run emit-schema)", () => {
  const output = join(tmpdir(), `graphql-env-${process.pid}.d.ts`);
  generateOperationTypes(output);
  try {
    assert.equal(readFileSync(join(ROOT, 'test', 'graphql-env.d.ts'), 'utf8'), readFileSync(output, 'utf8'));
  } finally {
    rmSync(output, { force: true });
  }
});

test('the SDL keeps the contract and composes with avatar, catalog and an extending subgraph', () => {
  const result = spawnSync(
    process.execPath,
    [join(ROOT, '..', 'shared', 'tools', 'contract-check.mjs'), join(ROOT, 'schema', 'design.graphql'), ROOT],
    { encoding: 'utf8' },
  );
  assert.equal(result.status, 0, result.stdout + result.stderr);
  assert.match(result.stdout, /contract-check: ok/);
});

test("supergraph.yaml's federation_version is the composition that runs (@apollo/composition)", () => {
  const declared = /^federation_version: =(\S+)$/m.exec(readFileSync(join(ROOT, 'supergraph.yaml'), 'utf8'))?.[1];
  const installed = (JSON.parse(readFileSync(require.resolve('@apollo/composition/package.json'), 'utf8')) as { version: string }).version;
  assert.equal(declared, installed);
});

test('value types another subgraph may also define are @shareable', () => {
  const sdl = readFileSync(join(ROOT, 'schema', 'design.graphql'), 'utf8');
  for (const type of ['PageInfo', 'Vec3']) assert.match(sdl, new RegExp(`^type ${type} @shareable \\{$`, 'm'), type);
});
