import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { SceneSources } from '../src/render/scene-input';

export enum RenderStatus {
  QUEUED = 'QUEUED',
  RENDERING = 'RENDERING',
  COMPLETED = 'COMPLETED',
  FAILED = 'FAILED',
}
export enum ImageFormat {
  PNG = 'PNG',
  JPEG = 'JPEG',
  WEBP = 'WEBP',
}

@Entity('renders')
export class RenderEntity {
  @PrimaryColumn('uuid') id!: string;
  @Column('uuid', { name: 'design_id' }) designId!: string;
  @Column('uuid', { name: 'requested_by' }) requestedBy!: string;
  /** Hash of the design state and the settings: equal hashes give the same image. */
  @Column('text', { name: 'render_hash' }) renderHash!: string;
  @Column('text') status!: RenderStatus;
  @Column('boolean', { name: 'cache_hit' }) cacheHit!: boolean;
  @Column('int') width!: number;
  @Column('int') height!: number;
  @Column('text') format!: ImageFormat;
  @Column('jsonb') settings!: Record<string, unknown>;
  /** The settings a preview uses: 1024², PNG, the canvas quality and camera, opaque. */
  @Column('boolean', { name: 'default_settings' }) defaultSettings!: boolean;
  @Column('int') revision!: number;
  /** The avatar and catalog data the hash covers, kept for the worker (null on renders made before they were kept). */
  @Column('jsonb', { name: 'scene_sources', nullable: true }) sceneSources!: SceneSources | null;
  @Column('text', { name: 'file_key', nullable: true }) fileKey!: string | null;
  @Column('int', { name: 'duration_ms', nullable: true }) durationMs!: number | null;
  @Column('text', { nullable: true }) error!: string | null;
  /** How often the reconciler queued its job again after Redis lost it. */
  @Column('int', { name: 'requeue_count' }) requeueCount!: number;
  @Column('timestamptz', { name: 'created_at' }) createdAt!: Date;
  /** When its job was last queued: at the request, or by the reconciler. */
  @Column('timestamptz', { name: 'queued_at' }) queuedAt!: Date;
  @Column('timestamptz', { name: 'completed_at', nullable: true }) completedAt!: Date | null;
}
