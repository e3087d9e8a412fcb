import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';

/** Outputs flattened to named columns of numbers (NaN = missing, booleans as 0/1), as the Python references write them. */
export type Flat = Record<string, number[]>;

export const REFERENCE_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../bench/reference');

/** Inputs for a reference: JSON metadata and every array appended to one float64 file, addressed by [offset, length]. */
export class ReferenceInputs {
  private readonly parts: Float64Array[] = [];
  private length = 0;

  add(x: ArrayLike<number>): [number, number] {
    const a = Float64Array.from(x);
    this.parts.push(a);
    this.length += a.length;
    return [this.length - a.length, a.length];
  }

  write(dir: string, meta: unknown): void {
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'inputs.json'), JSON.stringify(meta));
    const all = new Float64Array(this.length);
    let at = 0;
    for (const p of this.parts) all.set(p, (at += p.length) - p.length);
    fs.writeFileSync(path.join(dir, 'samples.f64'), new Uint8Array(all.buffer));
  }
}

/**
 * One reference script kept running (bench/reference/ref_io.py's `serve`): inputs loaded once,
 * each `run()` computes everything again and returns the CPU and wall seconds Python measured.
 * BLAS is held to one thread, as mpctl's kernels run on one.
 */
export class ReferenceProcess {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly lines: AsyncIterator<string>;
  private stderr = '';

  constructor(
    python: string,
    script: string,
    readonly dir: string,
  ) {
    const threads = { OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1', MKL_NUM_THREADS: '1' };
    this.child = spawn(python, [path.join(REFERENCE_DIR, script), dir], { env: { ...process.env, ...threads } });
    this.child.stderr.on('data', (d: Buffer) => (this.stderr += d.toString()));
    this.lines = readline.createInterface({ input: this.child.stdout })[Symbol.asyncIterator]();
  }

  async run(): Promise<{ cpu: number; wall: number }> {
    this.child.stdin.write('run\n');
    const next = await this.lines.next();
    if (next.done) throw new Error(`reference ${this.child.spawnargs[1]} exited:\n${this.stderr}`);
    return JSON.parse(next.value) as { cpu: number; wall: number };
  }

  outputs(): Flat {
    const raw = JSON.parse(fs.readFileSync(path.join(this.dir, 'outputs.json'), 'utf8')) as Record<
      string,
      (number | null)[]
    >;
    return Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, v.map((x) => x ?? Number.NaN)]));
  }

  close(): void {
    this.child.stdin.end();
  }
}

/** Allowed difference per column: |mpctl − reference| ≤ abs + rel·|reference|; NaN must meet NaN. */
export type Tolerances = Record<string, { abs: number; rel: number }>;

/** The largest difference of every column, relative to its allowance (≤ 1 = within); throws naming the columns beyond it. */
export function assertAgree(
  name: string,
  mpctl: Flat,
  reference: Flat,
  tolerances: Tolerances,
): Record<string, number> {
  const worst: Record<string, number> = {};
  const failures: string[] = [];
  for (const key of new Set([...Object.keys(mpctl), ...Object.keys(reference)])) {
    const a = mpctl[key];
    const b = reference[key];
    const tol = tolerances[key] ?? tolerances['*'];
    if (!a || !b || !tol) {
      failures.push(`${key}: ${!a ? 'missing from mpctl' : !b ? 'missing from the reference' : 'no tolerance'}`);
      continue;
    }
    if (a.length !== b.length) {
      failures.push(`${key}: ${a.length} values from mpctl, ${b.length} from the reference`);
      continue;
    }
    let w = 0;
    let at = -1;
    for (let i = 0; i < a.length; i++) {
      const x = Number.isFinite(a[i]!) ? a[i]! : Number.NaN;
      const y = Number.isFinite(b[i]!) ? b[i]! : Number.NaN;
      const off =
        Number.isNaN(x) || Number.isNaN(y)
          ? Number.isNaN(x) === Number.isNaN(y)
            ? 0
            : Infinity
          : Math.abs(x - y) === 0
            ? 0
            : Math.abs(x - y) / (tol.abs + tol.rel * Math.abs(y));
      if (off > w) [w, at] = [off, i];
    }
    worst[key] = w;
    if (w > 1)
      failures.push(`${key}[${at}]: mpctl ${a[at]} vs reference ${b[at]} (${w.toPrecision(3)}× the tolerance)`);
  }
  if (failures.length) throw new Error(`${name}: mpctl and the numpy reference disagree:\n  ${failures.join('\n  ')}`);
  return worst;
}
