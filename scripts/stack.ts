import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { generateAssets } from '../dev-subgraphs/assets/generate-assets';
import { DEVELOPMENT_GATEWAY_SECRET } from '../src/config';

const DIST = join(__dirname, '..');

export interface StackPorts {
  design: number;
  avatar: number;
  catalog: number;
  users: number;
  gateway: number;
  /** The web studio's server: started only when given (the dev stack and the tests, not the benchmarks). */
  studio?: number;
  /** maildev, the SMTP catcher: the subgraph and the workers send e-mail to it. */
  smtp: number;
  /** maildev's web page and REST API (`/api/email`). */
  mailWeb: number;
}

export interface Stack {
  ports: StackPorts;
  urls: Record<Exclude<keyof StackPorts, 'studio'>, string> & { studio?: string };
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/** A free port for each process of a stack (tests, benchmarks); the studio only when asked for. */
export async function freeStackPorts(options: { studio: boolean }): Promise<StackPorts> {
  const ports: StackPorts = {
    design: await freePort(),
    avatar: await freePort(),
    catalog: await freePort(),
    users: await freePort(),
    gateway: await freePort(),
    smtp: await freePort(),
    mailWeb: await freePort(),
  };
  if (options.studio) ports.studio = await freePort();
  return ports;
}

async function waitFor(url: string, child: ChildProcess, name: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${name} exited with code ${child.exitCode} before it was ready`);
    try {
      const response = await fetch(url, { method: 'GET', headers: { 'apollo-require-preflight': '1' } });
      if (response.status < 500) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`${name} was not ready at ${url} within ${timeoutMs} ms`);
}

export interface StackOptions {
  log?: 'inherit' | 'ignore';
  /** Development: the TypeScript compiler watches the sources, and each process restarts when its compiled files change. */
  watch?: boolean;
}

const READY_TIMEOUT_MS = 60_000;

/**
 * Generates the development models and textures where missing, then starts maildev (the SMTP
 * catcher), the development avatar, catalog and users subgraphs, the design subgraph, the gateway
 * and the workers as child processes, each ready before the next starts. `env` goes to all of them.
 */
export async function startStack(
  ports: StackPorts,
  env: NodeJS.ProcessEnv,
  { log = 'inherit', watch = false }: StackOptions = {},
): Promise<Stack> {
  const urls = {
    design: `http://127.0.0.1:${ports.design}/graphql`,
    avatar: `http://127.0.0.1:${ports.avatar}/graphql`,
    catalog: `http://127.0.0.1:${ports.catalog}/graphql`,
    users: `http://127.0.0.1:${ports.users}/graphql`,
    gateway: `http://127.0.0.1:${ports.gateway}/graphql`,
    ...(ports.studio ? { studio: `http://127.0.0.1:${ports.studio}/` } : {}),
    smtp: `smtp://127.0.0.1:${ports.smtp}`,
    mailWeb: `http://127.0.0.1:${ports.mailWeb}`,
  };
  const childEnv: NodeJS.ProcessEnv = {
    ...process.env,
    ...env,
    PORT: String(ports.design),
    AVATAR_PORT: String(ports.avatar),
    CATALOG_PORT: String(ports.catalog),
    USERS_PORT: String(ports.users),
    GATEWAY_PORT: String(ports.gateway),
    ...(ports.studio ? { STUDIO_PORT: String(ports.studio) } : {}),
    AVATAR_SUBGRAPH_URL: urls.avatar,
    CATALOG_SUBGRAPH_URL: urls.catalog,
    USERS_SUBGRAPH_URL: urls.users,
    DESIGN_URL: urls.design,
    AVATAR_URL: urls.avatar,
    CATALOG_URL: urls.catalog,
    USERS_URL: urls.users,
    SMTP_URL: urls.smtp,
    // Share links and e-mails point at the studio this stack serves, whatever port it has.
    ...(urls.studio && !env.APP_URL && !process.env.APP_URL ? { APP_URL: urls.studio.replace(/\/$/, '') } : {}),
    GATEWAY_SECRET: env.GATEWAY_SECRET ?? process.env.GATEWAY_SECRET ?? DEVELOPMENT_GATEWAY_SECRET,
    // The catalog's textures make sample IMAGE backgrounds in development and in the tests.
    RENDER_IMAGE_ORIGINS: env.RENDER_IMAGE_ORIGINS ?? process.env.RENDER_IMAGE_ORIGINS ?? `http://127.0.0.1:${ports.catalog}`,
  };
  // Each child leads a process group of its own, so a signal reaches what it started too (under
  // --watch, the process node restarts); past its shutdown timeout the whole group is killed.
  const children: ChildProcess[] = [];
  const signal = (child: ChildProcess, name: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, name);
    } catch {
      // the group is gone already
    }
  };
  const stop = async () => {
    await Promise.all(
      children.map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            child.once('exit', () => resolve());
            signal(child, 'SIGTERM');
            setTimeout(() => signal(child, 'SIGKILL'), 12_000).unref();
          }),
      ),
    );
  };
  const spawnChild = (args: string[], stdio: StdioOptions) => {
    const child = spawn(process.execPath, args, { env: childEnv, stdio, detached: true });
    children.push(child);
    return child;
  };
  const nodeArgs = (script: string) => [...(watch ? ['--watch'] : []), join(DIST, script)];
  /** maildev keeps messages in memory; ours only listens on the loopback. */
  const launchMaildev = async () => {
    const maildev = join(DIST, '..', 'node_modules', 'maildev', 'dist', 'bin', 'maildev.js');
    const args = [maildev, '--smtp', String(ports.smtp), '--ip', '127.0.0.1', '--web', String(ports.mailWeb), '--web-ip', '127.0.0.1'];
    // In development it shows each message it catches; elsewhere (tests, benchmarks) it keeps quiet.
    const child = spawnChild([...args, ...(watch ? [] : ['--silent'])], ['ignore', log, log]);
    await waitFor(`${urls.mailWeb}/api/healthz`, child, 'maildev', READY_TIMEOUT_MS);
  };
  const launch = async (name: string, script: string, readyUrl: string) => {
    const child = spawnChild(nodeArgs(script), ['ignore', log, log]);
    await waitFor(readyUrl, child, name, READY_TIMEOUT_MS);
  };
  /** The workers have no port: they are ready when they say so. */
  const launchWorkers = () =>
    new Promise<void>((resolve, reject) => {
      const child = spawnChild(nodeArgs('workers/main.js'), ['ignore', 'pipe', log]);
      const timer = setTimeout(() => reject(new Error(`workers were not ready within ${READY_TIMEOUT_MS} ms`)), READY_TIMEOUT_MS);
      child.on('exit', (code) => reject(new Error(`workers exited with code ${code} before they were ready`)));
      child.stdout!.on('data', (chunk: Buffer) => {
        if (log === 'inherit') process.stdout.write(chunk);
        if (chunk.toString().includes('workers ready')) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
  try {
    if (watch) {
      // Rebuilds in place (never emptying dist/), so a running process never loses a file it loads.
      for (const project of ['tsconfig.json', 'studio/tsconfig.json']) {
        spawnChild(
          [require.resolve('typescript/bin/tsc'), '-p', join(DIST, '..', project), '--watch', '--preserveWatchOutput'],
          ['ignore', log, log],
        );
      }
    }
    await generateAssets();
    await launchMaildev();
    await launch('avatar subgraph', 'dev-subgraphs/avatar-subgraph.js', `${urls.avatar}?query=%7B__typename%7D`);
    await launch('catalog subgraph', 'dev-subgraphs/catalog-subgraph.js', `${urls.catalog}?query=%7B__typename%7D`);
    await launch('users subgraph', 'dev-subgraphs/users-subgraph.js', `${urls.users}?query=%7B__typename%7D`);
    await launch('design subgraph', 'src/main.js', `http://127.0.0.1:${ports.design}/health`);
    await launch('gateway', 'scripts/gateway.js', `${urls.gateway}?query=%7B__typename%7D`);
    if (urls.studio) await launch('studio', 'scripts/studio-server.js', `${urls.studio}config.json`);
    await launchWorkers();
  } catch (error) {
    await stop();
    throw error;
  }
  return { ports, urls, stop };
}
