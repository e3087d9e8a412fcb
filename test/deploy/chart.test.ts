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

describe('helm chart, worker versioning', { skip }, () => {
  const versioned = (args: string[] = []) =>
    renderChart(['-f', join(chartDir, 'ci', 'versioning-values.yaml'), ...args]);

  test('off by default: workers report the release and image as deployment and build, and route as before', () => {
    const manifests = renderChart(['--set', 'image.tag=2.0.0']);
    const [deploy] = byKind(manifests, 'Deployment');
    assert.equal(deploy!.metadata.name, 'lab-mpctl-worker');
    const container = deploy!.spec.template.spec.containers[0];
    assert.equal(env(container, 'MPCTL_DEPLOYMENT_NAME'), 'lab-mpctl');
    assert.equal(env(container, 'MPCTL_BUILD_ID'), '2.0.0');
    assert.equal(env(container, 'MPCTL_WORKER_VERSIONING'), undefined);
    assert.equal(
      byKind(manifests, 'Job').filter((j) => j.metadata.name.endsWith('set-current')).length,
      0,
      'no set-current Job',
    );
  });

  test('on: one worker Deployment per build, kept by later upgrades, every pool on the same build', () => {
    const deployments = byKind(versioned(), 'Deployment');
    assert.equal(deployments.length, 2);
    for (const deploy of deployments) {
      const container = deploy.spec.template.spec.containers[0];
      assert.match(deploy.metadata.name, /^lab-mpctl-worker(-python)?-[0-9a-f]{8}$/);
      assert.equal(deploy.metadata.annotations['helm.sh/resource-policy'], 'keep');
      assert.equal(deploy.metadata.annotations['mpctl.dev/build-id'], '2.1.0');
      const build = deploy.spec.selector.matchLabels['mpctl.dev/build'];
      assert.equal(deploy.spec.template.metadata.labels['mpctl.dev/build'], build, 'pods carry the build label');
      assert.equal(env(container, 'MPCTL_WORKER_VERSIONING'), 'true');
      assert.equal(env(container, 'MPCTL_BUILD_ID'), '2.1.0');
      assert.equal(env(container, 'MPCTL_DEPLOYMENT_NAME'), 'lab-mpctl');
    }
    const next = byKind(versioned(['--set', 'image.tag=2.2.0']), 'Deployment').map((d) => d.metadata.name);
    assert.equal(
      next.filter((n) => deployments.some((d) => d.metadata.name === n)).length,
      0,
      'a new tag renders new Deployments, so the old build keeps running beside it',
    );
  });

  test("on: the autoscalers target their build's Deployment", () => {
    const manifests = versioned();
    const names = byKind(manifests, 'Deployment').map((d) => d.metadata.name);
    const objects = byKind(manifests, 'ScaledObject');
    assert.equal(objects.length, 2);
    for (const so of objects) assert.ok(names.includes(so.spec.scaleTargetRef.name), so.spec.scaleTargetRef.name);
    const hpa = byKind(versioned(['--set', 'worker.autoscaling.type=hpa']), 'HorizontalPodAutoscaler');
    assert.ok(names.includes(hpa[0]!.spec.scaleTargetRef.name));
  });

  test('on: a post-install,post-upgrade Job makes the new build current once its workers poll', () => {
    const job = byKind(versioned(), 'Job').find((j) => j.metadata.name === 'lab-mpctl-set-current')!;
    assert.ok(job, 'no set-current Job');
    assert.equal(job.metadata.annotations['helm.sh/hook'], 'post-install,post-upgrade');
    const container = job.spec.template.spec.containers[0];
    assert.deepEqual(container.args, ['deployment', 'set-current', '--wait', '300']);
    assert.equal(env(container, 'MPCTL_BUILD_ID'), '2.1.0');
    assert.equal(env(container, 'MPCTL_DEPLOYMENT_NAME'), 'lab-mpctl');
    assert.ok(job.spec.activeDeadlineSeconds > 300);
    const off = byKind(versioned(['--set', 'versioning.setCurrent.enabled=false']), 'Job');
    assert.equal(off.filter((j) => j.metadata.name === 'lab-mpctl-set-current').length, 0);
  });

  test('a deployment name with a dot fails the render', () => {
    const r = runTool('helm', ['template', 'lab', chartDir, '--set', 'versioning.deploymentName=lab.mpctl']);
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /versioning\/deploymentName/);
  });
});
