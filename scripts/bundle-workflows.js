#!/usr/bin/env node
// Prebuilds the workflow bundle so workers (and the Docker image) start without webpack.
import fs from 'node:fs';
import { bundleWorkflowCode } from '@temporalio/worker';
import { prebuiltBundlePath, workflowsPath } from '../dist/src/worker/workflow-code.js';

const { code } = await bundleWorkflowCode({
  workflowsPath,
  logger: { info() {}, warn: console.warn, error: console.error, debug() {}, trace() {}, log() {} },
});
fs.writeFileSync(prebuiltBundlePath, code);
console.log(`workflow bundle: ${prebuiltBundlePath} (${Math.round(code.length / 1024)} KiB)`);
