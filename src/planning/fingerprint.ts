import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { ConsumedUpstream } from '../bookkeeping/entities.js';

const sha = (text: string) => crypto.createHash('sha256').update(text).digest('hex');

/** Sizes and mtimes of the files a job reads (a missing file is part of the signature too). */
export function rawSignature(files: string[]): string {
  if (files.length === 0) return '';
  const parts = [...files].sort().map((file) => {
    try {
      const stat = fs.statSync(file);
      return `${path.basename(file)}:${stat.size}:${Math.round(stat.mtimeMs)}`;
    } catch {
      return `${path.basename(file)}:missing`;
    }
  });
  return sha(parts.join('\n')).slice(0, 32);
}

export function paramsHash(params: Record<string, unknown> | undefined): string {
  return sha(stableJson(params ?? {})).slice(0, 16);
}

export interface FingerprintParts {
  codeVersion: string;
  paramsHash: string;
  rawSignature: string;
  upstream: Record<string, ConsumedUpstream>;
}

/** The hash of everything a job's result depends on; the parts are kept too, to say why it changed. */
export function inputFingerprint(parts: FingerprintParts): string {
  return sha(stableJson(parts)).slice(0, 32);
}

function stableJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  const keys = Object.keys(value as object).sort();
  return `{${keys.map((key) => `${JSON.stringify(key)}:${stableJson((value as Record<string, unknown>)[key])}`).join(',')}}`;
}
