import { Directive, Field, Int, ObjectType, type ClassType } from 'type-graphql';

// A value type other subgraphs may define as well: composition needs both to say so.
@Directive('@shareable')
@ObjectType({ simpleResolvers: true })
export class PageInfo {
  @Field() hasNextPage!: boolean;
  @Field(() => String, { nullable: true }) endCursor!: string | null;
}

/**
 * The Relay connection of a node type: `<Name>Edge { cursor node }` and, for the subclass that
 * names it, `<Name>Connection { edges pageInfo totalCount }`.
 */
export function connectionOf<T extends object>(name: string, node: () => ClassType<T>) {
  @ObjectType(`${name}Edge`, { simpleResolvers: true })
  class Edge {
    @Field() cursor!: string;
    @Field(node) node!: T;
  }

  // Never emitted itself: TypeGraphQL 2 leaves out types no field reaches; only the named subclass is.
  @ObjectType({ simpleResolvers: true })
  abstract class Connection {
    @Field(() => [Edge]) edges!: Edge[];
    @Field(() => PageInfo) pageInfo!: PageInfo;
    @Field(() => Int) totalCount!: number;
  }
  return Connection;
}
