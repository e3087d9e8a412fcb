import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { globSync } from 'tinyglobby';
import { saveJobLog } from '../bookkeeping/job-logs.js';
import type { Em } from '../db/orm.js';
import { execute, sql } from '../db/sql.js';
import { BadInputError, MemoryLimitError } from '../errors/index.js';
import type { PipelineModule, ProcessContext, ProcessResult, RowDropOptions } from '../modules/types.js';
import { folderHash } from './discover.js';
import type { ModuleManifest } from './manifest.js';
import { jobOutputDir, moveOutputs, removeJobOutputs } from './outputs.js';
import { RowSink } from './row-sink.js';
import { runProgram, type ProgramResult } from './run-program.js';

/** EX_DATAERR: the program says its input is bad (docs/modules.md). */
export const EXIT_BAD_INPUT = 65;

export interface ExternalSettings {
  /** The URL handed to programs; read-only (see readOnlyUrl). */
  moduleDatabaseUrl: string;
  resultsRoot: string;
  /** Prepended to PATH for the program (a Python environment's bin folder). */
  binDirs?(manifest: ModuleManifest): Promise<string[]>;
}

/** An external module is a PipelineModule like the built-ins; it marks itself with its manifest. */
export interface ExternalModule extends PipelineModule {
  manifest: ModuleManifest;
}

export function isExternal(module: PipelineModule): module is ExternalModule {
  return 'manifest' in module;
}

/** The pipeline module that runs a manifest's program once per experiment. */
export function externalModule(manifest: ModuleManifest, settings: ExternalSettings): ExternalModule {
  const tables = Object.keys(manifest.tables);
  return {
    manifest,
    name: manifest.name,
    version: manifest.version,
    dependencies: manifest.dependencies,
    scope: 'experiment',
    ...(manifest.taskQueue ? { taskQueue: manifest.taskQueue } : {}),
    entities: [],
    tables,
    params: manifest.params,
    rawInputs: (job) =>
      manifest.inputs.length ? globSync(manifest.inputs, { cwd: job.dir, absolute: true, onlyFiles: true }).sort() : [],
    drop: (em, jobIds, options) =>
      dropExternalRows(em, { name: manifest.name, tables, resultsRoot: settings.resultsRoot }, jobIds, options),
    process: (ctx) => runExternalJob(manifest, settings, ctx),
  };
}

/** An external module's rows per job and the files kept for those jobs (docs/modules.md, "Output"). */
export async function dropExternalRows(
  em: Em,
  module: { name: string; tables: string[]; resultsRoot: string },
  jobIds: string[],
  options: RowDropOptions = {},
): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of module.tables) {
    counts[table] = await execute(em, sql`DELETE FROM ${sql.id(table)} WHERE experiment_id = ANY(${jobIds}::text[])`);
  }
  if (!options.keepFiles) for (const jobId of jobIds) removeJobOutputs(module.resultsRoot, module.name, jobId);
  return counts;
}

async function runExternalJob(
  manifest: ModuleManifest,
  settings: ExternalSettings,
  ctx: ProcessContext,
): Promise<ProcessResult> {
  const { job } = ctx;
  const work = path.join(
    settings.resultsRoot,
    '.work',
    manifest.name,
    `${path.basename(jobOutputDir('', '', job.jobId))}-${ctx.attempt}-${crypto.randomBytes(4).toString('hex')}`,
  );
  const outputDir = path.join(work, 'out');
  fs.mkdirSync(outputDir, { recursive: true });
  const input = JSON.stringify({
    protocol: 1,
    module: manifest.name,
    version: manifest.version,
    jobId: job.jobId,
    experimentId: job.jobId,
    experimentDir: path.resolve(job.dir),
    params: manifest.params,
    databaseUrl: settings.moduleDatabaseUrl,
    outputDir,
    attempt: ctx.attempt,
    tables: manifest.tables,
    upstream: ctx.upstream,
  });
  const jobFile = path.join(work, 'job.json');
  fs.writeFileSync(jobFile, input);
  const bins = (await settings.binDirs?.(manifest)) ?? [];
  const sink = new RowSink(ctx.em, manifest, job.jobId);
  let result: ProgramResult | undefined;
  let outcome = 'failed';
  const started = new Date();
  try {
    result = await runProgram({
      command: manifest.command,
      cwd: manifest.dir,
      env: {
        ...process.env,
        ...manifest.env,
        PATH: [...bins, process.env.PATH ?? ''].filter(Boolean).join(path.delimiter),
        MPCTL_JOB_FILE: jobFile,
        MPCTL_MODULE: manifest.name,
        MPCTL_JOB_ID: job.jobId,
        MPCTL_EXPERIMENT_ID: job.jobId,
        MPCTL_EXPERIMENT_DIR: path.resolve(job.dir),
        MPCTL_OUTPUT_DIR: outputDir,
        PYTHONUNBUFFERED: '1',
      },
      input,
      timeoutMs: manifest.timeoutMs,
      memoryBytes: manifest.memoryBytes,
      signal: ctx.signal,
      onObject: async (line) => {
        if ('table' in line) await sink.add(line as { table: unknown; row?: unknown });
        else if (typeof line.progress === 'number') ctx.heartbeat({ module: manifest.name, progress: line.progress });
      },
    });
    outcome = judge(manifest, job.jobId, result);
    const rows = await sink.finish();
    const files = moveOutputs(outputDir, settings.resultsRoot, manifest.name, job.jobId);
    return {
      rows,
      provenance: {
        folderHash: folderHash(manifest.dir),
        command: manifest.command,
        exitCode: result.exitCode,
        signal: result.signal,
        peakRssBytes: result.peakRssBytes,
        files,
      },
    };
  } catch (error) {
    outcome = outcomeOf(error, outcome);
    throw error;
  } finally {
    await saveJobLog(ctx.outside(), {
      module: manifest.name,
      jobId: job.jobId,
      temporalAttempt: ctx.attempt,
      workflowId: ctx.workflowId ?? null,
      runId: ctx.runId ?? null,
      startedAt: result?.startedAt ?? started,
      endedAt: result?.endedAt ?? new Date(),
      exitCode: result?.exitCode ?? null,
      signal: result?.signal ?? null,
      outcome,
      truncated: result?.log.truncated ?? false,
      text: result?.log.text() ?? '',
    }).catch((error: unknown) => {
      // The job's own outcome matters more than its log; say so rather than hide it.
      console.error(`mpctl: could not keep the log of ${manifest.name} ${job.jobId}: ${(error as Error).message}`);
    });
    fs.rmSync(work, { recursive: true, force: true });
  }
}

/** Turns how the program ended into success or the error docs/modules.md promises. */
function judge(manifest: ModuleManifest, jobId: string, result: ProgramResult): string {
  const tail = result.log.lastStderr();
  const said = tail ? `: ${tail}` : '';
  switch (result.stoppedBy) {
    case 'cancelled':
      throw new Error(`${manifest.name} ${jobId}: cancelled; its process group was stopped`);
    case 'timeout':
      throw new Error(
        `${manifest.name} ${jobId}: ran past its timeout of ${manifest.timeoutMs / 1000} s and was stopped`,
      );
    case 'memory':
      throw new MemoryLimitError(
        `${manifest.name} ${jobId}: its processes used more than ${manifest.memoryBytes} bytes of memory and were stopped`,
      );
    default:
  }
  if (result.exitCode === EXIT_BAD_INPUT) {
    throw new BadInputError(`${manifest.name} ${jobId}`, tail || 'the program exited 65 (bad input)');
  }
  if (result.exitCode !== 0) {
    const how = result.signal ? `was killed by ${result.signal}` : `exited with status ${result.exitCode}`;
    throw new Error(`${manifest.name} ${jobId}: ${manifest.command.join(' ')} ${how}${said}`);
  }
  return 'succeeded';
}

function outcomeOf(error: unknown, fallback: string): string {
  if (error instanceof BadInputError) return 'bad-input';
  if (error instanceof MemoryLimitError) return 'memory-limit';
  if (error instanceof Error && error.name === 'BadOutputError') return 'bad-output';
  if (error instanceof Error && /cancelled/.test(error.message)) return 'cancelled';
  if (error instanceof Error && /timeout/.test(error.message)) return 'timeout';
  return fallback;
}
