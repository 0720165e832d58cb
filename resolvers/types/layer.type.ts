import { IsUUID, Matches, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { Directive, Field, Float, ID, InputType, Int, ObjectType } from 'type-graphql';
import { Design } from './design.type';
import { BlendMode, LayerType } from './enums';
import { CatalogItem } from './federation.type';
import { Vec3, Vec3Input } from './geometry.type';
import { JSONScalar, DateTimeScalar } from './scalars';
import { TEXT_MAX } from '../../src/domain/text-limits';
import { HEX_COLOR, IsName, MaxJsonBytes } from './validators';

@ObjectType({ simpleResolvers: true })
export class Transform {
  @Field(() => Vec3) position!: Vec3;
  @Field(() => Vec3) rotation!: Vec3;
  @Field(() => Vec3) scale!: Vec3;
}

@InputType()
export class TransformInput {
  @ValidateNested() @Field(() => Vec3Input, { nullable: true }) position?: Vec3Input;
  @ValidateNested() @Field(() => Vec3Input, { nullable: true }) rotation?: Vec3Input;
  @ValidateNested() @Field(() => Vec3Input, { nullable: true }) scale?: Vec3Input;
}

@ObjectType({ simpleResolvers: true })
export class LayerCustomization {
  @Field(() => String, { nullable: true, description: '#rrggbb' }) color!: string | null;
  @Field(() => CatalogItem, { nullable: true, description: "Catalog item of type FABRIC or PATTERN applied to this layer's surface." })
  material!: CatalogItem | null;
  @Field(() => Float) textureScale!: number;
  @Field(() => Float, { nullable: true }) roughness!: number | null;
  @Field(() => Float, { nullable: true }) metalness!: number | null;
  @Field(() => JSONScalar, { nullable: true, description: 'Client-defined extras, stored and returned as given (at most 16 KiB).' })
  extra!: unknown;
}

@InputType()
export class LayerCustomizationInput {
  @Matches(HEX_COLOR, { message: 'must be #rrggbb' }) @Field(() => String, { nullable: true }) color?: string | null;
  @MaxLength(100) @Field(() => ID, { nullable: true }) materialItemId?: string | null;
  @Min(0.01) @Max(100) @Field(() => Float, { nullable: true }) textureScale?: number | null;
  @Min(0) @Max(1) @Field(() => Float, { nullable: true }) roughness?: number | null;
  @Min(0) @Max(1) @Field(() => Float, { nullable: true }) metalness?: number | null;
  @MaxJsonBytes(16 * 1024) @Field(() => JSONScalar, { nullable: true }) extra?: unknown;
}

@ObjectType({ simpleResolvers: true })
export class LayerGroup {
  @Field(() => ID) id!: string;
  @Field(() => String, { nullable: true }) name!: string | null;
  @Field(() => [Layer], { description: 'Bottom to top.' }) layers!: Layer[];
  @Field() visible!: boolean;
  @Field() locked!: boolean;
}

@Directive('@key(fields: "id")')
@ObjectType({ simpleResolvers: true, description: 'One item of a design: a catalog item placed, coloured and blended on the avatar.' })
export class Layer {
  @Field(() => ID) id!: string;
  @Field(() => Design) design!: Design;
  @Field(() => LayerType) type!: LayerType;
  @Field(() => String, { nullable: true }) name!: string | null;
  @Field(() => Int, { description: "Position in the design's stack, 0 = bottom." }) order!: number;
  @Field(() => CatalogItem) catalogItem!: CatalogItem;
  @Field(() => Transform) transform!: Transform;
  @Field(() => LayerCustomization) customization!: LayerCustomization;
  @Field() visible!: boolean;
  @Field() locked!: boolean;
  @Field(() => BlendMode) blendMode!: BlendMode;
  @Field(() => Int, { description: '0 to 100.' }) opacity!: number;
  @Field(() => String, { nullable: true }) notes!: string | null;
  @Field(() => LayerGroup, { nullable: true }) group!: LayerGroup | null;
  @Field(() => DateTimeScalar) createdAt!: Date;
  @Field(() => DateTimeScalar) updatedAt!: Date;
}

@InputType()
export class AddLayerInput {
  @IsUUID('all', { message: 'must be a UUID' })
  @Field(() => ID, {
    nullable: true,
    description: 'Optional client-generated UUID; adding again with the same id returns the existing layer (idempotent retry).',
  })
  id?: string;
  @MaxLength(100)
  @Field(() => ID, { description: "Must exist, be available and be compatible with the design's avatar (catalog subgraph)." })
  catalogItemId!: string;
  @IsName() @Field(() => String, { nullable: true }) name?: string | null;
  @Min(0) @Field(() => Int, { nullable: true, description: 'Where to insert, 0 = bottom; default: on top.' }) order?: number | null;
  @ValidateNested() @Field(() => TransformInput, { nullable: true }) transform?: TransformInput | null;
  @ValidateNested() @Field(() => LayerCustomizationInput, { nullable: true }) customization?: LayerCustomizationInput | null;
  @Field(() => BlendMode, { nullable: true, defaultValue: BlendMode.NORMAL }) blendMode?: BlendMode | null;
  @Min(0) @Max(100) @Field(() => Int, { nullable: true, defaultValue: 100 }) opacity?: number | null;
  @MaxLength(TEXT_MAX.notes) @Field(() => String, { nullable: true }) notes?: string | null;
}

@InputType()
export class UpdateLayerInput {
  @IsName() @Field(() => String, { nullable: true }) name?: string | null;
  @ValidateNested() @Field(() => TransformInput, { nullable: true }) transform?: TransformInput | null;
  @ValidateNested() @Field(() => LayerCustomizationInput, { nullable: true }) customization?: LayerCustomizationInput | null;
  @Field(() => Boolean, { nullable: true }) visible?: boolean | null;
  @Field(() => Boolean, {
    nullable: true,
    description: 'A locked layer refuses every change but `locked: false` (error code LAYER_LOCKED).',
  })
  locked?: boolean | null;
  @Field(() => BlendMode, { nullable: true }) blendMode?: BlendMode | null;
  @Min(0) @Max(100) @Field(() => Int, { nullable: true }) opacity?: number | null;
  @MaxLength(TEXT_MAX.notes) @Field(() => String, { nullable: true }) notes?: string | null;
}
