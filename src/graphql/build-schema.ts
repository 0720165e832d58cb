import { buildSubgraphSchema } from '@apollo/subgraph';
import { printSchemaWithDirectives } from '@graphql-tools/utils';
import { parse, type GraphQLSchema } from 'graphql';
import { buildSchema, createResolversMap } from 'type-graphql';
import { referenceResolvers, RESOLVERS } from '../../resolvers';
import { checkEntityRepresentations } from './entity-representations';
import { validateInput } from './validate-input';

const FEDERATION_LINK = `extend schema
  @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@shareable", "@tag"])`;

/**
 * TypeGraphQL insists on a pubSub, but every subscription here passes its own `subscribe` (replay
 * from the change log, then live events), so topic-based subscriptions are a programming error.
 */
const subscriptionsBringTheirOwnSource = {
  publish() {
    throw new Error('publish through the design event publisher, not TypeGraphQL');
  },
  subscribe(): never {
    throw new Error('every @Subscription must pass its own `subscribe`');
  },
};

export interface FederatedSchema {
  schema: GraphQLSchema;
  /** The subgraph's SDL as checked in at schema/design.graphql. */
  sdl: string;
}

/** TypeGraphQL classes → SDL with federation directives → Apollo subgraph schema with the same resolvers. */
export async function buildFederatedSchema(): Promise<FederatedSchema> {
  const typeGraphqlSchema = await buildSchema({
    resolvers: [...RESOLVERS],
    skipCheck: true,
    validateFn: validateInput,
    pubSub: subscriptionsBringTheirOwnSource,
  });
  const sdl = `${FEDERATION_LINK}\n\n${printSchemaWithDirectives(typeGraphqlSchema)}\n`;
  const resolvers = createResolversMap(typeGraphqlSchema) as Record<string, Record<string, unknown>>;
  for (const [typeName, reference] of Object.entries(referenceResolvers)) {
    resolvers[typeName] = { ...resolvers[typeName], ...reference };
  }
  const schema = buildSubgraphSchema({ typeDefs: parse(sdl), resolvers: resolvers as never });
  checkEntityRepresentations(schema);
  return { schema, sdl };
}
