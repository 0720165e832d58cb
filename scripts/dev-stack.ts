import { signDevelopmentToken } from '../src/auth/tokens';
import { DEVELOPMENT_JWT_SECRET, loadConfig } from '../src/config';
import { DEMO_USER_ID } from '../dev-subgraphs/seed-data';
import { checkServices, ensureDatabase } from './services';
import { startStack } from './stack';

const DEMO_DESIGNS = [
  {
    id: '10000000-0000-4000-8000-000000000001',
    name: 'Weekend denim',
    avatarId: 'avatar-female-standard',
    category: 'OUTFIT',
    tags: ['casual', 'denim'],
    layers: ['item-silhouette-t-shirt', 'item-silhouette-trousers', 'item-accessory-sneakers'],
  },
  {
    id: '10000000-0000-4000-8000-000000000002',
    name: 'Office trench',
    avatarId: 'avatar-male-standard',
    category: 'OUTERWEAR',
    tags: ['work'],
    layers: ['item-silhouette-shirt', 'item-silhouette-trench-coat', 'item-accessory-tie'],
  },
];

async function call(url: string, token: string, query: string, variables: Record<string, unknown>) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: any; errors?: { message: string }[] };
  if (body.errors?.length) throw new Error(body.errors.map((e) => e.message).join('; '));
  return body.data;
}

/** The demo user's designs, created through the API itself; client ids make a second run a no-op. */
async function seed(designUrl: string) {
  const token = await signDevelopmentToken(loadConfig().jwt.secret ?? DEVELOPMENT_JWT_SECRET, DEMO_USER_ID, 'pro');
  for (const { layers, ...input } of DEMO_DESIGNS) {
    const { createDesign } = await call(designUrl, token, `mutation($input: CreateDesignInput!) { createDesign(input: $input) { id layers { id } } }`, { input });
    if (createDesign.layers.length > 0) continue;
    for (const catalogItemId of layers) {
      await call(designUrl, token, `mutation($d: ID!, $input: AddLayerInput!) { addLayer(designId: $d, input: $input) { id } }`, { d: createDesign.id, input: { catalogItemId } });
    }
  }
  process.stdout.write(`seeded ${DEMO_DESIGNS.length} demo designs for user ${DEMO_USER_ID}\n`);
  process.stdout.write(`demo token (pro, 12 h): ${token}\n`);
}

async function main() {
  const config = loadConfig();
  const problems = await checkServices(config.databaseUrl, config.redisUrl);
  if (problems.length) {
    for (const problem of problems) process.stderr.write(`${problem}\n`);
    process.exit(1);
  }
  await ensureDatabase(config.databaseUrl);
  const started = Date.now();
  const stack = await startStack({ design: config.port, avatar: 4002, catalog: 4003, gateway: Number(process.env.GATEWAY_PORT ?? 4000) }, {});
  await seed(stack.urls.design);
  process.stdout.write(`dev stack up in ${Date.now() - started} ms; gateway at ${stack.urls.gateway}\n`);
  const stop = () => void stack.stop().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error) => {
  process.stderr.write(`${error.message ?? error}\n`);
  process.exit(1);
});
