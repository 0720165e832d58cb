import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { BackgroundType, LightingPreset, RenderQuality } from './enums';
import type { Vec3 } from './layer.entity';

export interface Camera {
  position: Vec3;
  target: Vec3;
  fov: number;
}
export interface Lighting {
  preset: LightingPreset;
  intensity: number;
}
export interface Background {
  type: BackgroundType;
  value: string;
}

@Entity('canvas_settings')
export class CanvasSettingsEntity {
  @PrimaryColumn('uuid', { name: 'design_id' }) designId!: string;
  @Column('jsonb') camera!: Camera;
  @Column('jsonb') lighting!: Lighting;
  @Column('jsonb') background!: Background;
  @Column('boolean', { name: 'show_grid' }) showGrid!: boolean;
  @Column('boolean', { name: 'show_guides' }) showGuides!: boolean;
  @Column('boolean', { name: 'snap_to_grid' }) snapToGrid!: boolean;
  @Column('double precision', { name: 'grid_size' }) gridSize!: number;
  @Column('text', { name: 'render_quality' }) renderQuality!: RenderQuality;
  @Column('boolean') antialiasing!: boolean;
  @Column('boolean') shadows!: boolean;
  @Column('boolean', { name: 'ambient_occlusion' }) ambientOcclusion!: boolean;
}
