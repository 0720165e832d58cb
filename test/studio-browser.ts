import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { findBrowser } from '../src/render/browser-executable';

export const STUDIO_URL = process.env.TEST_STUDIO_URL!;

/** The browser the server renderer drives (the packaged Chromium unless one is configured), WebGL on SwiftShader. */
export async function launchBrowser(): Promise<Browser> {
  const executable = await findBrowser(process.env.CHROMIUM_PATH || null);
  return puppeteer.launch({
    executablePath: executable.path,
    env: { ...process.env, ...executable.env },
    headless: true,
    pipe: true,
    args: ['--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--no-sandbox', '--disable-dev-shm-usage', '--no-first-run'],
  });
}

/**
 * A page of its own (separate storage: another person) signed in to the studio as a demo user
 * through its sign-in, at the studio's `path` (an address the service sends people to) or its start.
 */
export async function studioPage(browser: Browser, userId: string, errors: string[], path = ''): Promise<Page> {
  const context = await browser.createBrowserContext();
  const page = await context.newPage();
  await page.setViewport({ width: 1280, height: 760 });
  page.on('pageerror', (error) => errors.push(`pageerror: ${(error as Error).message}`));
  page.on('console', (message) => {
    // Sockets the test sent to a dead port (SOCKET_CONTROL) fail, as they are meant to.
    if (message.type() === 'error' && !message.text().includes(BLOCKED_SOCKET_URL)) errors.push(`console: ${message.text()}`);
  });
  await page.evaluateOnNewDocument(SOCKET_CONTROL);
  await page.goto(`${STUDIO_URL}${path}`);
  await page.waitForSelector('.user-picker');
  await page.select('.user-picker', userId);
  await page.click('.sign-in');
  if (!path) await page.waitForSelector('.create-design');
  return page;
}

/**
 * Lets a test break the page's WebSockets as a network would (`__sockets.cut()`) and keep new ones
 * from reaching the gateway (`__sockets.blocked = true`: they go to a port where nothing listens).
 */
const BLOCKED_SOCKET_URL = 'ws://127.0.0.1:9/';
const SOCKET_CONTROL = `(() => {
  const Native = window.WebSocket;
  const open = new Set();
  window.__sockets = {
    blocked: false,
    cut() { for (const s of open) s.close(3000, 'cut by the test'); },
  };
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...(window.__sockets.blocked ? ['${BLOCKED_SOCKET_URL}', ...args.slice(1)] : args));
      open.add(this);
      this.addEventListener('close', () => open.delete(this));
    }
  };
})();`;

/** Opens a design and waits until its scene is drawn and its live stream is up. */
export async function openDesign(page: Page, designId: string): Promise<void> {
  await page.evaluate((id) => (location.hash = `#/designs/${id}`), designId);
  await page.waitForSelector('.live-status[data-status="live"]', { timeout: 30_000 });
  await page.waitForFunction(() => (window as unknown as StudioWindow).studio.frameStats()?.drawMs != null, { timeout: 60_000 });
}

export interface PixelStats {
  width: number;
  height: number;
  rgba: string;
}

/** What main.ts puts on `window` for tests (see studio/src/main.ts). */
export interface StudioWindow {
  studio: {
    frameStats(): { frameMs: number | null; fps: number | null; drawMs: number | null; samples: number } | null;
    measureFrames(frames: number): Promise<{ frameMs: number | null; fps: number | null; drawMs: number | null; samples: number }>;
    readPixels(step?: number): PixelStats | null;
    design(): { revision: number; layers: { id: string; opacity: number; customization: { color: string | null } }[] } | null;
    drawnScene(): { revision: number; at: number; buildMs: number } | null;
    sceneError(): string | null;
  };
}

/** The canvas's pixels as RGBA bytes, every `step`-th pixel of every `step`-th row. */
export async function canvasPixels(page: Page, step = 4): Promise<Buffer> {
  const stats = await page.evaluate((s) => (window as unknown as StudioWindow).studio.readPixels(s), step);
  if (!stats) throw new Error('no design is open');
  return Buffer.from(stats.rgba, 'base64');
}

/** The share of pixels for which `match(r, g, b)` holds. */
export function share(pixels: Buffer, match: (r: number, g: number, b: number) => boolean): number {
  let count = 0;
  for (let i = 0; i < pixels.length; i += 4) if (match(pixels[i]!, pixels[i + 1]!, pixels[i + 2]!)) count += 1;
  return count / (pixels.length / 4);
}

/** The share of pixels that differ by more than `threshold` in some channel. */
export function changedShare(before: Buffer, after: Buffer, threshold = 24): number {
  let count = 0;
  for (let i = 0; i < Math.min(before.length, after.length); i += 4) {
    if ([0, 1, 2].some((c) => Math.abs(before[i + c]! - after[i + c]!) > threshold)) count += 1;
  }
  return count / (before.length / 4);
}

/** Where this run's screenshots go: STUDIO_SCREENSHOTS_DIR (npm run studio:screenshots), else the run's scratch folder. */
export function screenshotDir(): string {
  const dir = resolve(process.env.STUDIO_SCREENSHOTS_DIR ?? join(process.env.TMPDIR ?? '/tmp', 'studio-screenshots'));
  mkdirSync(dir, { recursive: true });
  return dir;
}
