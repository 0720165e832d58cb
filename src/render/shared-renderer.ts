import { type Renderer } from './renderer';
import { type RendererConfig } from '../config';
import { createRenderer } from './create-renderer';
import { renderFrameTime } from '../observability/metrics';

/**
 * One renderer per worker process. A renderer that failed to start, or whose browser died, is
 * forgotten, so the next job starts a new one instead of failing for the life of the process.
 */
let renderer: Promise<Renderer> | null = null;

/** The renderer with each frame it draws timed (render_frame_time_ms). */
async function timedRenderer(config: RendererConfig): Promise<Renderer> {
  const inner = await createRenderer(config);
  const labels = { renderer: inner.name };
  return Object.assign(Object.create(inner) as Renderer, {
    async render(input: Parameters<Renderer['render']>[0]) {
      const end = renderFrameTime.startTimer(labels);
      const image = await inner.render(input);
      end();
      return image;
    },
    async turntable(...[input, turns, pixels, sink]: Parameters<Renderer['turntable']>) {
      // A frame's time runs from the last one handed over (the pipeline draws one ahead).
      let last = performance.now();
      return inner.turntable(input, turns, pixels, async (frame, index) => {
        const now = performance.now();
        renderFrameTime.observe(labels, now - last);
        last = now;
        await sink(frame, index);
      });
    },
  });
}

export async function sharedRenderer(config: RendererConfig): Promise<Renderer> {
  const pending = (renderer ??= timedRenderer(config));
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
