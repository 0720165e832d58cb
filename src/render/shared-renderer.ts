import { type Renderer } from './renderer';
import { type RendererConfig } from '../config';
import { createRenderer } from './create-renderer';

/**
 * One renderer per worker process. A renderer that failed to start, or whose browser died, is
 * forgotten, so the next job starts a new one instead of failing for the life of the process.
 */
let renderer: Promise<Renderer> | null = null;

export async function sharedRenderer(config: RendererConfig): Promise<Renderer> {
  const pending = (renderer ??= createRenderer(config));
  try {
    const current = await pending;
    if (current.usable()) return current;
    void current.close();
  } catch (error) {
    if (renderer === pending) renderer = null;
    throw error;
  }
  if (renderer === pending) renderer = null;
  return sharedRenderer(config);
}

export async function closeSharedRenderer(): Promise<void> {
  const current = await renderer?.catch(() => null);
  renderer = null;
  await current?.close();
}
