import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import type { LoadResult } from './load';
import { formatCpu } from './cpu';
import type { ReadResults } from './reads';
import type { Settings } from './settings';
import type { WriteRun } from './writes';

export interface Machine {
  cpu: string;
  cores: number;
  memoryGiB: number;
  node: string;
  postgres: string;
  /** 1-minute load average before the stack started, before the measured runs and at the end. */
  load: { start: number; measuring: number; end: number };
  /** The share of the machine's CPU other processes took during the measured runs (cpu.ts), mean and highest, in %. */
  othersCpu: { mean: number; max: number } | null;
}

export interface TargetCheck {
  target: string;
  value: string;
  pass: boolean;
}

export interface Results {
  date: string;
  label: string | null;
  machine: Machine;
  settings: Settings;
  reads: ReadResults;
  writes: WriteRun[];
  targets: TargetCheck[];
}

/** Mean and highest othersCpu over every measured run. */
export function othersCpuOver(reads: ReadResults, writes: WriteRun[]): Machine['othersCpu'] {
  const all = [
    ...reads.runs.flatMap((r) => [r.ours, r.postgraphile]),
    reads.gateway16,
    reads.gatewayIdentical16,
    ...writes.map((w) => w.result),
  ].flatMap((r) => (r.othersCpu == null ? [] : [r.othersCpu]));
  if (!all.length) return null;
  return { mean: Math.round((all.reduce((a, b) => a + b, 0) / all.length) * 10) / 10, max: Math.max(...all) };
}

export async function describeMachine(databaseUrl: string, load: Machine['load'], othersCpu: Machine['othersCpu']): Promise<Machine> {
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    const { rows } = await db.query<{ version: string }>('SELECT version()');
    return {
      cpu: cpus()[0]?.model ?? 'unknown',
      cores: cpus().length,
      memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
      node: process.version,
      postgres: rows[0]!.version,
      load,
      othersCpu,
    };
  } finally {
    await db.end();
  }
}

const run = (reads: ReadResults, load: string) => {
  const found = reads.runs.find((r) => r.load === load);
  if (!found) throw new Error(`no read run "${load}"`);
  return found;
};

/** The targets issue 12 is judged against, each with the measured value. */
export function checkTargets(reads: ReadResults, writes: WriteRun[]): TargetCheck[] {
  const c16 = run(reads, '16 conn');
  const c64 = run(reads, '64 conn');
  const rate = run(reads, '200 req/s');
  const write = (prefix: string) => writes.find((w) => w.name.startsWith(prefix))!.result;
  const spread = write('updateLayer, 16 editors on 16');
  const one = write('updateLayer, 16 editors on one');
  const s = reads.statements;
  const ratio = c16.ours.rps / c16.postgraphile.rps;
  return [
    {
      target: 'reads ≥ 1.5× PostGraphile req/s at 16 connections',
      value: `${ratio.toFixed(2)}× (${c16.ours.rps.toFixed(0)} vs ${c16.postgraphile.rps.toFixed(0)})`,
      pass: ratio >= 1.5,
    },
    {
      target: "p99 at 64 connections ≤ PostGraphile's",
      value: `${c64.ours.p99.toFixed(1)} vs ${c64.postgraphile.p99.toFixed(1)} ms`,
      pass: c64.ours.p99 <= c64.postgraphile.p99,
    },
    { target: 'p99 at 200 req/s offered < 20 ms', value: `${rate.ours.p99.toFixed(1)} ms`, pass: rate.ours.p99 < 20 },
    {
      target: '≤ 2 SQL statements per design read, whatever its layer count',
      value: `${s.design30.statements} (30 layers), ${s.design200.statements} (200 layers)`,
      pass: Math.max(s.design30.statements, s.design200.statements) <= 2,
    },
    {
      target: 'constant statements for designs(first: 20)',
      value: `${s.designsFirst20.statements} for first: 20, ${s.designsFirst5.statements} for first: 5`,
      pass: s.designsFirst20.statements === s.designsFirst5.statements,
    },
    { target: 'updateLayer ≥ 1,000/s over 16 designs', value: `${spread.rps.toFixed(0)}/s`, pass: spread.rps >= 1000 },
    { target: 'updateLayer ≥ 300/s on one design', value: `${one.rps.toFixed(0)}/s`, pass: one.rps >= 300 },
    { target: 'updateLayer p99 < 50 ms (16 designs)', value: `${spread.p99.toFixed(1)} ms`, pass: spread.p99 < 50 },
    { target: 'updateLayer p99 < 50 ms (one design)', value: `${one.p99.toFixed(1)} ms`, pass: one.p99 < 50 },
  ];
}

const pad = (text: string, width: number) => text.padStart(width);
const errorsOf = (r: LoadResult) => Object.values(r.errors).reduce((a, b) => a + b, 0);
/** The share of the machine other processes took during the run (cpu.ts): above a few %, the figures are noisy. */
const others = (r: LoadResult) => (r.othersCpu == null ? '–' : r.othersCpu.toFixed(0));

/** The tables printed at the end, and kept in bench/README.md (markdown). */
export function tables(results: Results): { console: string; markdown: string } {
  const { reads, writes, targets, machine } = results;
  const lines: string[] = [];
  const md: string[] = [];
  const cells = (r: LoadResult) => [r.rps.toFixed(0), r.p50.toFixed(1), r.p99.toFixed(1)];
  lines.push(
    `${'load'.padEnd(20)} | ${pad('ours req/s', 10)} ${pad('p50', 6)} ${pad('p99', 6)} | ${pad('PostGraphile req/s', 18)} ${pad('p50', 6)} ${pad('p99', 6)} | ${pad('ratio', 12)} | others' CPU %`,
  );
  md.push(
    "| load | ours req/s | p50 ms | p99 ms | PostGraphile req/s | p50 ms | p99 ms | ratio | CPU ms/request, ours / PostGraphile (server + PostgreSQL) | others' CPU % |",
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  );
  for (const { load, ours, postgraphile } of reads.runs) {
    const fixed = load.includes('req/s');
    const ratio = fixed ? `p99 ${(ours.p99 / postgraphile.p99).toFixed(2)}×` : `${(ours.rps / postgraphile.rps).toFixed(2)}×`;
    const flag = errorsOf(ours) + errorsOf(postgraphile) ? ` (errors: ours ${errorsOf(ours)}, PostGraphile ${errorsOf(postgraphile)})` : '';
    const [a, b, c] = cells(ours);
    const [d, e, f] = cells(postgraphile);
    lines.push(
      `${load.padEnd(20)} | ${pad(a!, 10)} ${pad(b!, 6)} ${pad(c!, 6)} | ${pad(d!, 18)} ${pad(e!, 6)} ${pad(f!, 6)} | ${pad(ratio, 12)} | ${others(ours)} / ${others(postgraphile)}${flag}`,
    );
    md.push(
      `| ${load} | ${a} | ${b} | ${c} | ${d} | ${e} | ${f} | ${ratio}${flag} | ${formatCpu(ours.cpuPerRequest)} / ${formatCpu(postgraphile.cpuPerRequest)} | ${others(ours)} / ${others(postgraphile)} |`,
    );
  }
  const g = reads.gateway16;
  const merged = `subgraph operations per answer: ${g.subgraph.operations}`;
  lines.push(
    `${'gateway, 16 conn'.padEnd(20)} | ${pad(g.rps.toFixed(0), 10)} ${pad(g.p50.toFixed(1), 6)} ${pad(g.p99.toFixed(1), 6)} | ${merged.padEnd(32)} | ${pad('', 12)} | ${others(g)}`,
  );
  md.push(
    `| through the gateway, 16 conn | ${g.rps.toFixed(0)} | ${g.p50.toFixed(1)} | ${g.p99.toFixed(1)} | ${merged} | | | | ${formatCpu(g.cpuPerRequest)} (subgraph only) | ${others(g)} |`,
  );

  const s = reads.statements;
  const statements = `SQL statements per read (ours): ${s.design30.statements} (30 layers), ${s.design200.statements} (200 layers), ${s.gateway30.statements} through the gateway; designs(first: 5) ${s.designsFirst5.statements}, designs(first: 20) ${s.designsFirst20.statements}. Answers: ${reads.sizes.ours30} B ours, ${reads.sizes.postgraphile30} B PostGraphile (30 layers).`;
  lines.push('', statements, '');
  md.push('', statements, '');

  lines.push(
    `${'write'.padEnd(42)} | ${pad('ops/s', 7)} ${pad('p50', 6)} ${pad('p99', 6)} | ${pad('CONFLICT', 8)} ${pad('errors', 6)} | ${pad('SQL/op', 6)} | others' CPU %`,
  );
  md.push(
    "| write | ops/s | p50 ms | p99 ms | CONFLICT | other errors | SQL statements per op | CPU ms/op (server + PostgreSQL) | others' CPU % |",
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  );
  for (const { name, result: r, perMutation } of writes) {
    const conflicts = r.errors.CONFLICT ?? 0;
    const failed = errorsOf(r) - conflicts;
    lines.push(
      `${name.padEnd(42)} | ${pad(r.rps.toFixed(0), 7)} ${pad(r.p50.toFixed(1), 6)} ${pad(r.p99.toFixed(1), 6)} | ${pad(String(conflicts), 8)} ${pad(String(failed), 6)} | ${pad(String(perMutation.statements), 6)} | ${others(r)}`,
    );
    md.push(
      `| ${name} | ${r.rps.toFixed(0)} | ${r.p50.toFixed(1)} | ${r.p99.toFixed(1)} | ${conflicts} | ${failed} | ${perMutation.statements} | ${formatCpu(r.cpuPerRequest)} | ${others(r)} |`,
    );
  }

  lines.push('', 'targets:');
  md.push('', '| target | measured | |', '| --- | --- | --- |');
  for (const t of targets) {
    lines.push(`  ${t.pass ? 'PASS' : 'FAIL'}  ${t.target}: ${t.value}`);
    md.push(`| ${t.target} | ${t.value} | ${t.pass ? 'pass' : 'FAIL'} |`);
  }
  const where = `${machine.cores} × ${machine.cpu}, ${machine.memoryGiB} GiB, Node ${machine.node}, ${machine.postgres.split(' on ')[0]}; load average ${machine.load.start} at start, ${machine.load.measuring} when measuring began, ${machine.load.end} at the end${machine.othersCpu ? `; other processes took ${machine.othersCpu.mean}% of the CPU on average during the runs, ${machine.othersCpu.max}% at most` : ''}`;
  lines.push('', `machine: ${where}`);
  md.unshift(
    `${results.date}${results.label ? ` (${results.label})` : ''}, ${results.settings.seconds} s per run after a ${results.settings.warmupSeconds} s warm-up, on ${where}.`,
    '',
  );
  return { console: lines.join('\n'), markdown: md.join('\n') };
}

const BENCH_DIR = join(__dirname, '..', '..', '..', 'bench');
const START = '<!-- bench:api:start (written by npm run bench:api) -->';
const END = '<!-- bench:api:end -->';

/** bench/results/<date>.json (a second run that day: <date>-2.json, …) and the table in bench/README.md. */
export async function save(results: Results, markdown: string): Promise<string> {
  const dir = join(BENCH_DIR, 'results');
  mkdirSync(dir, { recursive: true });
  let file = join(dir, `${results.date}.json`);
  for (let n = 2; existsSync(file); n++) file = join(dir, `${results.date}-${n}.json`);
  // Laid out as `npm run lint` wants it (prettier --check covers JSON).
  const prettier = await import('prettier');
  const options = (await prettier.resolveConfig(file)) ?? {};
  writeFileSync(file, await prettier.format(JSON.stringify(results), { ...options, filepath: file }));

  const readme = join(BENCH_DIR, 'README.md');
  const text = readFileSync(readme, 'utf8');
  const [before, rest] = text.split(START);
  const after = rest?.split(END)[1];
  if (before === undefined || after === undefined) throw new Error(`${readme} has no ${START} … ${END} section`);
  writeFileSync(
    readme,
    `${before}${START}\n\n${markdown}\n\nAll figures: [results/${file.split('/').pop()}](results/${file.split('/').pop()}).\n\n${END}${after}`,
  );
  return file;
}
