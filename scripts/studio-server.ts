import express from 'express';
import { join } from 'node:path';
import { signDevelopmentToken } from '../src/auth/tokens';
import { DEVELOPMENT_JWT_SECRET, loadConfig } from '../src/config';
import { assetProxy } from './studio/asset-proxy';
import { STUDIO_DEMO_USERS } from './studio/demo-users';

// dist/scripts/studio-server.js: the repository is two folders up.
const ROOT = join(__dirname, '..', '..');
const DIST = join(__dirname, '..');

/**
 * The web studio's server (development only): the page and its compiled modules, three.js and
 * graphql-ws from node_modules, the project's scene builder as the server renderer's page loads it,
 * the dev subgraphs' models and textures on this origin, and development tokens for the demo users.
 * The page itself talks to the gateway only.
 */
function main() {
  const config = loadConfig();
  // Minting tokens with the development secret is for the dev stack and tests, never a deployment.
  if (config.env === 'production') throw new Error('the studio server signs development tokens: it does not run in production');
  const secret = config.jwt.secret ?? DEVELOPMENT_JWT_SECRET;
  const port = Number(process.env.STUDIO_PORT ?? 4005);
  const gatewayUrl = `http://127.0.0.1:${process.env.GATEWAY_PORT ?? 4000}/graphql`;
  // The renderers' asset policy: the avatar and catalog subgraphs' origins (ASSET_ORIGINS) and RENDER_IMAGE_ORIGINS.
  const assets = config.renderer.assets;

  const app = express();
  const file = (path: string) => (_req: express.Request, res: express.Response) => res.sendFile(path);
  // The page also answers the addresses the service sends people to (APP_URL): e-mails' /designs/<id>
  // and share links' /join/<token>; it takes them over on the client side.
  app.get(['/', '/designs/:id', '/join/:token'], file(join(ROOT, 'studio', 'index.html')));
  app.get('/studio.css', file(join(ROOT, 'studio', 'studio.css')));
  app.use('/app', express.static(join(DIST, 'studio', 'src'), { fallthrough: false }));
  app.use('/three', express.static(join(ROOT, 'node_modules', 'three', 'build'), { fallthrough: false }));
  app.use('/addons', express.static(join(ROOT, 'node_modules', 'three', 'examples', 'jsm'), { fallthrough: false }));
  app.get('/vendor/graphql-ws.js', file(join(ROOT, 'node_modules', 'graphql-ws', 'umd', 'graphql-ws.js')));
  // The very files the server renderer's page runs, so the studio and server renders draw alike.
  app.get('/scene/build-scene.js', file(join(DIST, 'src', 'render', 'build-scene.js')));
  app.get('/scene/asset-cache.js', file(join(DIST, 'src', 'render', 'asset-cache.js')));
  app.get('/asset', assetProxy(assets));
  app.get('/config.json', (_req, res) => {
    res.json({ gatewayUrl, gatewayWsUrl: gatewayUrl.replace(/^http/, 'ws'), assetOrigins: assets.origins, users: STUDIO_DEMO_USERS });
  });
  app.post('/session', express.json(), async (req, res) => {
    const userId = (req.body as { userId?: unknown } | undefined)?.userId;
    if (!STUDIO_DEMO_USERS.some((user) => user.id === userId)) return void res.status(400).json({ message: 'userId: not a demo user' });
    res.json({ userId, token: await signDevelopmentToken(secret, userId as string, 'pro') });
  });

  const server = app.listen(port, '127.0.0.1', () => process.stdout.write(`studio ready at http://127.0.0.1:${port}/\n`));
  const stop = () => {
    server.close(() => process.exit(0));
    server.closeIdleConnections();
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main();
