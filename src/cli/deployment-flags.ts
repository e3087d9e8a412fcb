import { Flags } from '@oclif/core';
import { DEFAULT_DEPLOYMENT_NAME } from '../worker/deployment-version.js';

/** The deployment the workers name, read from the same variable they read it from. */
export const deploymentNameFlag = Flags.string({
  description: 'Worker Deployment name, as the workers name it [env: MPCTL_DEPLOYMENT_NAME]',
  default: process.env.MPCTL_DEPLOYMENT_NAME || DEFAULT_DEPLOYMENT_NAME,
});
