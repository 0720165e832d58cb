import { Field, ID, Int, ObjectType } from 'type-graphql';
import { HistoryAction } from './enums';
import { User } from './federation.type';
import { connectionOf } from './page.type';
import { DateTimeScalar, JSONScalar } from './scalars';

@ObjectType({ simpleResolvers: true })
export class HistoryEntry {
  @Field(() => ID) id!: string;
  @Field(() => Int, { description: 'The design revision this change produced.' }) revision!: number;
  @Field(() => HistoryAction) action!: HistoryAction;
  @Field(() => User, { nullable: true }) actor!: User | null;
  @Field(() => JSONScalar, { nullable: true, description: 'What changed, enough to undo it.' }) data!: unknown;
  @Field(() => DateTimeScalar) createdAt!: Date;
}

@ObjectType({ simpleResolvers: true })
export class HistoryConnection extends connectionOf('History', () => HistoryEntry) {}
