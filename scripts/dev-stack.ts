import { signDevelopmentToken } from '../src/auth/tokens';
import { DEVELOPMENT_JWT_SECRET, loadConfig } from '../src/config';
import { DEMO_USER_ID, USERS } from '../dev-subgraphs/seed-data';
import { assertPortsFree } from './ports';
import type { EmbeddedPostgres } from './embedded-postgres';
import { checkServices, ensureDatabase, postgresForDevelopment } from './services';
import { startStack, type Stack, type StackPorts } from './stack';

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
async function seed(designUrl: string, token: string) {
  for (const { layers, ...input } of DEMO_DESIGNS) {
    const { createDesign } = await call(
      designUrl,
      token,
      `mutation($input: CreateDesignInput!) { createDesign(input: $input) { id layers { id } } }`,
      { input },
    );
    if (createDesign.layers.length > 0) continue;
    for (const catalogItemId of layers) {
      await call(designUrl, token, `mutation($d: ID!, $input: AddLayerInput!) { addLayer(designId: $d, input: $input) { id } }`, {
        d: createDesign.id,
        input: { catalogItemId },
      });
    }
  }
  process.stdout.write(`seeded ${DEMO_DESIGNS.length} demo designs for user ${DEMO_USER_ID}\n`);
  process.stdout.write(`demo token (pro, 12 h): ${token}\n`);
}

function portVariable(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`${name} must be a port number, got "${raw}"`);
  return port;
}

async function main() {
  const config = loadConfig();
  const ports: StackPorts = {
    design: config.port,
    avatar: portVariable('AVATAR_PORT', 4002),
    catalog: portVariable('CATALOG_PORT', 4003),
    users: portVariable('USERS_PORT', 4004),
    gateway: portVariable('GATEWAY_PORT', 4000),
    studio: portVariable('STUDIO_PORT', 4005),
    smtp: portVariable('MAILDEV_SMTP_PORT', 1025),
    mailWeb: portVariable('MAILDEV_WEB_PORT', 1080),
  };
  await assertPortsFree([
    { name: 'gateway', variable: 'GATEWAY_PORT', port: ports.gateway },
    { name: 'design subgraph', variable: 'PORT', port: ports.design },
    { name: 'avatar subgraph', variable: 'AVATAR_PORT', port: ports.avatar },
    { name: 'catalog subgraph', variable: 'CATALOG_PORT', port: ports.catalog },
    { name: 'studio', variable: 'STUDIO_PORT', port: ports.studio! },
    { name: 'users subgraph', variable: 'USERS_PORT', port: ports.users },
    { name: 'maildev SMTP', variable: 'MAILDEV_SMTP_PORT', port: ports.smtp },
    { name: 'maildev web', variable: 'MAILDEV_WEB_PORT', port: ports.mailWeb },
  ]);
  const started = Date.now();
  let postgres: EmbeddedPostgres | null = null;
  let stack: Stack | null = null;
  let stopping = false;
  // Whatever was started goes, on Ctrl-C as on a failure half-way (the stack's processes lead groups of their own).
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    await stack?.stop().catch(() => undefined);
    await postgres?.stop().catch(() => undefined);
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));
  try {
    postgres = await postgresForDevelopment((line) => process.stdout.write(`${line}\n`));
    const problems = await checkServices(config.databaseUrl, config.redisUrl);
    if (problems.length) throw new Error(problems.join('\n'));
    await ensureDatabase(config.databaseUrl);
    // GraphiQL opens with the demo user's token in its Headers tab.
    const demoToken = await signDevelopmentToken(config.jwt.secret ?? DEVELOPMENT_JWT_SECRET, DEMO_USER_ID, 'pro');
    stack = await startStack(ports, { GATEWAY_DEMO_TOKEN: demoToken }, { watch: true });
    await seed(stack.urls.design, demoToken);
    // The other demo users, to share designs with and to receive their e-mail.
    for (const user of USERS.filter((u) => u.id !== DEMO_USER_ID)) {
      const token = await signDevelopmentToken(config.jwt.secret ?? DEVELOPMENT_JWT_SECRET, user.id, 'pro');
      process.stdout.write(`token of ${user.name} <${user.email}> (${user.id}, pro, 12 h): ${token}\n`);
    }
    process.stdout.write(`e-mail goes to maildev: its inbox at ${stack.urls.mailWeb} (SMTP ${stack.urls.smtp})\n`);
    process.stdout.write(`dev stack up in ${Date.now() - started} ms; gateway and GraphiQL at ${stack.urls.gateway}\n`);
    process.stdout.write(`web studio at ${stack.urls.studio} (sign in as a demo user)\n`);
  } catch (error) {
    process.stderr.write(`${(error as Error).message ?? error}\n`);
    await stop(1);
  }
}

main().catch((error) => {
  process.stderr.write(`${error.message ?? error}\n`);
  process.exit(1);
});
