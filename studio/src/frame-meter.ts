/**
 * Frame time as the page sees it: a rolling average of the intervals between consecutive
 * requestAnimationFrame callbacks that drew (what the screen gets) and of the draw call itself
 * (what the scene costs the CPU side). Shown in a corner and read by the tests (`studio.frameStats()`).
 */
export class FrameMeter {
  private intervals: number[] = [];
  private draws: number[] = [];
  private lastFrameAt: number | null = null;

  constructor(
    private readonly element: HTMLElement,
    private readonly window = 60,
  ) {}

  /** A frame drew at `at` (rAF time) taking `drawMs`; `consecutive` when the previous frame drew too. */
  record(at: number, drawMs: number, consecutive: boolean): void {
    if (consecutive && this.lastFrameAt !== null) push(this.intervals, at - this.lastFrameAt, this.window);
    this.lastFrameAt = at;
    push(this.draws, drawMs, this.window);
    this.show();
  }

  stats(): { frameMs: number | null; fps: number | null; drawMs: number | null; samples: number } {
    const frameMs = mean(this.intervals);
    return { frameMs, fps: frameMs ? 1000 / frameMs : null, drawMs: mean(this.draws), samples: this.intervals.length };
  }

  private show(): void {
    const { frameMs, fps, drawMs } = this.stats();
    const frame = frameMs === null ? 'frame –' : `frame ${frameMs.toFixed(1)} ms (${fps!.toFixed(0)} fps)`;
    this.element.textContent = `${frame} · draw ${drawMs?.toFixed(1) ?? '–'} ms`;
  }
}

function push(values: number[], value: number, max: number): void {
  values.push(value);
  if (values.length > max) values.shift();
}

function mean(values: number[]): number | null {
  return values.length ? values.reduce((a, b) => a + b, 0) / values.length : null;
}
