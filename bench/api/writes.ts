import { jsonHeaders, type BenchUser } from './client';
import { formatCpu, metered, SERVERS, type CpuMeter } from './cpu';
import { closedLoop, type LoadResult, type Target } from './load';
import { perRequest, type PerRequest } from './metrics';
import { ADD_LAYER, CREATE_DESIGN, UPDATE_LAYER } from './queries';
import type { Seed } from './seed';
import type { Settings } from './settings';

export interface WriteRun {
  name: string;
  editors: number;
  result: LoadResult;
  perMutation: PerRequest;
}

/** Layers addLayer puts in one design before moving to the next (the enterprise limit is 500). */
export const LAYERS_PER_ADD_TARGET = 480;

/**
 * Each editor is one autocannon instance with one connection of its own (its token, its layer, a new
 * opacity each time): autocannon's per-request context is reset after every request, so a single
 * instance cannot keep who is who. Closed loop: an editor sends its next change when the last is answered.
 */
function editorTarget(url: string, user: BenchUser, body: () => string): Target {
  return { url, headers: jsonHeaders(user), body, connections: 1 };
}

function updateLayerBody(layerId: string): () => string {
  let opacity = 0;
  return () => JSON.stringify({ query: UPDATE_LAYER, variables: { id: layerId, opacity: (opacity = (opacity + 7) % 101) } });
}

function addLayerBody(designIds: string[]): () => string {
  let added = 0;
  return () =>
    JSON.stringify({
      query: ADD_LAYER,
      variables: { designId: designIds[Math.min(designIds.length - 1, Math.floor(added++ / LAYERS_PER_ADD_TARGET))] },
    });
}

function createDesignBody(editor: number): () => string {
  let created = 0;
  return () => JSON.stringify({ query: CREATE_DESIGN, variables: { name: `bench ${editor + 1}.${++created}` } });
}

const fmt = (r: LoadResult) => {
  const conflicts = r.errors.CONFLICT ?? 0;
  const others = Object.entries(r.errors).filter(([code]) => code !== 'CONFLICT');
  return (
    `${r.rps.toFixed(0)}/s, p50 ${r.p50.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms, CONFLICT ${conflicts}, other errors ${others.length ? JSON.stringify(Object.fromEntries(others)) : 0}` +
    (r.othersCpu != null ? ` [others ${r.othersCpu}% CPU; CPU ms per mutation: server ${formatCpu(r.cpuPerRequest)} PostgreSQL]` : '')
  );
};

export async function measureWrites(designUrl: string, seed: Seed, settings: Settings, meter: CpuMeter): Promise<WriteRun[]> {
  const scenarios: { name: string; targets: Target[] }[] = [
    {
      name: 'updateLayer, 16 editors on 16 designs',
      targets: seed.editors.map((e) => editorTarget(designUrl, e.user, updateLayerBody(e.layerId))),
    },
    {
      name: 'updateLayer, 16 editors on one design',
      targets: seed.shared.editors.map((e) => editorTarget(designUrl, e.user, updateLayerBody(e.layerId))),
    },
    {
      name: 'addLayer, 16 editors on their own designs',
      targets: seed.editors.map((e, i) => editorTarget(designUrl, e.user, addLayerBody(seed.addTargets[i]!))),
    },
    {
      name: 'createDesign, 16 users',
      targets: seed.editors.map((e, i) => editorTarget(designUrl, e.user, createDesignBody(i))),
    },
  ];
  const runs: WriteRun[] = [];
  for (const { name, targets } of scenarios) {
    const first = targets[0]!;
    const perMutation = await perRequest(designUrl, settings.statementSamples, async () => {
      const body = typeof first.body === 'string' ? first.body : first.body();
      const response = await fetch(designUrl, { method: 'POST', headers: first.headers, body });
      const text = await response.text();
      if (text.includes('"errors"')) throw new Error(`${name}: ${text.slice(0, 300)}`);
    });
    await closedLoop(targets, settings.warmupSeconds);
    const result = await metered(meter, () => closedLoop(targets, settings.seconds), SERVERS.design);
    runs.push({ name, editors: targets.length, result, perMutation });
    console.log(
      `  ${name}: ${fmt(result)}; ${perMutation.statements} SQL statements and ${perMutation.upstream} subgraph requests per mutation`,
    );
  }
  return runs;
}
