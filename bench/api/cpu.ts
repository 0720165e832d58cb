import { readdirSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { Client } from 'pg';

/**
 * How much of the machine others used while a run measured: CPU time of every process but the bench's
 * own (this process, its children and theirs: the stack and PostGraphile) and the PostgreSQL backends
 * serving the bench's database. The load average cannot tell: the bench itself keeps both cores busy.
 * Linux only (/proc); null elsewhere.
 */
const TICKS_PER_SECOND = 100;

function busyTicks(): number {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = fields;
  return user + nice + system + irq + softirq + steal;
}

/** pid → [parent pid, utime + stime] for every process. */
function processes(): Map<number, [number, number]> {
  const all = new Map<number, [number, number]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // The command name may hold spaces and parentheses: fields are counted after its closing parenthesis.
      const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      all.set(Number(entry), [Number(rest[1]), Number(rest[11]) + Number(rest[12])]);
    } catch {
      // ended meanwhile
    }
  }
  return all;
}

/** The bench's own processes: this one, its descendants (the stack, PostGraphile) and the given PostgreSQL backends. */
function ownPids(all: Map<number, [number, number]>, backends: Set<number>): Set<number> {
  const own = new Set([process.pid, ...backends]);
  for (let grew = true; grew;) {
    grew = false;
    for (const [pid, [parent]] of all) {
      if (own.has(pid) || !own.has(parent)) continue;
      own.add(pid);
      grew = true;
    }
  }
  return own;
}

/** The bench's processes whose command line matches, e.g. the design subgraph's `dist/src/main.js`. */
function matching(pids: Set<number>, pattern: RegExp): number[] {
  return [...pids].filter((pid) => {
    try {
      return pattern.test(readFileSync(`/proc/${pid}/cmdline`, 'utf8'));
    } catch {
      return false;
    }
  });
}

/** CPU milliseconds per request: the server's process, and PostgreSQL's backends. */
export interface CpuPerRequest {
  server: number | null;
  postgres: number | null;
}

/** `server + PostgreSQL` ms, for the printed lines and tables. */
export const formatCpu = (c: CpuPerRequest | null | undefined) =>
  c ? `${c.server === null ? '–' : c.server.toFixed(2)} + ${c.postgres === null ? '–' : c.postgres.toFixed(2)}` : '–';

/** What a window of the meter saw. */
export interface CpuWindow {
  /** % of the machine's CPU that processes other than the bench's used. */
  othersCpu: number;
  /** CPU milliseconds of the server under load (its process) and of the database's PostgreSQL backends. */
  serverMs: number | null;
  postgresMs: number;
}

export interface CpuMeter {
  /** Starts a window; `server` picks, by command line, the process whose CPU time is counted apart. */
  start(server?: RegExp): Promise<() => Promise<CpuWindow | null>>;
  close(): Promise<void>;
}

export async function cpuMeter(databaseUrl: string): Promise<CpuMeter> {
  if (process.platform !== 'linux') return { start: async () => async () => null, close: async () => undefined };
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  const backends = async () =>
    new Set(
      (await db.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = current_database()')).rows.map((r) => r.pid),
    );
  const sample = async () => {
    const pg = await backends();
    const all = processes();
    return { at: Date.now(), busy: busyTicks(), all, own: ownPids(all, pg), pg };
  };
  type Sample = Awaited<ReturnType<typeof sample>>;
  // What these processes used between the samples. A process that ended meanwhile took its figures with
  // it (pools close idle connections): only those alive at the end count, the new ones from zero.
  const used = (first: Sample, last: Sample, pids: Iterable<number>) => {
    let ticks = 0;
    for (const pid of pids) {
      const end = last.all.get(pid)?.[1];
      if (end !== undefined) ticks += end - (first.all.get(pid)?.[1] ?? 0);
    }
    return ticks;
  };
  return {
    async start(server) {
      const first = await sample();
      const serverPids = server ? matching(first.own, server) : [];
      return async () => {
        const last = await sample();
        const available = ((last.at - first.at) / 1000) * TICKS_PER_SECOND * cpus().length;
        const others = last.busy - first.busy - used(first, last, last.own);
        const ms = (ticks: number) => (ticks * 1000) / TICKS_PER_SECOND;
        return {
          othersCpu: Math.max(0, Math.round((others / available) * 1000) / 10),
          serverMs: serverPids.length ? ms(used(first, last, serverPids)) : null,
          postgresMs: ms(used(first, last, last.pg)),
        };
      };
    },
    close: () => db.end(),
  };
}

/** The design subgraph's and PostGraphile's processes, by command line. */
export const SERVERS = { design: /dist\/src\/main\.js/, postgraphile: /postgraphile-server\.js/ } as const;

/**
 * Runs `run` inside a window of the meter: its result with othersCpu, the % of the machine others used
 * meanwhile, and the CPU time per request of `server` and of PostgreSQL.
 */
export async function metered<T extends { requests: number }>(
  meter: CpuMeter,
  run: () => Promise<T>,
  server?: RegExp,
): Promise<T & { othersCpu: number | null; cpuPerRequest: CpuPerRequest | null }> {
  const stop = await meter.start(server);
  const result = await run();
  const window = await stop();
  const per = (ms: number | null) => (ms === null || result.requests === 0 ? null : Math.round((ms / result.requests) * 100) / 100);
  return {
    ...result,
    othersCpu: window?.othersCpu ?? null,
    cpuPerRequest: window ? { server: per(window.serverMs), postgres: per(window.postgresMs) } : null,
  };
}
