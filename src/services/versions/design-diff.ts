import { compare, type Operation } from 'fast-json-patch';
import { sameValue } from '../changes/canonical-hash';
import type { DesignState } from '../../domain/design-state';

export interface DesignDiff {
  fromVersion: number;
  toVersion: number;
  layersAdded: string[];
  layersRemoved: string[];
  layersChanged: { layerId: string; fields: string[] }[];
  layersReordered: boolean;
  canvasChanged: string[];
  designChanged: string[];
  /** RFC 6902: applied to the `from` state it gives the `to` state. */
  patch: Operation[];
}

const differs = (a: unknown, b: unknown) => !sameValue(a, b);

function changedKeys<T extends object>(from: T, to: T): string[] {
  const keys = new Set([...Object.keys(from), ...Object.keys(to)]);
  return [...keys].filter((k) => differs((from as Record<string, unknown>)[k], (to as Record<string, unknown>)[k])).sort();
}

/** What changed between two states: a JSON Patch plus a summary per layer, canvas and design. */
export function diffStates(fromVersion: number, from: DesignState, toVersion: number, to: DesignState): DesignDiff {
  const fromLayers = new Map(from.layers.map((l) => [l.id, l]));
  const toLayers = new Map(to.layers.map((l) => [l.id, l]));
  const kept = to.layers.filter((l) => fromLayers.has(l.id)).map((l) => l.id);
  const keptBefore = from.layers.filter((l) => toLayers.has(l.id)).map((l) => l.id);
  return {
    fromVersion,
    toVersion,
    layersAdded: to.layers.filter((l) => !fromLayers.has(l.id)).map((l) => l.id),
    layersRemoved: from.layers.filter((l) => !toLayers.has(l.id)).map((l) => l.id),
    layersChanged: kept
      .map((id) => {
        // A layer's position is the reordering summary's business, not a change of the layer.
        const { order: _a, ...before } = fromLayers.get(id)!;
        const { order: _b, ...after } = toLayers.get(id)!;
        return { layerId: id, fields: changedKeys(before, after) };
      })
      .filter((c) => c.fields.length > 0),
    layersReordered: differs(kept, keptBefore),
    canvasChanged: changedKeys(from.canvas, to.canvas),
    designChanged: changedKeys(from.design, to.design),
    patch: compare(from, to),
  };
}
