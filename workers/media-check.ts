import type { Config } from '../src/config';
import { logger } from '../src/logger';
import { describeFfmpeg } from '../src/media/ffmpeg-binaries';
import { sharedRenderer } from '../src/render/shared-renderer';

/**
 * Starts the renderer and runs ffmpeg once when the workers start, and says in one line each what
 * renders and videos will use, or why they cannot work: a machine without a browser is found out
 * at start-up, not by a user whose export fails three times.
 */
export async function checkMediaTools(config: Config): Promise<void> {
  const [renderer, video] = await Promise.all([
    sharedRenderer(config.renderer).then(
      (r) => ({ ok: true, line: `renders: ${r.description}` }),
      (error: Error) => ({ ok: false, line: `renders cannot work: ${error.message.split('\n')[0]}` }),
    ),
    describeFfmpeg(config.ffmpeg),
  ]);
  for (const { ok, line } of [renderer, video]) {
    if (ok) logger.info(line);
    else logger.error(line);
  }
}
