import type { Request, Response } from 'express';

/**
 * Models and textures for the studio page, fetched from the dev avatar and catalog subgraphs and
 * served from the studio's own origin, as the server renderer's page gets them: the page then needs
 * no CORS from those servers, and a WebGL texture from another origin would taint the canvas. Only
 * the given origins are fetched, so the studio server is no open proxy on the machine.
 */
export function assetProxy(origins: Set<string>) {
  return async (req: Request, res: Response) => {
    let url: URL;
    try {
      url = new URL(String(req.query.url ?? ''));
    } catch {
      return void res.status(400).send('url: not a URL');
    }
    if (!origins.has(url.origin)) return void res.status(403).send(`url: ${url.origin} is not an asset origin of this stack`);
    try {
      const upstream = await fetch(url, { redirect: 'error', signal: AbortSignal.timeout(15_000) });
      if (!upstream.ok) return void res.status(upstream.status === 404 ? 404 : 502).send(`${url.href}: HTTP ${upstream.status}`);
      res.type(upstream.headers.get('content-type') ?? 'application/octet-stream');
      res.set('cache-control', 'private, max-age=3600');
      res.send(Buffer.from(await upstream.arrayBuffer()));
    } catch (error) {
      res.status(502).send(`${url.href}: ${(error as Error).message}`);
    }
  };
}
