import { execFileSync } from 'node:child_process';
import { ffmpegBinaries } from '../src/media/ffmpeg-binaries';
import { loadConfig } from '../src/config';

/** ffprobe (the same binary the workers' ffmpeg comes with) over a file given on its standard input. */
export function ffprobe(file: Buffer, args: string[]): string {
  const { ffprobe: binary } = ffmpegBinaries(loadConfig().ffmpeg);
  return execFileSync(binary, ['-v', 'error', ...args, '-i', 'pipe:0'], { input: file, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
}

/** A PDF's page count and text, read with mupdf (WASM from npm: no poppler needed). */
export async function readPdf(file: Buffer): Promise<{ pages: number; text: string }> {
  const mupdf = await import('mupdf');
  const document = mupdf.Document.openDocument(file, 'application/pdf');
  try {
    const pages: string[] = [];
    for (let i = 0; i < document.countPages(); i++) {
      const page = document.loadPage(i);
      pages.push(page.toStructuredText('preserve-whitespace').asText());
      page.destroy();
    }
    return { pages: pages.length, text: pages.join('\n') };
  } finally {
    document.destroy();
  }
}
