import { parse, validate, type DocumentNode, type GraphQLError, type GraphQLSchema, type ParseOptions } from 'graphql';

const MAX_DOCUMENTS = 500;
/** Longer texts are parsed each time: kept, a few hundred of them would hold hundreds of MB. */
const MAX_CACHED_TEXT = 16 * 1024;

/**
 * Parsing and validation for graphql-ws, once per distinct operation text. Thousands of open
 * subscriptions usually share a handful of operations; without this each kept its own AST, with
 * every token and location (about 10 KB per subscription, measured with bench:live).
 */
export function createDocumentCache(options: ParseOptions) {
  const documents = new Map<string, DocumentNode>();
  const validations = new WeakMap<DocumentNode, readonly GraphQLError[]>();
  return {
    parse(source: string): DocumentNode {
      const cached = documents.get(source);
      if (cached) return cached;
      const document = parse(source, { ...options, noLocation: true });
      if (source.length > MAX_CACHED_TEXT) return document;
      if (documents.size >= MAX_DOCUMENTS) documents.delete(documents.keys().next().value!);
      documents.set(source, document);
      return document;
    },
    validate(schema: GraphQLSchema, document: DocumentNode): readonly GraphQLError[] {
      let errors = validations.get(document);
      if (!errors) validations.set(document, (errors = validate(schema, document)));
      return errors;
    },
  };
}
