import { createServer } from 'node:http';
import { dirname } from 'node:path';
import { Pool } from 'pg';
import type { postgraphile as PostGraphile } from 'postgraphile';

/**
 * The bar of issue 12: PostGraphile 4.14 over the bench's database, read-only (no default mutations),
 * on a plain node HTTP server in a process of its own, so that it has its own event loop as our subgraph
 * does. Started by postgraphile.ts with DATABASE_URL, PORT and DATABASE_POOL_SIZE; says `ready` on stdout.
 *
 * PostGraphile 4 brings graphql 15 (here twice: beside postgraphile and beside graphile-build-pg) next to
 * the project's graphql 16, and two copies of graphql in one schema fail every query ("Cannot use
 * GraphQLNonNull from another module"). This process has nothing else that needs graphql 16, so every
 * `graphql` and `graphile-build` it requires is resolved from postgraphile's own folder: one copy of each.
 */
type Resolve = (request: string, parent: unknown, ...rest: unknown[]) => string;
const Module = require('node:module') as { _resolveFilename: Resolve; _nodeModulePaths(from: string): string[] };
const postgraphileDir = dirname(require.resolve('postgraphile/package.json'));
const fromPostgraphile = { id: postgraphileDir, filename: `${postgraphileDir}/index.js`, paths: Module._nodeModulePaths(postgraphileDir) };
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, parent, ...rest) {
  const shared = request === 'graphql' || request.startsWith('graphql/') || request === 'graphile-build';
  return resolve.call(this, request, shared ? fromPostgraphile : parent, ...rest);
};

const { postgraphile } = require('postgraphile') as { postgraphile: typeof PostGraphile };

const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.DATABASE_POOL_SIZE ?? 20) });
// The options of a production deployment: no GraphiQL, no query log, no schema watching.
const handler = postgraphile(pool, 'public', {
  disableDefaultMutations: true,
  dynamicJson: true,
  disableQueryLog: true,
  graphiql: false,
  watchPg: false,
  retryOnInitFail: false,
  setofFunctionsContainNulls: false,
  legacyRelations: 'omit',
  ignoreRBAC: false,
  extendedErrors: ['errcode'],
});
const server = createServer(handler);
// SIGTERM ends it at once (node's default): its connections close with the process.
server.listen(Number(process.env.PORT), '127.0.0.1', () => console.log('ready'));
