import { composeServices } from '@apollo/composition';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parse } from 'graphql';
import YAML from 'yaml';

export const ROOT = join(__dirname, '..', '..');

interface SupergraphConfig {
  subgraphs: Record<string, { routing_url: string; schema: { file: string } }>;
}

/** Composes supergraph.yaml; `urls` overrides routing URLs by subgraph name. Throws with every composition error. */
export function composeSupergraph(urls: Record<string, string | undefined> = {}): string {
  const configPath = join(ROOT, 'supergraph.yaml');
  const config = YAML.parse(readFileSync(configPath, 'utf8')) as SupergraphConfig;
  const services = Object.entries(config.subgraphs).map(([name, subgraph]) => ({
    name,
    url: urls[name] ?? subgraph.routing_url,
    typeDefs: parse(readFileSync(resolve(dirname(configPath), subgraph.schema.file), 'utf8')),
  }));
  const result = composeServices(services);
  if (result.errors?.length) {
    throw new Error(`supergraph composition failed:\n${result.errors.map((e) => `  ${e.message}`).join('\n')}`);
  }
  return result.supergraphSdl!;
}

/** Routing URLs from DESIGN_URL, AVATAR_URL, CATALOG_URL and USERS_URL, where set. */
export const urlsFromEnv = () => ({
  design: process.env.DESIGN_URL,
  avatar: process.env.AVATAR_URL,
  catalog: process.env.CATALOG_URL,
  users: process.env.USERS_URL,
});
