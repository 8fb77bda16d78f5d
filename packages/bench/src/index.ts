export { WorkerProcess } from './child.js';
export type { Driver, DriverName, DriverUnavailable, Link, Listener, Mode } from './driver.js';
export { MODES } from './driver.js';
export { driverAvailability, loadDriver } from './drivers.js';
export type { ExabgpBulkOutcome, ExabgpIdleOutcome } from './exabgp.js';
export { exabgpAvailability, exabgpBulk, exabgpIdle } from './exabgp.js';
export type { IdleOutcome, SessionsOutcome, StreamOutcome, StreamPlan } from './flows.js';
export { idleOnce, roundTrips, sessionsOnce, streamOnce } from './flows.js';
export type { BenchmarkOptions, BenchmarkResult, ModeResult, ScenarioResult } from './harness.js';
export { formatNumber, runBenchmark } from './harness.js';
export type { LatencySummary } from './latency.js';
export { LatencyRecorder, summarizeLatency } from './latency.js';
export type { WorkerPair } from './pool.js';
export { WorkerPool } from './pool.js';
export type { ProcessSample } from './proc.js';
export { cpuBetween, peakRss, procAvailable, sampleProcess } from './proc.js';
export type { Repetition, Scale, Scenario } from './scenarios.js';
export {
  allScenarios,
  bulk,
  bulkPacked,
  idle100,
  keepaliveJitter,
  large4096,
  peers10,
  scalabilityScenarios,
  sessions1000,
  updates1000,
} from './scenarios.js';
export type { Summary } from './stats.js';
export { pairedRatio, quantile, slope, summarize } from './stats.js';
export type { SyscallCounts } from './strace.js';
export { parseStraceSummary, SyscallTrace, straceAvailability } from './strace.js';
export { formatTable } from './table.js';
export {
  countRoutes,
  keepaliveMessage,
  routeRefreshMessage,
  routesPerUpdate,
  updateMessage,
  updateOfLength,
} from './traffic.js';
export type { ProcessWindow } from './window.js';
export { MeasureWindow } from './window.js';
