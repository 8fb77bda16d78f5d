import type { StepContext } from '../context.js';
import type { StepId } from '../options.js';
import { runBenchmarkStep } from './benchmark.js';
import { runBridge } from './bridge.js';
import { runConfig } from './config.js';
import { exchangeStep } from './exchange.js';
import { runMessages } from './messages.js';
import { runStress } from './stress.js';
import { runStructure } from './structure.js';

export const STEP_RUNNERS: Record<StepId, (ctx: StepContext) => Promise<void>> = {
  structure: runStructure,
  sync: exchangeStep('sync'),
  async: exchangeStep('async'),
  bridge: runBridge,
  messages: runMessages,
  benchmark: runBenchmarkStep,
  config: runConfig,
  stress: runStress,
};
