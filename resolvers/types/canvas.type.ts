import {
  Max,
  MaxLength,
  Min,
  Validate,
  ValidateNested,
  ValidatorConstraint,
  type ValidatorConstraintInterface,
  type ValidationArguments,
} from 'class-validator';
import { Field, Float, InputType, ObjectType } from 'type-graphql';
import { BackgroundType, LightingPreset, RenderQuality } from './enums';
import { Vec3, Vec3Input } from './geometry.type';
import { HEX_COLOR } from './validators';

@ObjectType({ simpleResolvers: true })
export class Camera {
  @Field(() => Vec3) position!: Vec3;
  @Field(() => Vec3) target!: Vec3;
  @Field(() => Float) fov!: number;
}

@InputType()
export class CameraInput {
  @ValidateNested() @Field(() => Vec3Input, { nullable: true }) position?: Vec3Input | null;
  @ValidateNested() @Field(() => Vec3Input, { nullable: true }) target?: Vec3Input | null;
  @Min(1) @Max(179) @Field(() => Float, { nullable: true }) fov?: number | null;
}

@ObjectType({ simpleResolvers: true })
export class Lighting {
  @Field(() => LightingPreset) preset!: LightingPreset;
  @Field(() => Float) intensity!: number;
}

@InputType()
export class LightingInput {
  @Field(() => LightingPreset, { nullable: true }) preset?: LightingPreset | null;
  @Min(0) @Max(10) @Field(() => Float, { nullable: true }) intensity?: number | null;
}

@ObjectType({ simpleResolvers: true })
export class Background {
  @Field(() => BackgroundType) type!: BackgroundType;
  @Field({
    description:
      "#rrggbb for COLOR, two colours 'top,bottom' for GRADIENT, a URL for IMAGE, empty for TRANSPARENT. Server renders draw an IMAGE cropped to the frame when its origin is one they may fetch (the service's RENDER_IMAGE_ORIGINS), and #f0f0f0 otherwise.",
  })
  value!: string;
}

@ValidatorConstraint({ name: 'backgroundValue' })
class BackgroundValueFitsType implements ValidatorConstraintInterface {
  validate(value: unknown, args: ValidationArguments) {
    const { type } = args.object as BackgroundInput;
    if (typeof value !== 'string') return false;
    switch (type) {
      case BackgroundType.COLOR:
        return HEX_COLOR.test(value);
      case BackgroundType.GRADIENT: {
        const parts = value.split(',');
        return parts.length === 2 && parts.every((p) => HEX_COLOR.test(p.trim()));
      }
      case BackgroundType.IMAGE:
        return /^https?:\/\/\S+$/.test(value);
      case BackgroundType.TRANSPARENT:
        return value === '';
    }
  }
  defaultMessage() {
    return "must fit the type: #rrggbb for COLOR, 'top,bottom' colours for GRADIENT, an http(s) URL for IMAGE, empty for TRANSPARENT";
  }
}

@InputType()
export class BackgroundInput {
  @Field(() => BackgroundType) type!: BackgroundType;
  @MaxLength(2048) @Validate(BackgroundValueFitsType) @Field() value!: string;
}

@ObjectType({
  simpleResolvers: true,
  description:
    'Defaults on creation: camera (0,1.6,3) looking at (0,1,0), fov 50; STUDIO lighting; COLOR #f0f0f0; grid size 10; STANDARD quality; antialiasing and shadows on.',
})
export class CanvasSettings {
  @Field(() => Camera) camera!: Camera;
  @Field(() => Lighting) lighting!: Lighting;
  @Field(() => Background) background!: Background;
  @Field() showGrid!: boolean;
  @Field() showGuides!: boolean;
  @Field() snapToGrid!: boolean;
  @Field(() => Float) gridSize!: number;
  @Field(() => RenderQuality) renderQuality!: RenderQuality;
  @Field() antialiasing!: boolean;
  @Field() shadows!: boolean;
  @Field() ambientOcclusion!: boolean;
}

@InputType()
export class CanvasSettingsInput {
  @ValidateNested() @Field(() => CameraInput, { nullable: true }) camera?: CameraInput | null;
  @ValidateNested() @Field(() => LightingInput, { nullable: true }) lighting?: LightingInput | null;
  @ValidateNested() @Field(() => BackgroundInput, { nullable: true }) background?: BackgroundInput | null;
  @Field(() => Boolean, { nullable: true }) showGrid?: boolean | null;
  @Field(() => Boolean, { nullable: true }) showGuides?: boolean | null;
  @Field(() => Boolean, { nullable: true }) snapToGrid?: boolean | null;
  @Min(0.01) @Max(1000) @Field(() => Float, { nullable: true }) gridSize?: number | null;
  @Field(() => RenderQuality, { nullable: true }) renderQuality?: RenderQuality | null;
  @Field(() => Boolean, { nullable: true }) antialiasing?: boolean | null;
  @Field(() => Boolean, { nullable: true }) shadows?: boolean | null;
  @Field(() => Boolean, { nullable: true }) ambientOcclusion?: boolean | null;
}
