import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { freePort } from '../../scripts/stack';

export interface PostGraphileServer {
  url: string;
  stop(): Promise<void>;
}

/** Starts postgraphile-server.js as a child process on a free port and waits until it answers a query. */
export async function startPostGraphile(databaseUrl: string, poolSize: number): Promise<PostGraphileServer> {
  const port = await freePort();
  const child = spawn(process.execPath, [join(__dirname, 'postgraphile-server.js')], {
    env: { ...process.env, DATABASE_URL: databaseUrl, PORT: String(port), DATABASE_POOL_SIZE: String(poolSize), NODE_ENV: 'production' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 5000).unref();
    });
  const url = `http://127.0.0.1:${port}/graphql`;
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('PostGraphile did not start within 30 s')), 30_000);
      child.once('exit', (code) => reject(new Error(`PostGraphile exited with code ${code}`)));
      child.stdout!.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('ready')) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    // The schema is introspected at the first request.
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"query":"{__typename}"}',
    });
    if (!response.ok) throw new Error(`PostGraphile answered ${response.status}: ${await response.text()}`);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, stop };
}
