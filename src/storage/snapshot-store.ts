import type { Operation } from 'fast-json-patch';
import type { DesignState } from '../services/state/design-state';

export interface SnapshotRecord {
  id: string;
  designId: string;
  revision: number;
  state: DesignState;
  createdAt: Date;
}

export interface AutosaveRecord {
  designId: string;
  /** 1, 2, 3... per design, assigned by the store. */
  number: number;
  revision: number;
  state: DesignState;
  /** From the previous autosave's state; null for the first. */
  diff: Operation[] | null;
  createdAt: Date;
  expiresAt: Date;
}

export interface AutosavePage {
  rows: AutosaveRecord[];
  totalCount: number;
  hasNextPage: boolean;
}

/**
 * Where full design states live: version snapshots and autosaves (renders add their cache here
 * next). PostgreSQL is the default adapter; MongoDB is used when MONGODB_URL is set. Both pass the
 * same contract tests (test/snapshot-store.contract.ts). Expired autosaves are never returned, even
 * before they are removed.
 */
export interface SnapshotStore {
  readonly name: string;
  saveSnapshot(snapshot: SnapshotRecord): Promise<void>;
  getSnapshots(ids: readonly string[]): Promise<SnapshotRecord[]>;
  saveAutosave(autosave: Omit<AutosaveRecord, 'number'>): Promise<AutosaveRecord>;
  latestAutosave(designId: string, now: Date): Promise<AutosaveRecord | null>;
  getAutosave(designId: string, number: number, now: Date): Promise<AutosaveRecord | null>;
  /** Newest first; `beforeNumber` continues a page. */
  pageAutosaves(designId: string, first: number, beforeNumber: number | null, now: Date): Promise<AutosavePage>;
  deleteExpiredAutosaves(now: Date): Promise<number>;
  close(): Promise<void>;
}
