import { createChromiumRenderer, type Renderer } from '../src/render/chromium-renderer';

/** One browser per worker process, started at the first job that renders. */
let renderer: Promise<Renderer> | null = null;

export const sharedRenderer = () => (renderer ??= createChromiumRenderer());

export async function closeSharedRenderer(): Promise<void> {
  if (renderer) await (await renderer).close();
}
