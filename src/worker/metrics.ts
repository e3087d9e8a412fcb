import { Registry, collectDefaultMetrics } from 'prom-client';

/** mpctl's own Prometheus metrics: jobs by module and outcome, and job durations. */
export class JobMetrics {
  private readonly counts = new Map<string, number>();
  private readonly durations = new Map<string, { sum: number; count: number; buckets: number[] }>();
  static readonly bucketBounds = [0.1, 0.5, 1, 5, 15, 60, 300, 1800];

  record(module: string, outcome: string, seconds: number): void {
    const key = `${module}\u0000${outcome}`;
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
    const d = this.durations.get(module) ?? { sum: 0, count: 0, buckets: JobMetrics.bucketBounds.map(() => 0) };
    d.sum += seconds;
    d.count++;
    JobMetrics.bucketBounds.forEach((bound, i) => {
      if (seconds <= bound) d.buckets[i]++;
    });
    this.durations.set(module, d);
  }

  render(): string {
    const lines = [
      '# HELP mpctl_jobs_total Module jobs finished, by module and outcome.',
      '# TYPE mpctl_jobs_total counter',
    ];
    for (const [key, value] of this.counts) {
      const [module, outcome] = key.split('\u0000');
      lines.push(`mpctl_jobs_total{module="${module}",outcome="${outcome}"} ${value}`);
    }
    lines.push('# HELP mpctl_job_duration_seconds Module job duration.', '# TYPE mpctl_job_duration_seconds histogram');
    for (const [module, d] of this.durations) {
      JobMetrics.bucketBounds.forEach((bound, i) =>
        lines.push(`mpctl_job_duration_seconds_bucket{module="${module}",le="${bound}"} ${d.buckets[i]}`),
      );
      lines.push(`mpctl_job_duration_seconds_bucket{module="${module}",le="+Inf"} ${d.count}`);
      lines.push(`mpctl_job_duration_seconds_sum{module="${module}"} ${d.sum}`);
      lines.push(`mpctl_job_duration_seconds_count{module="${module}"} ${d.count}`);
    }
    return lines.join('\n') + '\n';
  }
}

let runtime: Registry | undefined;

/** The process and Node runtime metrics (memory, CPU, event-loop lag, GC, handles) from prom-client's defaults. */
export function runtimeMetrics(): Promise<string> {
  if (!runtime) {
    runtime = new Registry();
    collectDefaultMetrics({ register: runtime });
  }
  return runtime.metrics();
}
