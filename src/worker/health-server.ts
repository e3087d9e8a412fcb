import http from 'node:http';

export interface HealthSources {
  /** Ready once the worker polls its task queue, and not while it is shutting down. */
  isReady(): boolean;
  /** Prometheus text: the SDK's temporal_* metrics followed by mpctl's own. */
  metrics(): Promise<string>;
}

/** /health (liveness), /ready (readiness) and /metrics on one port. */
export function startHealthServer(port: number, host: string, sources: HealthSources): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    const url = req.url?.split('?')[0];
    if (url === '/health') return void res.writeHead(200, { 'content-type': 'text/plain' }).end('ok\n');
    if (url === '/ready') {
      const ready = sources.isReady();
      return void res
        .writeHead(ready ? 200 : 503, { 'content-type': 'text/plain' })
        .end(ready ? 'ready\n' : 'not ready\n');
    }
    if (url === '/metrics') {
      sources.metrics().then(
        (text) => res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(text),
        (error) => res.writeHead(500).end(String(error)),
      );
      return;
    }
    res.writeHead(404).end('not found\n');
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(server));
  });
}
