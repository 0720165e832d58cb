import type { RendererName } from '../config';
import type { SceneInput, SceneSettings } from './scene-input';

/**
 * How a turntable's frames are laid out, as ffmpeg's rawvideo reads them. `rgba`: as WebGL reads
 * pixels back, rows bottom-up and colours premultiplied by alpha (ffmpeg flips rows for free and
 * drops alpha anyway). `yuv420p`: converted where they are drawn, BT.601 limited range, rows
 * top-down; 1.5 bytes a pixel instead of 4 to read back, move and take in, for sizes `yuvPackable`.
 */
export type FramePixels = 'rgba' | 'yuv420p';

/** One turntable frame in the pixel layout asked for, at device pixels. */
export type RawFrame = Buffer;

/** Takes a turntable frame; the next is drawn meanwhile, and handed over once this has resolved. */
export type FrameSink = (frame: RawFrame, index: number) => Promise<void>;

export interface Renderer {
  readonly name: RendererName;
  /** What draws, for the start-up line: the browser and where it came from, or headless-gl's display. */
  readonly description: string;
  /** False once it cannot draw again (its browser died): the next job starts a new one. */
  usable(): boolean;
  /** The image of the scene at device pixels, PNG-encoded (sharp scales and converts it after). */
  render(input: SceneInput): Promise<Buffer>;
  /**
   * The scene built once and drawn at each of `turns` (degrees around the vertical axis, replacing
   * `settings.turnDegrees`), frames handed to `sink` in order. A sink that throws stops the drawing,
   * and the turntable fails with its error. Nothing else is drawn meanwhile.
   */
  turntable(input: SceneInput, turns: number[], pixels: FramePixels, sink: FrameSink): Promise<void>;
  /** The frame layouts its turntables can give: rgba always. */
  readonly turntablePixels: readonly FramePixels[];
  close(): Promise<void>;
}

/** The drawing buffer's size for these settings: three sizes it so (floor of size times pixel ratio). */
export function devicePixels(settings: Pick<SceneSettings, 'width' | 'height' | 'pixelRatio'>): { width: number; height: number } {
  const ratio = settings.pixelRatio ?? 1;
  return { width: Math.floor(settings.width * ratio), height: Math.floor(settings.height * ratio) };
}

/** yuv420p frames are packed four bytes to a texel, with two chroma rows to a row of the frame's width. */
export function yuvPackable(size: { width: number; height: number }): boolean {
  return size.width % 8 === 0 && size.height % 4 === 0;
}

export function frameBytes(size: { width: number; height: number }, pixels: FramePixels): number {
  return pixels === 'yuv420p' ? (size.width * size.height * 3) / 2 : size.width * size.height * 4;
}

/**
 * Draws frame i+1 while the sink still takes frame i (ffmpeg encodes on the other core), but never
 * more than one frame ahead: frames are megabytes each.
 */
export async function pipelineFrames(turns: number[], draw: (degrees: number) => Promise<RawFrame>, sink: FrameSink): Promise<void> {
  let previous: Promise<void> = Promise.resolve();
  // Set when the sink failed while the next frame was being drawn: no frame is drawn after that.
  let failed = false;
  for (const [index, degrees] of turns.entries()) {
    if (failed) break;
    const frame = await draw(degrees);
    await previous;
    previous = sink(frame, index);
    // Handled here so that a failure meanwhile is no unhandled rejection; awaited (and thrown) above or below.
    previous.catch(() => void (failed = true));
  }
  await previous;
}
