import { createRenderer, type Renderer, type RendererConfig } from '../src/render/renderer';

/** One renderer per worker process, started at the first job that renders. */
let renderer: Promise<Renderer> | null = null;

export const sharedRenderer = (config: RendererConfig) => (renderer ??= createRenderer(config));

export async function closeSharedRenderer(): Promise<void> {
  if (renderer) await (await renderer).close();
}
