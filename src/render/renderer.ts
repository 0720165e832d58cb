import type { RendererName } from '../config';
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
