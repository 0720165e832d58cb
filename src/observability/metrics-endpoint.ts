import http from 'node:http';
import { logger } from '../logger';
import { moreMetrics, registry } from './metrics';

/** GET /metrics in Prometheus text format, for express and for the bare servers below. */
export async function serveMetrics(_req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  try {
    const more = await Promise.all(moreMetrics.map((source) => source().catch(() => '')));
    const text = [await registry.metrics(), mergeFamilies(more)].join('\n');
    res.writeHead(200, { 'content-type': registry.contentType }).end(text);
  } catch (error) {
    logger.error({ err: error }, 'metrics could not be collected');
    res.writeHead(500, { 'content-type': 'text/plain' }).end('metrics could not be collected');
  }
}

/**
 * Texts that each describe the same metrics (one per BullMQ queue) as one exposition: each family's
 * HELP and TYPE once, then all its samples, as Prometheus requires.
 */
export function mergeFamilies(texts: string[]): string {
  const families = new Map<string, { meta: string[]; samples: string[] }>();
  const family = (name: string) => {
    let found = families.get(name);
    if (!found) families.set(name, (found = { meta: [], samples: [] }));
    return found;
  };
  for (const line of texts.join('\n').split('\n')) {
    const meta = /^# (HELP|TYPE) (\S+)/.exec(line);
    if (meta) {
      const f = family(meta[2]!);
      if (!f.meta.some((m) => m.startsWith(`# ${meta[1]} `))) f.meta.push(line);
    } else if (line.trim() && !line.startsWith('#')) {
      // BullMQ writes `{queue="a", state="b"}`; the exposition format has no space there.
      family(/^[^{\s]+/.exec(line)![0]).samples.push(line.replace(/", (?=\w+=")/g, '",'));
    }
  }
  return [...families.values()].flatMap((f) => [...f.meta, ...f.samples]).join('\n') + (families.size ? '\n' : '');
}

/** A server of its own for /metrics (METRICS_PORT, and the workers' WORKER_METRICS_PORT). */
export async function startMetricsServer(port: number, host: string): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    if (req.method === 'GET' && req.url?.split('?')[0] === '/metrics') return void serveMetrics(req, res);
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
  });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, host, () => resolve()));
  return server;
}
