import { Directive, Field, ID, ObjectType } from 'type-graphql';

/** A user, owned by the users subgraph. This subgraph only contributes `designs`. */
@Directive('@key(fields: "id")')
@ObjectType({ simpleResolvers: true, description: 'A user, owned by the users subgraph. This subgraph only contributes `designs`.' })
export class User {
  @Field(() => ID) id!: string;
}

@Directive('@key(fields: "id")')
@ObjectType({
  simpleResolvers: true,
  description: 'An avatar (3D body), owned by the avatar subgraph. This subgraph only contributes `designs`.',
})
export class Avatar {
  @Field(() => ID) id!: string;
}

@Directive('@key(fields: "id", resolvable: false)')
@ObjectType({ simpleResolvers: true, description: 'A catalog item, owned by the catalog subgraph.' })
export class CatalogItem {
  @Field(() => ID) id!: string;
}

export const userRef = (id: string | null | undefined): User | null => (id ? { id } : null);
