import { Field, ObjectType } from 'type-graphql';
import { CollaboratorRole } from './enums';
import { User } from './federation.type';
import { DateTimeScalar } from './scalars';

@ObjectType({ simpleResolvers: true })
export class Collaborator {
  @Field(() => User) user!: User;
  @Field(() => CollaboratorRole) role!: CollaboratorRole;
  @Field(() => DateTimeScalar) addedAt!: Date;
}
