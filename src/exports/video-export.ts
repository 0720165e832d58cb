import ffmpeg from 'fluent-ffmpeg';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import type { AppServices } from '../context';
import { ffmpegBinaries } from '../media/ffmpeg-binaries';
import { PIXEL_RATIO } from '../services/renders/render-settings';
import type { ExportSources } from '../render/scene-input';
import type { VideoOptions } from '../services/exports/export-options';
import type { DesignState } from '../domain/design-state';
import { sharedRenderer } from '../render/shared-renderer';
import { devicePixels, yuvPackable, type FramePixels } from '../render/renderer';
import { renderFps } from '../observability/metrics';
import type { Progress } from './image-export';

/**
 * Encoder settings per format: MP4 H.264 yuv420p +faststart, WebM VP9, GIF with a generated palette.
 * `frames` are the filters that make the frames the video's: rows turned top-down (rgba frames),
 * scaled to the asked size when the render quality drew them at another.
 */
function encoder(input: ffmpeg.FfmpegCommand, format: string, options: VideoOptions, frames: string[]): ffmpeg.FfmpegCommand {
  const command = frames.length && format !== 'GIF' ? input.videoFilters(frames) : input;
  switch (format) {
    case 'WEBM':
      return command
        .videoCodec('libvpx-vp9')
        .outputOptions(['-b:v 0', '-crf 33', '-deadline realtime', '-cpu-used 8', '-row-mt 1', '-pix_fmt yuv420p'])
        .format('webm');
    case 'GIF': {
      const width = Math.min(options.width, 512);
      return command
        .complexFilter(
          `[0:v] ${[...frames, ''].join(',')}fps=${Math.min(options.fps, 15)},scale=${width}:-1:flags=lanczos,split [a][b];[a] palettegen [p];[b][p] paletteuse`,
        )
        .format('gif');
    }
    default:
      // veryfast: of 180 frames at 1280x720, x264 takes ~2 CPU-s against ~18 for drawing them;
      // ultrafast saves 0.5 s of that and makes a file 5 times larger.
      return command
        .videoCodec('libx264')
        .outputOptions(['-pix_fmt yuv420p', '-movflags +faststart', '-preset veryfast', '-crf 20'])
        .format('mp4');
  }
}

/**
 * A turntable: the scene built once and turned around the vertical axis frame by frame, the frames
 * streamed raw into ffmpeg (yuv420p where the renderer can convert them as it draws, else RGBA),
 * which encodes one frame while the next is drawn. Rendering is 90 % of the progress, encoding the rest; a cancellation stops ffmpeg.
 */
export async function videoExport(
  app: AppServices,
  state: DesignState,
  sources: ExportSources,
  options: VideoOptions,
  format: string,
  progress: Progress,
): Promise<Buffer> {
  const frames = Math.max(1, Math.round(options.fps * options.durationSeconds));
  const settings = {
    width: options.width,
    height: options.height,
    transparentBackground: false,
    pixelRatio: PIXEL_RATIO[state.canvas.renderQuality] ?? 1,
  };
  const drawn = devicePixels(settings);
  const renderer = await sharedRenderer(app.config.renderer);
  // GIF keeps RGBA: its palette reserves a colour for transparency.
  const pixels: FramePixels = format !== 'GIF' && renderer.turntablePixels.includes('yuv420p') && yuvPackable(drawn) ? 'yuv420p' : 'rgba';
  const frameFilters = pixels === 'rgba' ? ['vflip'] : [];
  if (drawn.width !== options.width || drawn.height !== options.height)
    frameFilters.push(`scale=${options.width}:${options.height}:flags=area`);
  const dir = await mkdtemp(join(tmpdir(), 'turntable-'));
  const output = join(dir, `video.${format.toLowerCase()}`);
  const input = new PassThrough();
  const source = ffmpeg(input)
    .setFfmpegPath(ffmpegBinaries(app.config.ffmpeg).ffmpeg)
    .inputFormat('rawvideo')
    .inputOptions([`-pix_fmt ${pixels}`, `-video_size ${drawn.width}x${drawn.height}`])
    .inputFPS(options.fps);
  const command = encoder(source, format, options, frameFilters).output(output);
  const encoded = new Promise<void>((resolve, reject) => {
    command.on('end', () => resolve()).on('error', (error) => reject(error));
  });
  // ffmpeg can fail while frames are still being drawn (a SIGTERM reaches it too): the failure is
  // awaited below, and must not end the worker as an unhandled rejection meanwhile.
  encoded.catch(() => undefined);
  command.run();
  try {
    const turns = Array.from({ length: frames }, (_, i) => (options.rotationDegrees * i) / frames);
    const drawing = performance.now();
    await renderer.turntable({ state, settings, ...sources.scene }, turns, pixels, async (frame, i) => {
      // An ffmpeg that died (Ctrl-C reaches it too) drains nothing again: its failure ends the wait.
      if (!input.write(frame)) {
        const drained = new Promise((r) => input.once('drain', r));
        await Promise.race([drained, encoded.then(() => Promise.reject(new Error('ffmpeg ended before the last frame')))]);
      }
      if (i % 10 === 9) await progress((0.9 * (i + 1)) / frames);
    });
    renderFps.set({ renderer: renderer.name }, Math.round((frames / ((performance.now() - drawing) / 1000)) * 10) / 10);
    input.end();
    await encoded;
    return await readFile(output);
  } catch (error) {
    command.kill('SIGKILL');
    input.destroy();
    await encoded.catch(() => undefined);
    throw error;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
