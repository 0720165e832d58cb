import type { Operation } from 'fast-json-patch';
import type { EntityManager } from 'typeorm';
import type { DesignState } from '../domain/design-state';

export interface SnapshotRecord {
  id: string;
  designId: string;
  revision: number;
  state: DesignState;
  createdAt: Date;
  /** The version this snapshot is the state of (one snapshot per version); null for a render's or an export's. */
  versionId: string | null;
}

export interface AutosaveRecord {
  designId: string;
  /** 1, 2, 3... per design, assigned by the store. */
  number: number;
  revision: number;
  state: DesignState;
  /** From the previous autosave's state; null for the first. */
  diff: Operation[] | null;
  /** Whose change the autosave saved (the author of the revision it holds); null when unknown. */
  userId: string | null;
  createdAt: Date;
  expiresAt: Date;
}

/** A finished render that equal requests can share: the same hash gives the same image. */
export interface RenderCacheEntry {
  renderHash: string;
  fileKey: string;
  width: number;
  height: number;
  format: string;
  createdAt: Date;
  expiresAt: Date;
  /** Lookups that found the entry, and the last of them (null before the first). */
  hitCount: number;
  lastAccessed: Date | null;
}

export interface AutosavePage {
  rows: AutosaveRecord[];
  totalCount: number;
  hasNextPage: boolean;
}

/**
 * Where full design states live (version snapshots, autosaves), and the render cache. PostgreSQL is the default adapter; MongoDB is used when MONGODB_URL is set. Both pass the
 * same contract tests (test/snapshot-store.contract.ts). Expired autosaves are never returned, even
 * before they are removed.
 */
export interface SnapshotStore {
  readonly name: string;
  /**
   * This store as seen from a transaction: PostgreSQL writes join it, so a rollback leaves no orphan.
   * MongoDB cannot join it: its writes are idempotent (keyed by id), and states nothing refers to are
   * removed by the clean-up.
   */
  within(manager: EntityManager): SnapshotStore;
  saveSnapshot(snapshot: SnapshotRecord): Promise<void>;
  getSnapshots(ids: readonly string[]): Promise<SnapshotRecord[]>;
  /** For states kept only while a render or export needs them; version snapshots are never deleted. */
  deleteSnapshots(ids: readonly string[]): Promise<void>;
  /** Snapshots written in [from, to), oldest first: what the orphan clean-up checks. */
  snapshotIdsWritten(from: Date, to: Date, limit: number): Promise<string[]>;
  saveAutosave(autosave: Omit<AutosaveRecord, 'number'>): Promise<AutosaveRecord>;
  latestAutosave(designId: string, now: Date): Promise<AutosaveRecord | null>;
  getAutosave(designId: string, number: number, now: Date): Promise<AutosaveRecord | null>;
  /** Newest first; `beforeNumber` continues a page. */
  pageAutosaves(designId: string, first: number, beforeNumber: number | null, now: Date): Promise<AutosavePage>;
  deleteExpiredAutosaves(now: Date): Promise<number>;
  /** Null when missing or expired; a hit counts (hitCount, lastAccessed at `now`). */
  getRenderCache(renderHash: string, now: Date): Promise<RenderCacheEntry | null>;
  /** The first entry for a hash stays; a later one for the same hash changes nothing. */
  putRenderCache(entry: Omit<RenderCacheEntry, 'hitCount' | 'lastAccessed'>): Promise<void>;
  deleteExpiredRenderCache(now: Date): Promise<number>;
  close(): Promise<void>;
}
