import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';

export interface Settings {
  /** Per measured run (BENCH_SECONDS or --seconds; 10). */
  seconds: number;
  /** Before each server's (and each write's) runs (BENCH_WARMUP_SECONDS or --warmup; 3). */
  warmupSeconds: number;
  /** Requests one after the other for statements per request (BENCH_STATEMENT_SAMPLES; 50). */
  statementSamples: number;
  /** Waits up to this long before starting for the 1-minute load average to fall below idleLoad (BENCH_WAIT_SECONDS or --wait; 600, 0 not at all). */
  waitSeconds: number;
  idleLoad: number;
  /** Written beside the figures in the results file (BENCH_LABEL or --label), e.g. "before". */
  label: string | null;
  /** bench/results and bench/README.md are written unless --no-save (or BENCH_SAVE=false). */
  save: boolean;
  /** --only reads or --only writes: one half, for a quick look or a profile (never saved). */
  only: 'reads' | 'writes' | null;
}

export function readSettings(argv = process.argv.slice(2), env = process.env): Settings {
  const { values } = parseArgs({
    args: argv,
    options: {
      seconds: { type: 'string' },
      warmup: { type: 'string' },
      wait: { type: 'string' },
      label: { type: 'string' },
      'no-save': { type: 'boolean', default: false },
      only: { type: 'string' },
    },
  });
  const number = (value: string | undefined, name: string, fallback: number) => {
    if (value === undefined || value === '') return fallback;
    const n = Number(value);
    if (!Number.isFinite(n) || n < 0) throw new Error(`${name} must be a number ≥ 0, not "${value}"`);
    return n;
  };
  const only = values.only ?? null;
  if (only !== null && only !== 'reads' && only !== 'writes') throw new Error(`--only takes reads or writes, not "${only}"`);
  return {
    seconds: Math.max(1, number(values.seconds ?? env.BENCH_SECONDS, 'BENCH_SECONDS', 10)),
    warmupSeconds: number(values.warmup ?? env.BENCH_WARMUP_SECONDS, 'BENCH_WARMUP_SECONDS', 3),
    statementSamples: Math.max(1, Math.round(number(env.BENCH_STATEMENT_SAMPLES, 'BENCH_STATEMENT_SAMPLES', 50))),
    waitSeconds: number(values.wait ?? env.BENCH_WAIT_SECONDS, 'BENCH_WAIT_SECONDS', 600),
    idleLoad: number(env.BENCH_IDLE_LOAD, 'BENCH_IDLE_LOAD', 1.5),
    label: values.label ?? env.BENCH_LABEL ?? null,
    save: !values['no-save'] && env.BENCH_SAVE !== 'false' && only === null,
    only,
  };
}

/** The 1-minute load average, two decimals. */
export const loadAverage = () => Math.round(loadavg()[0]! * 100) / 100;

/** Waits (checking every 15 s) until the 1-minute load average is below `idle`, at most `seconds`; returns the load it started with. */
export async function waitForQuiet(idle: number, seconds: number): Promise<number> {
  const deadline = Date.now() + seconds * 1000;
  while (loadAverage() >= idle && Date.now() < deadline) {
    console.log(`load average ${loadAverage()} ≥ ${idle}: waiting (up to ${Math.round((deadline - Date.now()) / 1000)} s more)`);
    await new Promise((r) => setTimeout(r, Math.min(15_000, Math.max(0, deadline - Date.now()))));
  }
  return loadAverage();
}
