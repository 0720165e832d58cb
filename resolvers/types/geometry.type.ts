import { Max, Min } from 'class-validator';
import { Directive, Field, Float, InputType, ObjectType } from 'type-graphql';

/** Scene units are metres; anything beyond this is a client bug, not a design. */
const LIMIT = 10_000;

// A value type other subgraphs may define as well: composition needs both to say so.
@Directive('@shareable')
@ObjectType({ simpleResolvers: true })
export class Vec3 {
  @Field(() => Float) x!: number;
  @Field(() => Float) y!: number;
  @Field(() => Float) z!: number;
}

@InputType()
export class Vec3Input {
  @Min(-LIMIT) @Max(LIMIT) @Field(() => Float) x!: number;
  @Min(-LIMIT) @Max(LIMIT) @Field(() => Float) y!: number;
  @Min(-LIMIT) @Max(LIMIT) @Field(() => Float) z!: number;
}
