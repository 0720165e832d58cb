import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Config } from '../config';

const execFileAsync = promisify(execFile);

export interface FfmpegBinaries {
  ffmpeg: string;
  ffprobe: string;
}

/** The installer packages throw a string, not an Error, when their platform's binary is missing. */
function packaged(name: '@ffmpeg-installer/ffmpeg' | '@ffprobe-installer/ffprobe', variable: string): string {
  try {
    return (require(name) as { path: string }).path;
  } catch (error) {
    throw new Error(`${variable} is unset and ${name} has no binary for ${process.platform}-${process.arch}: ${String(error)}`);
  }
}

/** FFMPEG_PATH and FFPROBE_PATH when set, else the static builds that npm installs with the packages. */
export function ffmpegBinaries(config: Config['ffmpeg']): FfmpegBinaries {
  return {
    ffmpeg: config.ffmpegPath ?? packaged('@ffmpeg-installer/ffmpeg', 'FFMPEG_PATH'),
    ffprobe: config.ffprobePath ?? packaged('@ffprobe-installer/ffprobe', 'FFPROBE_PATH'),
  };
}

const ENCODERS = ['libx264', 'libvpx-vp9', 'gif'];

/**
 * What the turntable exports will run, in one line: ffmpeg's version and path, or why videos
 * cannot be made (a missing binary, or one built without an encoder the formats need).
 */
export async function describeFfmpeg(config: Config['ffmpeg']): Promise<{ ok: boolean; line: string }> {
  try {
    const { ffmpeg, ffprobe } = ffmpegBinaries(config);
    const [{ stdout: version }, { stdout: encoders }] = await Promise.all([
      execFileAsync(ffmpeg, ['-hide_banner', '-version'], { timeout: 10_000 }),
      execFileAsync(ffmpeg, ['-hide_banner', '-encoders'], { timeout: 10_000, maxBuffer: 4 * 1024 * 1024 }),
      execFileAsync(ffprobe, ['-hide_banner', '-version'], { timeout: 10_000 }),
    ]);
    const missing = ENCODERS.filter((encoder) => !new RegExp(`\\s${encoder}\\s`).test(encoders));
    const name = version.split('\n')[0]!.replace(/ Copyright.*/, '');
    if (missing.length) return { ok: false, line: `videos cannot be made: ${ffmpeg} (${name}) lacks ${missing.join(', ')}` };
    return { ok: true, line: `videos: ${name} (${ffmpeg}), ffprobe ${ffprobe}` };
  } catch (error) {
    return { ok: false, line: `videos cannot be made: ${(error as Error).message.split('\n')[0]}` };
  }
}
