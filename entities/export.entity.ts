import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { ExportSources } from '../src/render/scene-input';

export enum ExportType {
  IMAGE = 'IMAGE',
  VIDEO = 'VIDEO',
  MODEL = 'MODEL',
  TECHPACK = 'TECHPACK',
}
export enum ExportFormat {
  PNG = 'PNG',
  JPEG = 'JPEG',
  WEBP = 'WEBP',
  MP4 = 'MP4',
  WEBM = 'WEBM',
  GIF = 'GIF',
  GLB = 'GLB',
  GLTF = 'GLTF',
  OBJ = 'OBJ',
  PDF = 'PDF',
}
export enum ExportStatus {
  QUEUED = 'QUEUED',
  PROCESSING = 'PROCESSING',
  COMPLETED = 'COMPLETED',
  FAILED = 'FAILED',
  CANCELLED = 'CANCELLED',
}

/** Statuses after which an export changes no more (unless retried). */
export const FINAL_EXPORT_STATUSES: ReadonlySet<ExportStatus> = new Set([
  ExportStatus.COMPLETED,
  ExportStatus.FAILED,
  ExportStatus.CANCELLED,
]);

@Entity('exports')
export class ExportEntity {
  @PrimaryColumn('uuid') id!: string;
  @Column('uuid', { name: 'design_id' }) designId!: string;
  @Column('uuid', { name: 'requested_by' }) requestedBy!: string;
  @Column('text') type!: ExportType;
  @Column('text') format!: ExportFormat;
  @Column('text') status!: ExportStatus;
  /** 0 to 100, never decreasing within one attempt. */
  @Column('smallint') progress!: number;
  @Column('jsonb') options!: Record<string, unknown>;
  /** The version exported; null: the state at `revision`. */
  @Column('int', { nullable: true }) version!: number | null;
  @Column('int') revision!: number;
  /** Where the file lives in file storage while it is kept. */
  @Column('text', { name: 'file_key', nullable: true }) fileKey!: string | null;
  @Column('text', { name: 'file_name', nullable: true }) fileName!: string | null;
  @Column('bigint', { name: 'file_size', nullable: true, transformer: { to: (v) => v, from: (v) => (v === null ? null : Number(v)) } })
  fileSize!: number | null;
  @Column('text', { nullable: true }) error!: string | null;
  @Column('int', { name: 'retry_count' }) retryCount!: number;
  /** How often the reconciler queued this run's job again after Redis lost it. */
  @Column('int', { name: 'requeue_count' }) requeueCount!: number;
  @Column('timestamptz', { name: 'created_at' }) createdAt!: Date;
  /** When the current run's job was last queued: by exportDesign, retryExport or the reconciler. */
  @Column('timestamptz', { name: 'queued_at' }) queuedAt!: Date;
  @Column('timestamptz', { name: 'started_at', nullable: true }) startedAt!: Date | null;
  @Column('timestamptz', { name: 'completed_at', nullable: true }) completedAt!: Date | null;
  /** Until when the file (COMPLETED) or the chance of a retry (FAILED, CANCELLED) is kept. */
  @Column('timestamptz', { name: 'expires_at', nullable: true }) expiresAt!: Date | null;
  /** The state it was made from is still in the snapshot store. */
  @Column('boolean', { name: 'state_kept' }) stateKept!: boolean;
  /** The avatar and catalog data it was asked with (null on exports made before they were kept). */
  @Column('jsonb', { nullable: true }) sources!: ExportSources | null;
}

/** Files, and the chance to retry, are kept this long after an export ends. */
export const EXPORT_KEEP_MS = 7 * 24 * 3600 * 1000;

/** The fields of an export that ends now with `status`. */
export function ended(status: ExportStatus.COMPLETED | ExportStatus.FAILED | ExportStatus.CANCELLED, now = new Date()) {
  return { status, completedAt: now, expiresAt: new Date(now.getTime() + EXPORT_KEEP_MS) };
}
