import { isDeepStrictEqual } from 'node:util';
import { signDevelopmentToken } from '../../src/auth/tokens';
import { DEVELOPMENT_JWT_SECRET } from '../../src/config';
import { call, jsonHeaders, type BenchUser } from './client';
import { closedLoop, openLoop, autocannonRate, type LoadResult, type Target } from './load';
import { formatCpu, metered, SERVERS, type CpuMeter } from './cpu';
import { perRequest, readCounters, underLoad, type PerRequest, type UnderLoad } from './metrics';
import { OUR_LIST, OUR_READ, POSTGRAPHILE_READ, summarizeOurs, summarizePostGraphile } from './queries';
import type { Seed } from './seed';
import type { Settings } from './settings';

export interface ReadRun {
  load: string;
  ours: LoadResult & { subgraph: UnderLoad };
  postgraphile: LoadResult;
}

export interface ReadResults {
  /** Answer sizes in bytes. */
  sizes: Record<'ours30' | 'postgraphile30' | 'ours200' | 'postgraphile200', number>;
  statements: {
    design30: PerRequest;
    design200: PerRequest;
    gateway30: PerRequest;
    designsFirst5: PerRequest;
    designsFirst20: PerRequest;
    /** Statements the subgraph ran over 2 s with no request: what the other figures may carry besides. */
    idle: number;
  };
  runs: ReadRun[];
  /** autocannon's overallRate at 200 req/s over 16 connections: bursts at each second's start (see load.ts). */
  autocannonRate200: { ours: LoadResult; postgraphile: LoadResult };
  /** 16 connections, each with a request of its own. */
  gateway16: LoadResult & { subgraph: UnderLoad };
  /** 16 connections sending the same request: the gateway answers several with one subgraph request. */
  gatewayIdentical16: LoadResult & { subgraph: UnderLoad };
}

const body = (query: string, variables: Record<string, unknown>) => JSON.stringify({ query, variables });

/** Both servers must answer the same data (layer ids in the same order, same groups, collaborators, canvas) before anything is measured. */
async function sameAnswers(ours: string, postgraphile: string, seed: Seed, designId: string) {
  const a = await call(ours, seed.reader, OUR_READ, { id: designId });
  const b = await call(postgraphile, null, POSTGRAPHILE_READ, { id: designId });
  const [x, y] = [summarizeOurs(a.text), summarizePostGraphile(b.text)];
  if (!isDeepStrictEqual(x, y)) throw new Error(`ours and PostGraphile differ on ${designId}:\n${JSON.stringify(x)}\n${JSON.stringify(y)}`);
  return { ours: Buffer.byteLength(a.text), postgraphile: Buffer.byteLength(b.text), layers: x.layerIds.length };
}

const fmt = (r: LoadResult) =>
  `${r.rps.toFixed(0)} req/s, p50 ${r.p50.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms${Object.keys(r.errors).length ? `, errors ${JSON.stringify(r.errors)}` : ''}` +
  (r.othersCpu != null ? ` [others ${r.othersCpu}% CPU; CPU ms per request: server ${formatCpu(r.cpuPerRequest)} PostgreSQL]` : '');

export async function measureReads(
  urls: { design: string; gateway: string; postgraphile: string },
  seed: Seed,
  settings: Settings,
  meter: CpuMeter,
): Promise<ReadResults> {
  const log = (line: string) => console.log(`  ${line}`);
  const s30 = await sameAnswers(urls.design, urls.postgraphile, seed, seed.design30);
  const s200 = await sameAnswers(urls.design, urls.postgraphile, seed, seed.design200);
  log(`same data from both: ${s30.layers} and ${s200.layers} layers in the same order, same groups, collaborators and canvas`);
  log(
    `answer sizes: 30 layers ours ${s30.ours} B, PostGraphile ${s30.postgraphile} B; 200 layers ours ${s200.ours} B, PostGraphile ${s200.postgraphile} B`,
  );

  const reader = (user: BenchUser, url: string, query: string, designId: string): Omit<Target, 'connections'> => ({
    url,
    headers: jsonHeaders(user),
    body: body(query, { id: designId }),
  });
  const ours30 = reader(seed.reader, urls.design, OUR_READ, seed.design30);
  const ours200 = reader(seed.reader, urls.design, OUR_READ, seed.design200);
  const gateway30 = reader(seed.reader, urls.gateway, OUR_READ, seed.design30);
  const pg30 = { url: urls.postgraphile, headers: jsonHeaders(null), body: body(POSTGRAPHILE_READ, { id: seed.design30 }) };
  const pg200 = { url: urls.postgraphile, headers: jsonHeaders(null), body: body(POSTGRAPHILE_READ, { id: seed.design200 }) };

  const idleBefore = await readCounters(urls.design);
  await new Promise((r) => setTimeout(r, 2000));
  const idle = (await readCounters(urls.design)).sql - idleBefore.sql;
  const n = settings.statementSamples;
  const once = (url: string, query: string, variables: Record<string, unknown>) => async () =>
    void (await call(url, seed.reader, query, variables));
  const statements = {
    design30: await perRequest(urls.design, n, once(urls.design, OUR_READ, { id: seed.design30 })),
    design200: await perRequest(urls.design, n, once(urls.design, OUR_READ, { id: seed.design200 })),
    gateway30: await perRequest(urls.design, n, once(urls.gateway, OUR_READ, { id: seed.design30 })),
    designsFirst5: await perRequest(urls.design, n, once(urls.design, OUR_LIST, { first: 5 })),
    designsFirst20: await perRequest(urls.design, n, once(urls.design, OUR_LIST, { first: 20 })),
    idle,
  };
  log(
    `SQL statements per read (ours, ${n} reads each): 30 layers ${statements.design30.statements}, 200 layers ${statements.design200.statements}, ` +
      `through the gateway ${statements.gateway30.statements}; designs(first: 5) ${statements.designsFirst5.statements}, designs(first: 20) ${statements.designsFirst20.statements}; ` +
      `${idle} while idle for 2 s`,
  );
  log(
    `catalog/avatar subgraph requests per read: ${statements.design30.upstream} (30 layers), ${statements.design200.upstream} (200 layers)` +
      (statements.design30.upstream > 0
        ? ': catalogItem { id } calls the catalog subgraph'
        : ': catalogItem { id } needs no other subgraph'),
  );

  const seconds = settings.seconds;
  log(`warm-up: ${settings.warmupSeconds} s at 16 connections on each`);
  await closedLoop([{ ...ours30, connections: 16 }], settings.warmupSeconds);
  await closedLoop([{ ...pg30, connections: 16 }], settings.warmupSeconds);

  // Ours and PostGraphile one after the other at each level, so that a change of background load hits both.
  const runs: ReadRun[] = [];
  const pair = async (load: string, run: (target: Omit<Target, 'connections'>) => Promise<LoadResult>, a = ours30, b = pg30) => {
    const ours = await metered(meter, () => underLoad(urls.design, () => run(a)), SERVERS.design);
    const postgraphile = await metered(meter, () => run(b), SERVERS.postgraphile);
    runs.push({ load, ours, postgraphile });
    log(`${load}: ours ${fmt(ours)} (${ours.subgraph.statements} SQL/answer) | PostGraphile ${fmt(postgraphile)}`);
  };
  for (const connections of [1, 16, 64]) await pair(`${connections} conn`, (t) => closedLoop([{ ...t, connections }], seconds));
  await pair('200 layers, 16 conn', (t) => closedLoop([{ ...t, connections: 16 }], seconds), ours200, pg200);
  await pair('200 req/s', (t) => openLoop(t, 200, seconds));
  const acOurs = await metered(meter, () => autocannonRate(ours30, 200, 16, seconds), SERVERS.design);
  const acPg = await metered(meter, () => autocannonRate(pg30, 200, 16, seconds), SERVERS.postgraphile);
  log(`autocannon overallRate 200 over 16 connections (bursty): ours ${fmt(acOurs)} | PostGraphile ${fmt(acPg)}`);

  // The gateway merges identical requests in flight (same document, variables and headers), in and out:
  // each connection carries a token of its own for the same reader (16 sessions), so that every answer
  // is a read of the subgraph's.
  const gatewayTargets = await Promise.all(
    Array.from({ length: 16 }, async (_, i) => ({
      ...gateway30,
      headers: jsonHeaders({
        ...seed.reader,
        token: await signDevelopmentToken(DEVELOPMENT_JWT_SECRET, seed.reader.id, 'enterprise', `${720 + i}m`),
      }),
      connections: 1,
    })),
  );
  await closedLoop(gatewayTargets, settings.warmupSeconds);
  const gateway16 = await metered(meter, () => underLoad(urls.design, () => closedLoop(gatewayTargets, seconds)), SERVERS.design);
  log(`through the gateway, 16 conn: ours ${fmt(gateway16)}; ${gateway16.subgraph.operations} subgraph operations per answer`);
  const gatewayIdentical = await metered(meter, () =>
    underLoad(urls.design, () => closedLoop([{ ...gateway30, connections: 16 }], seconds)),
  );
  log(
    `through the gateway, 16 conn all sending the same request: ${fmt(gatewayIdentical)}; ${gatewayIdentical.subgraph.operations} subgraph operations per answer (merged in flight)`,
  );

  return {
    sizes: { ours30: s30.ours, postgraphile30: s30.postgraphile, ours200: s200.ours, postgraphile200: s200.postgraphile },
    statements,
    runs,
    autocannonRate200: { ours: acOurs, postgraphile: acPg },
    gateway16,
    gatewayIdentical16: gatewayIdentical,
  };
}
