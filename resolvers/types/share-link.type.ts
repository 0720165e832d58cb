import { Field, ID, Int, ObjectType } from 'type-graphql';
import { CollaboratorRole } from './enums';
import { User } from './federation.type';
import { DateTimeScalar } from './scalars';

@ObjectType({ description: "A link that adds whoever opens it (signed in) to the design with the link's role. Only the owner sees them." })
export class ShareLink {
  @Field(() => ID) id!: string;
  @Field(() => CollaboratorRole, { description: 'VIEWER, COMMENTER or EDITOR: a link never grants OWNER.' }) role!: CollaboratorRole;
  @Field({
    description:
      "The address to send. It holds the token only in createShareLink's answer: the token is stored hashed and shown once, so later reads show the address with the token cut to its first characters.",
  })
  url!: string;
  @Field(() => String, { nullable: true, description: "The token (for joinDesign), in createShareLink's answer only; null afterwards." })
  token!: string | null;
  @Field(() => DateTimeScalar, { nullable: true, description: 'After this, the link admits nobody; null: it does not expire.' })
  expiresAt!: Date | null;
  @Field(() => Int, { description: 'How many people joined through it.' }) uses!: number;
  @Field(() => Int, { nullable: true, description: 'It admits nobody once `uses` reaches this; null: no limit.' }) maxUses!: number | null;
  @Field(() => Boolean, { description: 'Expired or used up: it admits nobody, though it stays listed until revoked.' }) spent!: boolean;
  @Field(() => User) createdBy!: User;
  @Field(() => DateTimeScalar) createdAt!: Date;
}
