import express from 'express';
import { dirname } from 'node:path';

const PAGE = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Design API</title>
  <link rel="stylesheet" href="./docs/swagger-ui.css">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="./docs/swagger-ui-bundle.js"></script>
  <script src="./docs/start.js"></script>
</body>
</html>`;

// A script of its own rather than inline, so a Content-Security-Policy without 'unsafe-inline' allows the page.
const START = `window.ui = SwaggerUIBundle({ url: './openapi.json', dom_id: '#swagger-ui', tryItOutEnabled: true, persistAuthorization: true });`;

/** Swagger UI at /api/docs, its assets served from the swagger-ui-dist package: no CDN, so it works offline. */
export function apiDocs(): express.Router {
  const router = express.Router();
  // Relative asset paths resolve against /api/, whether or not the address ends in a slash.
  router.get('/docs', (req, res) => (req.path.endsWith('/') ? res.redirect(301, `${req.baseUrl}/docs`) : res.type('html').send(PAGE)));
  router.get('/docs/start.js', (_req, res) => res.type('js').send(START));
  router.use(
    '/docs',
    express.static(dirname(require.resolve('swagger-ui-dist/package.json')), { index: false, fallthrough: false, maxAge: '1d' }),
  );
  return router;
}
