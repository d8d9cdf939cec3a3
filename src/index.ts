/**
 * The library API: `import { run, validate, loadScenario, compare } from 'zmq-bench'` (docs/api.md).
 * Re-exports only; the work is in api/. Nothing here exits the process or prints unless asked.
 */

export { compare, type CompareInput, type CompareOptions, type ComparisonReport } from './api/compare.js';
export { CompareError, ScenarioError } from './api/errors.js';
export { BenchError } from './core/errors.js';
export type { BreachEvent, RunEvent, RunEventListener, RunEventOf, RunEventType } from './api/events.js';
export { loadScenario, type LoadScenarioOptions } from './api/load-scenario.js';
export type { DurationInput, ScenarioOverrides } from './api/options.js';
export { parseScenario, type ParseScenarioOptions } from './api/parse-scenario.js';
export { run, type RunOptions } from './api/run.js';
export type { AgentSettings } from './api/run-setup.js';
export type { ScenarioInputOptions } from './api/scenario-input.js';
export { scenariosDir } from './api/shipped.js';
export { validate } from './api/validate.js';
export { RUN_PHASES, type RunPhase } from './runtime/run-events.js';

// The types of what goes in and comes out: a scenario, its result, the events' payloads.
export type { Comparison, FigureChange } from './ci/types.js';
export type { LiveFigures } from './collect/live-figures.js';
export type { Sample } from './collect/sample.js';
export type { FlowFigures, GroupResult, RunResult, ThresholdResult, TimelineEntry, TimeSeries } from './core/types.js';
export type { AgentTarget } from './runtime/remote/agent-link.js';
export type { EngineName, Placement, Scenario, ScenarioFile, TransportName } from './scenario/schema.js';
