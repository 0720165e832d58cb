import http from 'node:http';
import { logger } from '../logger';
import { registry } from './metrics';

/** GET /metrics in Prometheus text format, for express and for the bare servers below. */
export async function serveMetrics(_req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  try {
    const text = await registry.metrics();
    res.writeHead(200, { 'content-type': registry.contentType }).end(text);
  } catch (error) {
    logger.error({ err: error }, 'metrics could not be collected');
    res.writeHead(500, { 'content-type': 'text/plain' }).end('metrics could not be collected');
  }
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
