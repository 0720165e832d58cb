import type { Request, Response } from 'express';
import { safeFetch, UrlRefusedError, type FetchPolicy } from '../../src/net/safe-fetch';

/**
 * Models and textures for the studio page, fetched from the dev avatar and catalog subgraphs and
 * served from the studio's own origin, as the server renderer's page gets them: the page then needs
 * no CORS from those servers, and a WebGL texture from another origin would taint the canvas. It
 * fetches as the renderers do (`safeFetch` with the asset policy), so the studio server is no open
 * proxy on the machine.
 */
export function assetProxy(policy: FetchPolicy) {
  return async (req: Request, res: Response) => {
    try {
      const fetched = await safeFetch(String(req.query.url ?? ''), policy);
      res.type(fetched.contentType ?? 'application/octet-stream');
      res.set('cache-control', 'private, max-age=3600');
      res.send(fetched.body);
    } catch (error) {
      res.status(error instanceof UrlRefusedError ? 403 : 502).send((error as Error).message);
    }
  };
}
