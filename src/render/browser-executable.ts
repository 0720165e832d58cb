import { execFile } from 'node:child_process';
import { createReadStream, createWriteStream, existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';
import { createBrotliDecompress } from 'node:zlib';
import { extract } from 'tar-fs';
import { findOnPath } from '../find-on-path';

const execFileAsync = promisify(execFile);

/** The browser the chromium renderer drives, where it came from, and what its process needs. */
export interface BrowserExecutable {
  path: string;
  source: 'CHROMIUM_PATH' | 'system' | 'packaged';
  /** Added to the browser's environment (shared libraries and fonts of the packaged browser). */
  env: Record<string, string>;
}

/** A renderer that cannot start for a reason a retry will not change (no browser, a wrong path). */
export class RendererUnavailableError extends Error {
  override name = 'RendererUnavailableError';
}

const SYSTEM_BROWSERS = ['chromium', 'chromium-browser', 'google-chrome-stable', 'google-chrome'];

/**
 * CHROMIUM_PATH when set, else a system chromium on the PATH, else the Chromium shipped inside the
 * npm package @sparticuz/chromium, unpacked once under node_modules/.cache (not the shared temp dir,
 * where another project's version could sit under the same name).
 */
export async function findBrowser(configuredPath: string | null): Promise<BrowserExecutable> {
  if (configuredPath) {
    if (!existsSync(configuredPath)) throw new RendererUnavailableError(`CHROMIUM_PATH=${configuredPath} does not exist`);
    return { path: configuredPath, source: 'CHROMIUM_PATH', env: {} };
  }
  const system = findOnPath(SYSTEM_BROWSERS);
  if (system) return { path: system, source: 'system', env: {} };
  return unpackedBrowser();
}

let unpacking: Promise<BrowserExecutable> | null = null;

function unpackedBrowser(): Promise<BrowserExecutable> {
  unpacking ??= unpack().catch((error: unknown) => {
    unpacking = null;
    throw error;
  });
  return unpacking;
}

async function unpack(): Promise<BrowserExecutable> {
  const name = '@sparticuz/chromium';
  let root: string;
  try {
    // Its exports map hides package.json, so the folder is found from the main module.
    const main = require.resolve(name);
    root = main.slice(0, main.lastIndexOf(name) + name.length);
  } catch {
    throw new RendererUnavailableError(
      `no browser: CHROMIUM_PATH is unset, no chromium is on the PATH, and ${name} is not installed (npm install)`,
    );
  }
  const { version } = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as { version: string };
  const bin = join(root, 'bin');
  const dir = join(root, '..', '..', '.cache', `sparticuz-chromium-${version}`);
  if (!existsSync(join(dir, 'chromium'))) {
    // Unpacked beside and renamed into place, so a process that starts meanwhile never sees half a browser.
    const partial = `${dir}.partial-${process.pid}`;
    await rm(partial, { recursive: true, force: true });
    await mkdir(partial, { recursive: true });
    try {
      await pipeline(
        createReadStream(join(bin, 'chromium.br')),
        createBrotliDecompress(),
        createWriteStream(join(partial, 'chromium'), { mode: 0o755 }),
      );
      // SwiftShader's libraries go beside the binary, where chromium looks for its GL implementation.
      for (const archive of ['swiftshader', 'fonts', 'al2023']) {
        await pipeline(
          createReadStream(join(bin, `${archive}.tar.br`)),
          createBrotliDecompress(),
          extract(archive === 'al2023' ? join(partial, 'al2023') : partial),
        );
      }
      await writeFile(
        join(partial, 'fonts.conf'),
        `<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig><dir>${join(dir, 'fonts')}</dir><cachedir>${join(dir, 'fonts-cache')}</cachedir></fontconfig>\n`,
      );
      await rename(partial, dir).catch(async (error: NodeJS.ErrnoException) => {
        // Another process finished first: its copy is as good as ours.
        if (!existsSync(join(dir, 'chromium'))) throw error;
        await rm(partial, { recursive: true, force: true });
      });
    } catch (error) {
      await rm(partial, { recursive: true, force: true });
      throw new RendererUnavailableError(`the packaged Chromium could not be unpacked into ${dir}: ${(error as Error).message}`);
    }
  }
  const path = join(dir, 'chromium');
  const env: Record<string, string> = { FONTCONFIG_PATH: dir };
  // Machines without nss, nspr or expat get the copies the package carries; others keep their own.
  if (await missingLibraries(path))
    env.LD_LIBRARY_PATH = [join(dir, 'al2023', 'lib'), process.env.LD_LIBRARY_PATH].filter(Boolean).join(delimiter);
  return { path, source: 'packaged', env };
}

async function missingLibraries(binary: string): Promise<boolean> {
  try {
    const { stdout } = await execFileAsync('ldd', [binary]);
    return stdout.includes('not found');
  } catch {
    return true;
  }
}
