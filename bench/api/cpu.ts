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

function ownTicks(all: Map<number, [number, number]>, backends: Set<number>): number {
  const own = new Set([process.pid, ...backends]);
  for (let grew = true; grew;) {
    grew = false;
    for (const [pid, [parent]] of all) {
      if (own.has(pid) || !own.has(parent)) continue;
      own.add(pid);
      grew = true;
    }
  }
  let ticks = 0;
  for (const pid of own) ticks += all.get(pid)?.[1] ?? 0;
  return ticks;
}

export interface CpuMeter {
  /** Starts a window; its end gives the share of the machine's CPU others used meanwhile, in %. */
  start(): Promise<() => Promise<number | null>>;
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
    const own = await backends();
    return { at: Date.now(), busy: busyTicks(), own: ownTicks(processes(), own) };
  };
  return {
    async start() {
      const first = await sample();
      return async () => {
        const last = await sample();
        const available = ((last.at - first.at) / 1000) * TICKS_PER_SECOND * cpus().length;
        const others = last.busy - first.busy - (last.own - first.own);
        return Math.max(0, Math.round((others / available) * 1000) / 10);
      };
    },
    close: () => db.end(),
  };
}

/** Runs `run` inside a window of the meter: its result with othersCpu, the % of the machine others used meanwhile. */
export async function metered<T extends object>(meter: CpuMeter, run: () => Promise<T>): Promise<T & { othersCpu: number | null }> {
  const stop = await meter.start();
  const result = await run();
  return { ...result, othersCpu: await stop() };
}
