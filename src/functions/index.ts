// Every CEL domain function available to checks, gathered from the per-area modules.
import type { CelFunction } from './types.js';
import { iamFunctions } from './iam-cel.js';
import { resourceFunctions } from './resource-cel.js';

export type { CelFunction } from './types.js';

export const celFunctions: readonly CelFunction[] = [...iamFunctions, ...resourceFunctions];
