import { spawn } from 'node:child_process';
import { logger } from '../logger';

/**
 * headless-gl draws through GLX, so it needs an X display, and without one it returns null
 * silently. When DISPLAY is unset this starts a private Xvfb (it picks a free display number and
 * reports it on a pipe) and points DISPLAY at it: one display for the rest of the process.
 */
let starting: Promise<string> | null = null;

export function ensureDisplay(): Promise<string> {
  if (process.env.DISPLAY) return Promise.resolve(process.env.DISPLAY);
  starting ??= startXvfb().finally(() => (starting = null));
  return starting;
}

async function startXvfb(): Promise<string> {
  const child = spawn('Xvfb', ['-displayfd', '3', '-screen', '0', '1024x768x24', '-nolisten', 'tcp'], {
    stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const display = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdio[3]!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('\n')) resolve(`:${out.trim()}`);
    });
    child.once('error', (error) => reject(new Error(`Xvfb could not start: ${error.message} (apt package xvfb)`)));
    child.once('exit', (code) => reject(new Error(`Xvfb exited (${code}): ${stderr.trim().split('\n').pop() ?? ''}`)));
    setTimeout(() => reject(new Error('Xvfb did not report a display within 10 s')), 10_000).unref();
  }).catch((error: Error) => {
    child.kill();
    throw error;
  });
  // Xvfb lives as long as the process and never keeps it alive.
  child.unref();
  for (const stream of [child.stderr, child.stdio[3]] as { unref?(): void }[]) stream.unref?.();
  child.removeAllListeners('exit');
  child.once('exit', (code) => logger.warn({ display, code }, 'Xvfb exited'));
  // A synchronous kill is all an exit handler can do; a SIGKILLed worker leaves its Xvfb behind.
  process.once('exit', () => child.kill());
  process.env.DISPLAY = display;
  logger.info({ display }, 'started Xvfb for headless-gl');
  return display;
}
