import { spawn, type ChildProcess } from 'node:child_process';
import { Redis } from 'ioredis';
import { freePort } from '../scripts/stack';

/** A redis-server of a test's own, which it may stop, start again or empty without disturbing anyone else. */
export interface PrivateRedis {
  port: number;
  url: string;
  /** Kills it (SIGKILL: no chance to save, as a crash); its data is gone. */
  stop(): Promise<void>;
  /** Starts it again, empty, on the same port; resolves once it answers. */
  start(): Promise<void>;
}

/** On a free port of 127.0.0.1, without persistence. */
export async function startPrivateRedis(): Promise<PrivateRedis> {
  const port = await freePort();
  let child: ChildProcess | null = null;
  const redis: PrivateRedis = {
    port,
    url: `redis://127.0.0.1:${port}`,
    async start() {
      child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
        stdio: 'ignore',
      });
      await untilAnswering(port);
    },
    stop: () =>
      new Promise<void>((resolve) => {
        const running = child;
        if (!running || running.exitCode !== null || running.signalCode !== null) return resolve();
        running.once('exit', () => resolve());
        running.kill('SIGKILL');
      }),
  };
  await redis.start();
  return redis;
}

async function untilAnswering(port: number): Promise<void> {
  const probe = new Redis({ port, lazyConnect: true, retryStrategy: () => null });
  probe.on('error', () => undefined);
  try {
    for (let i = 0; i < 100; i++) {
      if (
        await probe.connect().then(
          () => true,
          () => false,
        )
      )
        return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`redis-server did not answer on port ${port}`);
  } finally {
    probe.disconnect();
  }
}
