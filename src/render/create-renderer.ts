import type { RendererConfig, RendererName } from '../config';
import { logger } from '../logger';
import { createChromiumRenderer } from './chromium-renderer';
import { createGlRenderer } from './gl-renderer';
import type { Renderer } from './renderer';

export function startRenderer(name: RendererName, config: RendererConfig): Promise<Renderer> {
  return name === 'gl' ? createGlRenderer(config.assets) : createChromiumRenderer(config.chromiumPath, config.assets);
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
