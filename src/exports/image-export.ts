import sharp from 'sharp';
import type { AppServices } from '../context';
import { encodeImage } from '../render/encode-image';
import { PIXEL_RATIO } from '../services/renders/render-settings';
import type { ExportSources } from '../render/scene-input';
import type { DesignState } from '../domain/design-state';
import type { ImageOptions } from '../services/exports/export-options';
import { sharedRenderer } from '../render/shared-renderer';

export type Progress = (fraction: number) => Promise<void>;

/**
 * The front view and every extra angle around the turntable axis. Several views come as one
 * contact sheet (views left to right, wrapping after four), so an image export is always one file.
 */
export async function imageExport(
  app: AppServices,
  state: DesignState,
  sources: ExportSources,
  options: ImageOptions,
  format: string,
  progress: Progress,
): Promise<Buffer> {
  const angles = [0, ...options.angles];
  const renderer = await sharedRenderer(app.config.renderer);
  const views: Buffer[] = [];
  for (const [i, angle] of angles.entries()) {
    const settings = {
      width: options.width,
      height: options.height,
      transparentBackground: options.transparentBackground,
      turnDegrees: angle,
      pixelRatio: PIXEL_RATIO[state.canvas.renderQuality] ?? 1,
    };
    const input = { state, settings, ...sources.scene };
    views.push(
      await sharp(await renderer.render(input))
        .resize(options.width, options.height, { fit: 'fill' })
        .png()
        .toBuffer(),
    );
    await progress((i + 1) / (angles.length + 1));
  }
  if (views.length === 1) return encodeImage(sharp(views[0]), format);
  const columns = Math.min(4, views.length);
  const rows = Math.ceil(views.length / columns);
  const sheet = sharp({
    create: { width: columns * options.width, height: rows * options.height, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } },
  }).composite(views.map((input, i) => ({ input, left: (i % columns) * options.width, top: Math.floor(i / columns) * options.height })));
  return encodeImage(sharp(await sheet.png().toBuffer()), format);
}
