import fs from 'node:fs';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, type NativeConnectionOptions } from '@temporalio/worker';
import type { MpctlConfig } from '../config/config.js';
import { ConfigError } from '../errors/index.js';

function requireAddress(config: MpctlConfig): string {
  if (!config.temporalAddress) {
    throw new ConfigError('no Temporal server configured: start the embedded stack with `mpctl up`, or set TEMPORAL_ADDRESS');
  }
  return config.temporalAddress;
}

function tlsOptions(config: MpctlConfig): NativeConnectionOptions['tls'] {
  if (!config.tls && !config.apiKey) return undefined;
  const read = (file?: string) => (file ? fs.readFileSync(file) : undefined);
  const tls = config.tls ?? {};
  const cert = read(tls.clientCertPath);
  const key = read(tls.clientKeyPath);
  return {
    serverNameOverride: tls.serverNameOverride,
    serverRootCACertificate: read(tls.serverRootCaCertPath),
    clientCertPair: cert && key ? { crt: cert, key } : undefined,
  };
}

/** A client for starting, querying, cancelling and resetting workflows. */
export async function connectClient(config: MpctlConfig): Promise<Client> {
  const connection = await Connection.connect({ address: requireAddress(config), tls: tlsOptions(config), apiKey: config.apiKey, connectTimeout: 5_000 });
  return new Client({ connection, namespace: config.namespace });
}

/** The worker's own (Rust core) connection. */
export async function connectWorker(config: MpctlConfig): Promise<NativeConnection> {
  return NativeConnection.connect({ address: requireAddress(config), tls: tlsOptions(config), apiKey: config.apiKey });
}

export function workflowUiUrl(config: MpctlConfig, workflowId: string, runId?: string): string | undefined {
  if (!config.uiUrl) return undefined;
  const base = `${config.uiUrl}/namespaces/${encodeURIComponent(config.namespace)}/workflows/${encodeURIComponent(workflowId)}`;
  return runId ? `${base}/${runId}/history` : base;
}
