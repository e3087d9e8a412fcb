import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import type { ConsumedUpstream } from '../bookkeeping/entities.js';
import type { PipelineModule } from '../modules/types.js';
import { buildInfo } from '../util/build-info.js';

export interface RawInputRecord {
  path: string;
  size: number;
  mtime: string;
  sha256: string;
}

/**
 * Path, size, mtime and sha256 of each raw input that exists (a module may list optional files,
 * such as ignore.txt), hashed as a stream (NWB files can be large).
 */
export async function rawInputRecords(files: string[]): Promise<RawInputRecord[]> {
  const present = files.filter((file) => fs.statSync(file, { throwIfNoEntry: false })?.isFile());
  return Promise.all(
    present.map(async (file) => {
      const stat = await fs.promises.stat(file);
      const hash = crypto.createHash('sha256');
      for await (const chunk of fs.createReadStream(file)) hash.update(chunk as Buffer);
      return { path: file, size: stat.size, mtime: stat.mtime.toISOString(), sha256: hash.digest('hex') };
    }),
  );
}

export interface ProvenanceInput {
  module: PipelineModule;
  rawInputs: RawInputRecord[];
  upstream: Record<string, ConsumedUpstream>;
  rows: Record<string, number>;
  extra?: Record<string, unknown>;
  runtime: {
    workerIdentity: string;
    workflowId: string | null;
    runId: string | null;
    attempt: number;
    startedAt: Date;
    endedAt: Date;
    /** CPU of the worker process (every thread) while the job ran: the job's own cost only at concurrency 1. */
    workerCpuMs: number;
  };
}

/**
 * What produced a job's current result (docs/modules.md, "Logs and provenance"): mpctl's build,
 * the module's version (and an external module's folder hash, exit and memory via `extra`), params,
 * raw inputs, upstream jobs, outputs and where and when it ran. Kept with the job record.
 */
export function provenanceRecord(input: ProvenanceInput): Record<string, unknown> {
  const { folderHash, files, exitCode, signal, peakRssBytes, command, ...rest } = input.extra ?? {};
  return {
    mpctl: buildInfo(),
    module: {
      name: input.module.name,
      version: input.module.version,
      origin: 'manifest' in input.module ? (input.module as { manifest: { dir: string } }).manifest.dir : 'built-in',
      ...(folderHash ? { folderHash } : {}),
      ...(command ? { command } : {}),
    },
    params: input.module.params,
    rawInputs: input.rawInputs,
    upstream: input.upstream,
    outputs: { rows: input.rows, files: files ?? [] },
    runtime: {
      ...input.runtime,
      host: os.hostname(),
      startedAt: input.runtime.startedAt.toISOString(),
      endedAt: input.runtime.endedAt.toISOString(),
      exitCode: exitCode ?? null,
      signal: signal ?? null,
      peakRssBytes: peakRssBytes ?? null,
    },
    ...rest,
  };
}
