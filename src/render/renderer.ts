import { logger } from '../logger';
import { createChromiumRenderer } from './chromium-renderer';
import { createGlRenderer } from './gl-renderer';
import type { SceneInput } from './scene-input';

export interface Renderer {
  readonly name: RendererName;
  /** What draws, for the start-up line: the browser and where it came from, or headless-gl's display. */
  readonly description: string;
  /** False once it cannot draw again (its browser died): the next job starts a new one. */
  usable(): boolean;
  /** The image of the scene at device pixels, PNG-encoded (sharp scales and converts it after). */
  render(input: SceneInput): Promise<Buffer>;
  close(): Promise<void>;
}

export type RendererName = 'chromium' | 'gl';

export interface RendererConfig {
  /** The one asked for: gl where it can run (fast), chromium as the fallback every machine can run. */
  preferred: RendererName;
  /** CHROMIUM_PATH; null: a system chromium, else the one inside the npm package @sparticuz/chromium. */
  chromiumPath: string | null;
}

export function startRenderer(name: RendererName, config: RendererConfig): Promise<Renderer> {
  return name === 'gl' ? createGlRenderer() : createChromiumRenderer(config.chromiumPath);
}

/**
 * The renderer asked for, or chromium when headless-gl cannot run here (not installed, not built,
 * no display): the reason is logged, and the render still happens.
 */
export async function createRenderer(config: RendererConfig): Promise<Renderer> {
  if (config.preferred === 'gl') {
    try {
      return await startRenderer('gl', config);
    } catch (error) {
      logger.warn({ reason: (error as Error).message }, 'RENDERER=gl is not available here: rendering with chromium');
    }
  }
  return startRenderer('chromium', config);
}
