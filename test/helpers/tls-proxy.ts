// A TLS front for the plaintext Temporal dev server: terminates TLS (optionally demanding a
// client certificate), checks an API key per gRPC call, and forwards each HTTP/2 stream,
// trailers included, to the dev server. It records what each client sent, so tests can
// assert on the wire rather than on configuration.
import fs from 'node:fs';
import http2 from 'node:http2';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import type { TestCerts } from './test-certs.js';

export interface TlsProxyOptions {
  upstream: string;
  certs: TestCerts;
  /** Refuse the TLS handshake unless the client presents a certificate signed by the test CA. */
  requireClientCert?: boolean;
  /** Answer UNAUTHENTICATED to any call whose `authorization` is not `Bearer <apiKey>`. */
  apiKey?: string;
}

export interface ProxiedCall {
  path: string;
  authority?: string;
  authorization?: string;
  /** SNI of the TLS session the call came on. */
  servername?: string;
  /** Common name of the client certificate, if one was presented. */
  clientCn?: string;
}

export interface TlsProxy {
  address: string;
  calls: ProxiedCall[];
  /** TLS handshakes that failed, with the reason (e.g. no client certificate). */
  handshakeErrors: string[];
  close(): Promise<void>;
}

const { NGHTTP2_CANCEL, NGHTTP2_FLAG_END_STREAM, NGHTTP2_NO_ERROR } = http2.constants;

export async function startTlsProxy(o: TlsProxyOptions): Promise<TlsProxy> {
  const calls: ProxiedCall[] = [];
  const handshakeErrors: string[] = [];
  const requireClientCert = o.requireClientCert ?? false;
  const server = http2.createSecureServer({
    key: fs.readFileSync(o.certs.serverKey),
    cert: fs.readFileSync(o.certs.serverCert),
    ca: fs.readFileSync(o.certs.caCert),
    requestCert: requireClientCert,
    rejectUnauthorized: requireClientCert,
  });
  // One upstream HTTP/2 session per client session, closed with it.
  const upstreams = new WeakMap<http2.ServerHttp2Session, http2.ClientHttp2Session>();
  const live = new Set<http2.Http2Session>();
  server.on('tlsClientError', (error) => handshakeErrors.push(error.message));
  server.on('session', (session) => {
    const upstream = http2.connect(`http://${o.upstream}`);
    upstream.on('error', () => session.destroy());
    upstreams.set(session, upstream);
    live.add(session).add(upstream);
    session.on('close', () => {
      upstream.close();
      live.delete(session);
    });
    upstream.on('close', () => live.delete(upstream));
  });
  server.on('stream', (stream, headers) => {
    const socket = stream.session!.socket as TLSSocket;
    const authorization = headers.authorization;
    const cn = socket.getPeerCertificate()?.subject?.CN;
    calls.push({
      path: String(headers[':path']),
      authority: headers[':authority'] as string | undefined,
      authorization,
      servername: socket.servername || undefined,
      clientCn: Array.isArray(cn) ? cn[0] : cn,
    });
    if (o.apiKey !== undefined && authorization !== `Bearer ${o.apiKey}`) {
      // A trailers-only gRPC response, as a real frontend sends it.
      stream.respond(
        {
          ':status': 200,
          'content-type': 'application/grpc',
          'grpc-status': '16',
          'grpc-message': 'proxy: missing or wrong API key',
        },
        { endStream: true },
      );
      stream.resume();
      return;
    }
    const upstream = upstreams.get(stream.session as http2.ServerHttp2Session)!;
    const request = upstream.request(headers, { endStream: false });
    let trailers: http2.IncomingHttpHeaders = {};
    stream.pipe(request);
    request.on('response', (responseHeaders, flags) => {
      if (flags & NGHTTP2_FLAG_END_STREAM) {
        stream.respond(responseHeaders, { endStream: true }); // trailers-only (an error status)
        return;
      }
      stream.respond(responseHeaders, { waitForTrailers: true });
      request.pipe(stream);
    });
    request.on('trailers', (t) => (trailers = t));
    stream.on('wantTrailers', () => stream.sendTrailers(trailers));
    // Cancellation and resets travel both ways (a worker's long poll is cancelled on shutdown).
    stream.on('close', () => {
      if (!request.closed) request.close(NGHTTP2_CANCEL);
    });
    request.on('close', () => {
      if (request.rstCode !== NGHTTP2_NO_ERROR && !stream.closed) stream.close(request.rstCode);
    });
    stream.on('error', () => {});
    request.on('error', () => {});
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    address: `127.0.0.1:${(server.address() as AddressInfo).port}`,
    calls,
    handshakeErrors,
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const session of live) session.destroy();
      await closed;
    },
  };
}
