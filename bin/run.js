#!/usr/bin/env node
import { usePinnedNode } from './pinned-node.js';

// Before oclif loads: on an unsupported system Node this re-runs under the pinned Node 24.
await usePinnedNode();
const { execute } = await import('@oclif/core');
await execute({ dir: import.meta.url });
