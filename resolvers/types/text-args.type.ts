import { MaxLength } from 'class-validator';
import { ArgsType, Field } from 'type-graphql';
import { TEXT_MAX } from '../../src/domain/text-limits';
import { IsName, NotBlank } from './validators';

// Free text passed as a plain argument, not inside an input object: as argument classes, the same
// validator measures it before its column's CHECK constraint could.

/** `forkDesign`'s `name`; null: the source's name with " (fork)". */
@ArgsType()
export class ForkNameArgs {
  @IsName() @Field(() => String, { nullable: true }) name?: string | null;
}

/** `groupLayers`' `name`; null: an unnamed group. */
@ArgsType()
export class GroupNameArgs {
  @IsName() @Field(() => String, { nullable: true }) name?: string | null;
}

/** `createCheckpoint`'s `message`; null: no message. */
@ArgsType()
export class CheckpointMessageArgs {
  @MaxLength(TEXT_MAX.versionMessage) @NotBlank() @Field(() => String, { nullable: true }) message?: string | null;
}
