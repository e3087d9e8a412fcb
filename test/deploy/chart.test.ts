import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { byKind, chartDir, type Manifest, renderChart, runTool, skipWithoutTools } from './support.js';

const skip = skipWithoutTools();
const ciValues = readdirSync(join(chartDir, 'ci')).filter((f) => f.endsWith('-values.yaml'));

function env(container: Manifest, name: string): string | undefined {
  return (container.env as Manifest[] | undefined)?.find((e) => e.name === name)?.value;
}

describe('helm chart, default values', { skip }, () => {
  const manifests = skip ? [] : renderChart();

  test('renders a worker Deployment running `mpctl worker`', () => {
    const [deploy, ...rest] = byKind(manifests, 'Deployment');
    assert.equal(rest.length, 0);
    assert.equal(deploy!.metadata.name, 'lab-mpctl-worker');
    const container = deploy!.spec.template.spec.containers[0];
    assert.deepEqual(container.args, ['worker']);
    assert.equal(env(container, 'MPCTL_TASK_QUEUE'), 'mpctl');
  });

  test('renders the migrations Job as a pre-install,pre-upgrade hook', () => {
    const [job] = byKind(manifests, 'Job');
    assert.ok(job, 'no Job rendered');
    assert.equal(job.metadata.annotations['helm.sh/hook'], 'pre-install,pre-upgrade');
    assert.deepEqual(job.spec.template.spec.containers[0].args, ['db', 'migrate']);
  });

  test('renders a KEDA ScaledObject whose temporal trigger targets task queue mpctl', () => {
    const [so] = byKind(manifests, 'ScaledObject');
    assert.ok(so, 'no ScaledObject rendered');
    assert.equal(so.spec.scaleTargetRef.name, 'lab-mpctl-worker');
    const trigger = so.spec.triggers.find((t: Manifest) => t.type === 'temporal');
    assert.equal(trigger.metadata.taskQueue, 'mpctl');
    assert.deepEqual(trigger.metadata.queueTypes.split(',').sort(), ['activity', 'workflow']);
    assert.equal(byKind(manifests, 'HorizontalPodAutoscaler').length, 0);
  });

  test('includes Secret, ServiceAccount, PodDisruptionBudget and metrics Service', () => {
    for (const kind of ['Secret', 'ServiceAccount', 'PodDisruptionBudget', 'Service']) {
      assert.equal(byKind(manifests, kind).length, 1, kind);
    }
  });
});

describe('helm chart, every ci/*-values.yaml', { skip }, () => {
  for (const file of ciValues) {
    test(`${file}: workers are locked down and outlive their own grace time`, () => {
      const manifests = renderChart(['-f', join(chartDir, 'ci', file)]);
      for (const deploy of byKind(manifests, 'Deployment')) {
        const pod = deploy.spec.template.spec;
        assert.equal(pod.securityContext.runAsNonRoot, true);
        const container = pod.containers[0];
        assert.equal(container.securityContext.readOnlyRootFilesystem, true);
        assert.equal(container.securityContext.allowPrivilegeEscalation, false);
        const grace = Number(env(container, 'MPCTL_SHUTDOWN_GRACE_SECONDS'));
        assert.ok(
          pod.terminationGracePeriodSeconds > grace,
          `terminationGracePeriodSeconds ${pod.terminationGracePeriodSeconds} <= worker grace ${grace}`,
        );
        const roots = env(container, 'MPCTL_DATA_ROOTS')!.split(':');
        for (const mount of container.volumeMounts as Manifest[]) {
          if (roots.includes(mount.mountPath)) assert.equal(mount.readOnly, true, mount.mountPath);
        }
      }
      // The main worker scales on mpctl's queue; worker pools on theirs (tested below).
      for (const so of byKind(manifests, 'ScaledObject').filter((o) => o.metadata.name === 'lab-mpctl-worker')) {
        assert.equal(so.spec.triggers[0].metadata.taskQueue, 'mpctl');
      }
    });
  }
});

describe('helm chart, bad values', { skip }, () => {
  function templateWith(values: string): { status: number | null; stderr: string } {
    const dir = mkdtempSync(join(tmpdir(), 'mpctl-values-'));
    writeFileSync(join(dir, 'values.yaml'), values);
    return runTool('helm', ['template', 'lab', chartDir, '-f', join(dir, 'values.yaml')]);
  }

  test('a wrong type fails the render with a message naming the key', () => {
    const r = templateWith('worker:\n  replicaCount: "three"\n');
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /at '\/worker\/replicaCount': got string, want integer/);
  });

  test('a misspelt key fails instead of being ignored', () => {
    const r = templateWith('wroker:\n  replicaCount: 2\n');
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /additional properties 'wroker' not allowed/);
  });

  test('a pod grace time not above the worker grace time fails', () => {
    const r = templateWith('worker:\n  shutdownGraceSeconds: 60\n  terminationGracePeriodSeconds: 45\n');
    assert.notEqual(r.status, 0);
    assert.match(
      r.stderr,
      /terminationGracePeriodSeconds \(45\) must be greater than worker.shutdownGraceSeconds \(60\)/,
    );
  });
});

describe('helm chart, worker pools', { skip }, () => {
  const manifests = skip ? [] : renderChart(['-f', join(chartDir, 'ci', 'worker-pools-values.yaml')]);

  test('a pool is its own Deployment serving only its queues, with its image and resources', () => {
    const deployments = byKind(manifests, 'Deployment');
    assert.deepEqual(deployments.map((d) => d.metadata.name).sort(), ['lab-mpctl-worker', 'lab-mpctl-worker-python']);
    const main = deployments.find((d) => d.metadata.name === 'lab-mpctl-worker')!.spec.template.spec.containers[0];
    assert.deepEqual(
      main.args,
      ['worker', '--task-queue', 'mpctl'],
      "with pools, the main worker keeps to mpctl's queue",
    );
    const pool = deployments.find((d) => d.metadata.name === 'lab-mpctl-worker-python')!.spec.template.spec
      .containers[0];
    assert.deepEqual(pool.args, ['worker', '--task-queue', 'python', '--task-queue', 'highmem']);
    assert.equal(pool.image, 'ghcr.io/lab/mpctl-python:7');
    assert.equal(pool.resources.limits.memory, '8Gi');
    assert.equal(env(pool, 'MPCTL_TASK_QUEUE'), 'mpctl', 'the pool still knows the main queue');
  });

  test("each pool scales on its own queues' activity backlog", () => {
    const objects = byKind(manifests, 'ScaledObject');
    const pool = objects.find((o) => o.metadata.name === 'lab-mpctl-worker-python')!;
    assert.equal(pool.spec.scaleTargetRef.name, 'lab-mpctl-worker-python');
    assert.equal(pool.spec.minReplicaCount, 0);
    assert.deepEqual(
      pool.spec.triggers.map((t: Manifest) => [t.metadata.taskQueue, t.metadata.queueTypes]),
      [
        ['python', 'activity'],
        ['highmem', 'activity'],
      ],
    );
    const main = objects.find((o) => o.metadata.name === 'lab-mpctl-worker')!;
    assert.deepEqual(
      main.spec.triggers.map((t: Manifest) => t.metadata.taskQueue),
      ['mpctl'],
    );
  });
});
