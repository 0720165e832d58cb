import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { BlendMode, LayerType } from './enums';

/** What a jsonb column holds. */
export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

export interface Vec3 {
  x: number;
  y: number;
  z: number;
}
export interface Transform {
  position: Vec3;
  rotation: Vec3;
  scale: Vec3;
}
export interface LayerCustomization {
  color: string | null;
  materialItemId: string | null;
  textureScale: number;
  roughness: number | null;
  metalness: number | null;
  extra: Json;
}

@Entity('layers')
export class LayerEntity {
  @PrimaryColumn('uuid') id!: string;
  @Column('uuid', { name: 'design_id' }) designId!: string;
  @Column('uuid', { name: 'group_id', nullable: true }) groupId!: string | null;
  @Column('text') type!: LayerType;
  @Column('text', { nullable: true }) name!: string | null;
  /** 0 = bottom; always 0..n-1 within a design. */
  @Column('int', { name: 'position' }) order!: number;
  @Column('text', { name: 'catalog_item_id' }) catalogItemId!: string;
  @Column('jsonb') transform!: Transform;
  @Column('jsonb') customization!: LayerCustomization;
  @Column('boolean') visible!: boolean;
  @Column('boolean') locked!: boolean;
  @Column('text', { name: 'blend_mode' }) blendMode!: BlendMode;
  @Column('smallint') opacity!: number;
  @Column('text', { nullable: true }) notes!: string | null;
  @Column('text', { name: 'creation_hash' }) creationHash!: string;
  @Column('timestamptz', { name: 'created_at' }) createdAt!: Date;
  @Column('timestamptz', { name: 'updated_at' }) updatedAt!: Date;
}
