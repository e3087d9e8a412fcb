import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { buildInfo } from '../../src/util/build-info.js';
import {
  defaultBuildId,
  deploymentSettingsFromEnv,
  workerDeploymentOptions,
  workerVersion,
} from '../../src/worker/deployment-version.js';

describe('worker deployment version', () => {
  test('the build id defaults to the package version and the commit', () => {
    const { version, commit } = buildInfo();
    assert.equal(defaultBuildId(), commit ? `${version}-${commit.slice(0, 12)}` : version);
  });

  test('the environment names deployment, build and versioning; empty means unset', () => {
    assert.deepEqual(
      deploymentSettingsFromEnv({
        MPCTL_DEPLOYMENT_NAME: 'lab',
        MPCTL_BUILD_ID: '2.1.0',
        MPCTL_WORKER_VERSIONING: 'true',
      }),
      { deploymentName: 'lab', buildId: '2.1.0', versioning: true },
    );
    assert.deepEqual(deploymentSettingsFromEnv({ MPCTL_BUILD_ID: '', MPCTL_WORKER_VERSIONING: 'off' }), {
      deploymentName: undefined,
      buildId: undefined,
      versioning: false,
    });
    assert.throws(() => deploymentSettingsFromEnv({ MPCTL_WORKER_VERSIONING: 'maybe' }), /MPCTL_WORKER_VERSIONING/);
  });

  test('versioning off registers no deployment (the server would reject the behaviours)', () => {
    const version = workerVersion({ buildId: '2.1.0' });
    assert.deepEqual(version, { deploymentName: 'mpctl', buildId: '2.1.0', versioning: false });
    assert.equal(workerDeploymentOptions(version), undefined);
  });

  test('versioning on registers the version, pinned by default', () => {
    assert.deepEqual(
      workerDeploymentOptions(workerVersion({ deploymentName: 'lab', buildId: 'b', versioning: true })),
      {
        version: { deploymentName: 'lab', buildId: 'b' },
        useWorkerVersioning: true,
        defaultVersioningBehavior: 'PINNED',
      },
    );
  });

  test('a dot in the deployment name or a space in the build id is refused before connecting', () => {
    assert.throws(() => workerVersion({ deploymentName: 'lab.mpctl' }), /deployment name "lab.mpctl".*dots/);
    assert.throws(() => workerVersion({ buildId: '2.1 beta' }), /build id "2.1 beta"/);
    assert.doesNotThrow(() => workerVersion({ buildId: '2.1.0+sha.abc' }));
  });
});
