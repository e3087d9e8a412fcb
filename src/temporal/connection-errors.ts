import tls from 'node:tls';

/** The TLS settings mpctl passes to both connections. */
export interface TemporalTls {
  serverNameOverride?: string;
  serverRootCACertificate?: Buffer;
  clientCertPair?: { crt: Buffer; key: Buffer };
}

/** Temporal could not be reached or refused us; the message says which setting to look at. */
export class TemporalConnectionError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'TemporalConnectionError';
  }
}

const hints: Array<[RegExp, string]> = [
  [
    /certificate.?required|alert number 116/i,
    'the server requires a client certificate: set TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY (or tls.clientCertPath/clientKeyPath)',
  ],
  [
    /self.signed|unable to (get|verify)|unknown.?ca|UnknownIssuer|certificate chain/i,
    "the server's certificate is not signed by a CA we trust: set TEMPORAL_TLS_CA to its CA certificate",
  ],
  [
    /altnames|hostname|not.?valid.?for.?name/i,
    "the server's certificate is for another name: set TEMPORAL_TLS_SERVER_NAME to a name in it",
  ],
  [
    /wrong version number|packet length|unexpected eof|before secure TLS/i,
    'the server did not answer TLS: is TLS on at this address?',
  ],
  [
    /UNAUTHENTICATED|PERMISSION_DENIED|authentication credentials/i,
    'the server rejected our credentials: check TEMPORAL_API_KEY (or apiKey) and the namespace',
  ],
];

/**
 * The SDK reports a failed TLS handshake as "Failed to connect before the deadline"; this
 * repeats the handshake with node:tls (what the client uses underneath) to find out why.
 */
export async function explainConnectFailure(
  address: string,
  tlsConfig: TemporalTls | undefined,
  error: unknown,
): Promise<TemporalConnectionError> {
  // The client's ServiceError keeps the gRPC status (e.g. 16 UNAUTHENTICATED) in its cause.
  const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
  const sdkMessage = (error instanceof Error ? error.message : String(error)) + cause;
  const handshake = tlsConfig ? await tlsHandshakeError(address, tlsConfig) : undefined;
  const reason = handshake ? `TLS handshake failed (${handshake})` : sdkMessage;
  const hint = hints.find(([pattern]) => pattern.test(reason))?.[1];
  return new TemporalConnectionError(
    `cannot connect to Temporal at ${address}${tlsConfig ? ' over TLS' : ''}: ${reason}${hint ? `; ${hint}` : ''}`,
    { cause: error },
  );
}

/** Why a TLS handshake with these settings fails, or undefined when it succeeds (or the server is not there at all). */
function tlsHandshakeError(address: string, t: TemporalTls): Promise<string | undefined> {
  const at = address.lastIndexOf(':');
  const host = address.slice(0, at).replace(/^\[|\]$/g, '');
  return new Promise((resolve) => {
    const socket = tls.connect({
      host,
      port: Number(address.slice(at + 1)),
      servername: t.serverNameOverride ?? (/^[\d.:]+$/.test(host) ? undefined : host), // no SNI for an IP, as the SDK does
      ca: t.serverRootCACertificate,
      cert: t.clientCertPair?.crt,
      key: t.clientCertPair?.key,
      ALPNProtocols: ['h2'],
    });
    const done = (why?: string) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(why);
    };
    const timer = setTimeout(() => done(), 3_000);
    // With TLS 1.3 a server that wants a client certificate says so just after the client's handshake ends.
    socket.once('secureConnect', () => setTimeout(() => done(), 300));
    // OpenSSL's `reason` ("tlsv13 alert certificate required") without its file and line noise.
    socket.once('error', (e: NodeJS.ErrnoException & { reason?: string }) =>
      done(e.code === 'ECONNREFUSED' ? undefined : e.code?.startsWith('ERR_SSL_') && e.reason ? e.reason : e.message),
    );
  });
}
