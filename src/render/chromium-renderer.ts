import express from 'express';
import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import { join } from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { logger } from '../logger';
import { safeFetch, UrlRefusedError, type FetchPolicy } from '../net/safe-fetch';
import { WebSocketServer, type WebSocket } from 'ws';
import { findBrowser, RendererUnavailableError } from './browser-executable';
import { devicePixels, frameBytes, pipelineFrames, type FramePixels, type RawFrame, type Renderer } from './renderer';
import type { SceneInput } from './scene-input';

const ROOT = join(__dirname, '..', '..', '..');

/** The largest drawing buffer: 4096 pixels a side (the export limit) at ULTRA's pixel ratio of 2, RGBA. */
const MAX_FRAME_BYTES = 8192 * 8192 * 4;

/**
 * The renderer every machine can run: headless Chromium (CHROMIUM_PATH, a system chromium, or the one
 * inside the npm package), WebGL2 on SwiftShader, driven by puppeteer. One browser and one page per
 * renderer; a local server hands the page three's build, its addons and the compiled scene builder.
 * Scenes are rendered one at a time. The page reaches nothing but that server: what it loads from
 * elsewhere goes through the safe fetcher, and a refusal fails the render with its reason.
 */
export async function createChromiumRenderer(chromiumPath: string | null, assetPolicy: FetchPolicy): Promise<Renderer> {
  const executable = await findBrowser(chromiumPath);
  const app = express();
  app.use('/three', express.static(join(ROOT, 'node_modules', 'three', 'build')));
  app.use('/addons', express.static(join(ROOT, 'node_modules', 'three', 'examples', 'jsm')));
  app.get('/scene/:script', (req, res) => {
    const script = req.params.script;
    if (script !== 'build-scene.js' && script !== 'asset-cache.js') return void res.status(404).end();
    res.sendFile(join(__dirname, script));
  });
  app.get('/', (_req, res) => res.sendFile(join(ROOT, 'src', 'render', 'page', 'render.html')));
  // Models and textures come through here, same-origin for the page whatever CORS the catalog sends;
  // only the ones a scene given to this renderer names, so that it is no open proxy on the machine.
  const sceneUrls = new Set<string>();
  // The page's loaders only see a failed request: the reason is kept here for the render to throw.
  let refusal: UrlRefusedError | null = null;
  const takeRefusal = () => {
    const taken = refusal;
    refusal = null;
    return taken;
  };
  app.get('/asset', async (req, res) => {
    const url = String(req.query.url ?? '');
    if (!sceneUrls.has(url)) return void res.status(403).end();
    try {
      const fetched = await safeFetch(url, assetPolicy);
      res.type(fetched.contentType ?? 'application/octet-stream').send(fetched.body);
    } catch (error) {
      if (error instanceof UrlRefusedError) refusal ??= error;
      res.status(error instanceof UrlRefusedError ? 403 : 502).send((error as Error).message);
    }
  });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const port = (server.address() as { port: number }).port;

  // Turntable frames come from the page over this socket. Its path is a secret so that no other
  // process on the machine can put frames into a video.
  const framePath = `/frames/${randomBytes(16).toString('hex')}`;
  const frameServer = new WebSocketServer({ server, path: framePath, maxPayload: MAX_FRAME_BYTES });
  let frameSocket: WebSocket | null = null;
  let awaitedFrame: { resolve(frame: RawFrame): void; reject(error: Error): void } | null = null;
  frameServer.on('connection', (socket) => {
    frameSocket?.terminate();
    frameSocket = socket;
    socket.on('message', (data: Buffer) => {
      const awaited = awaitedFrame;
      awaitedFrame = null;
      awaited?.resolve(data);
    });
    socket.on('close', () => {
      if (frameSocket !== socket) return;
      frameSocket = null;
      awaitedFrame?.reject(new Error('the render page closed its frame socket'));
      awaitedFrame = null;
    });
  });
  const closeServers = () => {
    frameServer.close();
    server.close();
  };

  let browser: Browser | undefined;
  let page: Page;
  let version: string;
  // Usable until the browser goes away or the page crashes (a page that crashed cannot draw again).
  let usable = true;
  try {
    browser = await puppeteer.launch({
      executablePath: executable.path,
      env: { ...process.env, ...executable.env },
      headless: true,
      // Over a pipe, the browser exits when this process dies, however it dies (puppeteer starts it
      // in a process group of its own, so a SIGKILLed worker would otherwise leave it running).
      pipe: true,
      // The worker's own shutdown closes the browser once running renders are done; puppeteer's
      // handlers would end the process at once on Ctrl-C (exit 130, jobs cut off) and close the
      // browser under a running render on SIGTERM.
      handleSIGINT: false,
      handleSIGTERM: false,
      handleSIGHUP: false,
      args: [
        '--use-angle=swiftshader',
        '--enable-unsafe-swiftshader',
        '--no-sandbox',
        '--disable-dev-shm-usage',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
    browser.on('disconnected', () => (usable = false));
    page = await browser.newPage();
    await page.setRequestInterception(true);
    page.on('request', (request) => {
      const url = request.url();
      const own = url.startsWith(`http://127.0.0.1:${port}/`) || url.startsWith('data:') || url.startsWith('blob:');
      if (!own) {
        refusal ??= new UrlRefusedError(
          `refused ${url}: the render page loads only from its own server (a model may not name files outside itself)`,
        );
      }
      // The page may be gone by then; a rejection left unhandled would end the worker.
      (own ? request.continue() : request.abort('blockedbyclient')).catch(() => undefined);
    });
    page.on('pageerror', (error) => logger.warn({ err: error }, 'renderer page error'));
    page.on('error', () => (usable = false));
    page.on('close', () => (usable = false));
    await page.goto(`http://127.0.0.1:${port}/`);
    await page.waitForFunction('window.rendererReady === true', { timeout: 30_000 });
    version = await browser.version();
  } catch (error) {
    closeServers();
    // A browser that started but whose page did not would otherwise live on with every retry.
    await browser?.close().catch(() => undefined);
    const message = `chromium renderer could not start (${executable.path}): ${(error as Error).message}`;
    // A binary that is not there, or cannot be run, stays so however often a job retries.
    throw /not found|ENOENT|EACCES|error while loading shared libraries/.test(message)
      ? new RendererUnavailableError(message)
      : new Error(message);
  }

  const started = browser;
  let queue: Promise<unknown> = Promise.resolve();
  const queued = <T>(work: () => Promise<T>): Promise<T> => {
    const run = queue.then(work);
    queue = run.catch(() => undefined);
    return run;
  };
  /** Runs a step of the page; the page's loaders only see a failed request, so a refused asset is the error. */
  const inPage = async <T>(step: () => Promise<T>): Promise<T> => {
    let result: T;
    try {
      result = await step();
    } catch (error) {
      throw takeRefusal() ?? error;
    }
    // Drawn without an asset that was refused: the refusal is still the outcome.
    const refused = takeRefusal();
    if (refused) throw refused;
    return result;
  };
  /** What render.html defines on its window (page.evaluate's functions run there: no closure over this file). */
  type RenderPage = {
    renderScene(i: unknown, m: string): Promise<string>;
    beginTurntable(i: unknown, path: string, pixels: FramePixels): Promise<{ width: number; height: number; bytes: number }>;
    drawTurn(degrees: number): void;
    endTurntable(): void;
  };

  return {
    name: 'chromium',
    description: `chromium (${version}, ${executable.source === 'packaged' ? 'packaged by @sparticuz/chromium' : executable.source}: ${executable.path})`,
    usable: () => usable,
    render(input) {
      for (const url of urlsOf(input)) sceneUrls.add(url);
      return queued(async () => {
        takeRefusal();
        const dataUrl = await inPage(() =>
          page.evaluate((i, mime) => (window as unknown as RenderPage).renderScene(i, mime), input as never, 'image/png'),
        );
        return Buffer.from(dataUrl.slice(dataUrl.indexOf(',') + 1), 'base64');
      });
    },
    turntablePixels: ['rgba', 'yuv420p'],
    turntable(input, turns, pixels, sink) {
      for (const url of urlsOf(input)) sceneUrls.add(url);
      return queued(async () => {
        takeRefusal();
        const expected = devicePixels(input.settings);
        const size = await inPage(() =>
          page.evaluate((i, path, p) => (window as unknown as RenderPage).beginTurntable(i, path, p), input as never, framePath, pixels),
        );
        try {
          if (size.width !== expected.width || size.height !== expected.height) {
            throw new Error(
              `the browser gave a ${size.width}x${size.height} drawing buffer for ${expected.width}x${expected.height} (too large for its GPU)`,
            );
          }
          const bytes = frameBytes(size, pixels);
          // The page falls back to rgba for a size it cannot pack: the caller chose by the same rule.
          if (size.bytes !== bytes) throw new Error(`the page cannot give ${pixels} frames of ${size.width}x${size.height}`);
          await pipelineFrames(
            turns,
            async (degrees) => {
              const received = new Promise<RawFrame>((resolve, reject) => (awaitedFrame = { resolve, reject }));
              // Not awaited when the page fails first: its error is the one thrown.
              received.catch(() => undefined);
              await page.evaluate((d) => (window as unknown as RenderPage).drawTurn(d), degrees);
              const frame = await received;
              if (frame.length !== bytes) throw new Error(`a turntable frame of ${frame.length} bytes instead of ${bytes}`);
              return frame;
            },
            sink,
          );
        } finally {
          awaitedFrame = null;
          await page.evaluate(() => (window as unknown as RenderPage).endTurntable()).catch(() => undefined);
        }
      });
    },
    async close() {
      await started.close().catch(() => undefined);
      closeServers();
    },
  };
}

/** Every URL a scene may load: the avatar's model, the catalog items' models and textures, the background image. */
function urlsOf(input: SceneInput): string[] {
  const items = Object.values(input.items).flatMap((item) => [item.modelUrl, item.textureUrl]);
  return [input.avatar?.modelUrl, input.backgroundImageUrl, ...items].filter((url): url is string => !!url);
}
