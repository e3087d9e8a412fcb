import fs from 'node:fs';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import type { MpctlConfig } from '../config/config.js';
import { ConfigError } from '../errors/index.js';
import { explainConnectFailure, type TemporalTls } from './connection-errors.js';

function requireAddress(config: MpctlConfig): string {
  if (!config.temporalAddress) {
    throw new ConfigError(
      'no Temporal server configured: start the embedded stack with `mpctl up`, or set TEMPORAL_ADDRESS',
    );
  }
  return config.temporalAddress;
}

function tlsOptions(config: MpctlConfig): TemporalTls | undefined {
  if (!config.tls && !config.apiKey) return undefined;
  const tls = config.tls ?? {};
  const read = (file: string | undefined, setting: string) => {
    if (!file) return undefined;
    try {
      return fs.readFileSync(file);
    } catch (error) {
      throw new ConfigError(
        `${setting}: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
      );
    }
  };
  // One without the other would silently connect without a client certificate.
  if (Boolean(tls.clientCertPath) !== Boolean(tls.clientKeyPath)) {
    throw new ConfigError(
      'a TLS client certificate needs both TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY (tls.clientCertPath and tls.clientKeyPath)',
    );
  }
  const cert = read(tls.clientCertPath, 'TEMPORAL_TLS_CERT');
  const key = read(tls.clientKeyPath, 'TEMPORAL_TLS_KEY');
  return {
    serverNameOverride: tls.serverNameOverride,
    serverRootCACertificate: read(tls.serverRootCaCertPath, 'TEMPORAL_TLS_CA'),
    clientCertPair: cert && key ? { crt: cert, key } : undefined,
  };
}

/** A client for starting, querying, cancelling and resetting workflows. */
export async function connectClient(config: MpctlConfig): Promise<Client> {
  const address = requireAddress(config);
  const tls = tlsOptions(config);
  try {
    const connection = await Connection.connect({ address, tls, apiKey: config.apiKey, connectTimeout: 5_000 });
    return new Client({ connection, namespace: config.namespace });
  } catch (error) {
    throw await explainConnectFailure(address, tls, error);
  }
}

/** The worker's own (Rust core) connection. */
export async function connectWorker(config: MpctlConfig): Promise<NativeConnection> {
  const address = requireAddress(config);
  const tls = tlsOptions(config);
  try {
    return await NativeConnection.connect({ address, tls, apiKey: config.apiKey });
  } catch (error) {
    throw await explainConnectFailure(address, tls, error);
  }
}

export function workflowUiUrl(config: MpctlConfig, workflowId: string, runId?: string): string | undefined {
  if (!config.uiUrl) return undefined;
  const base = `${config.uiUrl}/namespaces/${encodeURIComponent(config.namespace)}/workflows/${encodeURIComponent(workflowId)}`;
  return runId ? `${base}/${runId}/history` : base;
}
