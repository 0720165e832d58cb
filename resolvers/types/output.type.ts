import { Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { Directive, Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Design } from './design.type';
import { ExportFormat, ExportStatus, ExportType } from '../../entities/export.entity';
import { ImageFormat, RenderStatus } from '../../entities/render.entity';
import { TEXT_MAX } from '../../src/domain/text-limits';
import { CameraInput } from './canvas.type';
import { RenderQuality } from './enums';
import { connectionOf } from './page.type';
import { DateTimeScalar } from './scalars';

registerEnumType(ImageFormat, { name: 'ImageFormat' });
registerEnumType(RenderStatus, { name: 'RenderStatus' });
registerEnumType(ExportType, { name: 'ExportType' });
registerEnumType(ExportFormat, { name: 'ExportFormat' });
registerEnumType(ExportStatus, { name: 'ExportStatus' });

@InputType()
export class RenderSettingsInput {
  @Min(16) @Max(4096) @Field(() => Int, { nullable: true, defaultValue: 1024, description: '16 to 4096.' }) width?: number;
  @Min(16) @Max(4096) @Field(() => Int, { nullable: true, defaultValue: 1024, description: '16 to 4096.' }) height?: number;
  @Field(() => ImageFormat, { nullable: true, defaultValue: ImageFormat.PNG }) format?: ImageFormat;
  @Field(() => RenderQuality, { nullable: true, description: "Default: the design's canvas renderQuality." }) quality?: RenderQuality;
  @ValidateNested()
  @Field(() => CameraInput, { nullable: true, description: 'Overrides the canvas camera for this render only.' })
  camera?: CameraInput;
  @Field(() => Boolean, { nullable: true, defaultValue: false }) transparentBackground?: boolean;
}

@ObjectType({ simpleResolvers: true })
export class Render {
  @Field(() => ID) id!: string;
  @Field(() => RenderStatus) status!: RenderStatus;
  @Field({ description: 'Hash of the design state and the render settings; equal hashes give the same image.' }) renderHash!: string;
  @Field({ description: 'True when the result came from the render cache without rendering again.' }) cacheHit!: boolean;
  @Field(() => String, { nullable: true }) imageUrl!: string | null;
  @Field(() => Int) width!: number;
  @Field(() => Int) height!: number;
  @Field(() => ImageFormat) format!: ImageFormat;
  @Field(() => Int, { nullable: true }) durationMs!: number | null;
  @Field(() => String, { nullable: true }) error!: string | null;
  @Field(() => DateTimeScalar) createdAt!: Date;
}

@InputType()
export class ImageExportOptions {
  @Field(() => Int, { nullable: true, defaultValue: 2048 }) width?: number;
  @Field(() => Int, { nullable: true, defaultValue: 2048 }) height?: number;
  @Field(() => Boolean, { nullable: true, defaultValue: false }) transparentBackground?: boolean;
  @Field(() => [Float], { nullable: true, description: 'Extra views rendered around the turntable axis, in degrees; default front only.' })
  angles?: number[];
}

@InputType()
export class VideoExportOptions {
  @Field(() => Int, { nullable: true, defaultValue: 1280 }) width?: number;
  @Field(() => Int, { nullable: true, defaultValue: 720 }) height?: number;
  @Field(() => Int, { nullable: true, defaultValue: 30, description: '1 to 60.' }) fps?: number;
  @Field(() => Float, { nullable: true, defaultValue: 6, description: '1 to 60 seconds.' }) durationSeconds?: number;
  @Field(() => Float, { nullable: true, defaultValue: 360 }) rotationDegrees?: number;
}

@InputType()
export class ModelExportOptions {
  @Field(() => Boolean, { nullable: true, defaultValue: true }) includeAvatar?: boolean;
  @Field(() => Boolean, { nullable: true, defaultValue: true, description: 'Leave out hidden layers.' }) visibleOnly?: boolean;
}

@InputType()
export class TechpackOptions {
  @Field(() => Boolean, { nullable: true, defaultValue: true, description: 'Front, side and back renders on the first page.' })
  includeRenders?: boolean;
  @MaxLength(TEXT_MAX.notes) @Field(() => String, { nullable: true }) notes?: string;
}

@InputType()
export class ExportInput {
  @Field(() => ExportType) type!: ExportType;
  @Field(() => ExportFormat, {
    description: 'Must fit the type: IMAGE takes PNG/JPEG/WEBP, VIDEO MP4/WEBM/GIF, MODEL GLB/GLTF/OBJ, TECHPACK PDF.',
  })
  format!: ExportFormat;
  @Field(() => Int, { nullable: true, description: 'Export the state at this version; default: the current state.' }) version?: number;
  @Field(() => ImageExportOptions, { nullable: true }) image?: ImageExportOptions;
  @Field(() => VideoExportOptions, { nullable: true }) video?: VideoExportOptions;
  @Field(() => ModelExportOptions, { nullable: true }) model?: ModelExportOptions;
  @ValidateNested() @Field(() => TechpackOptions, { nullable: true }) techpack?: TechpackOptions;
}

@Directive('@key(fields: "id")')
@ObjectType({ simpleResolvers: true })
export class Export {
  @Field(() => ID) id!: string;
  @Field(() => Design) design!: Design;
  @Field(() => ExportType) type!: ExportType;
  @Field(() => ExportFormat) format!: ExportFormat;
  @Field(() => ExportStatus) status!: ExportStatus;
  @Field(() => Int, { description: '0 to 100, never decreasing within one attempt.' }) progress!: number;
  @Field(() => String, { nullable: true, description: 'Download URL while the file is kept (7 days after completion).' }) fileUrl!:
    string | null;
  @Field(() => String, { nullable: true }) fileName!: string | null;
  @Field(() => Float, { nullable: true, description: 'Bytes.' }) fileSize!: number | null;
  @Field(() => String, {
    nullable: true,
    description:
      "Why a FAILED export failed; while QUEUED again after a failed attempt (three in all, with backoff), 'attempt n failed: …'.",
  })
  error!: string | null;
  @Field(() => Int, { description: 'How many times retryExport queued it again; automatic attempts and worker takeovers are not counted.' })
  retryCount!: number;
  @Field(() => DateTimeScalar) createdAt!: Date;
  @Field(() => DateTimeScalar, { nullable: true }) startedAt!: Date | null;
  @Field(() => DateTimeScalar, { nullable: true }) completedAt!: Date | null;
  @Field(() => DateTimeScalar, {
    nullable: true,
    description: 'Until when the file (COMPLETED) or the chance of a retry (FAILED, CANCELLED) is kept: 7 days after the end.',
  })
  expiresAt!: Date | null;
}

@ObjectType({ simpleResolvers: true })
export class ExportConnection extends connectionOf('Export', () => Export) {}
