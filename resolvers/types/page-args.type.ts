import { ArgsType, Field, Int } from 'type-graphql';

/** `first` (1 to 100, default 20) and `after` of a connection field. */
@ArgsType()
export class PageArgs {
  @Field(() => Int, { nullable: true, defaultValue: 20 }) first?: number;
  @Field(() => String, { nullable: true }) after?: string;
}

/** The change log pages 50 at a time by default. */
@ArgsType()
export class HistoryPageArgs {
  @Field(() => Int, { nullable: true, defaultValue: 50 }) first?: number;
  @Field(() => String, { nullable: true }) after?: string;
}
