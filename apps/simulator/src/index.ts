/**
 * `@llmr/simulator`: an HTTP server that speaks the OpenAI Chat Completions and Anthropic Messages
 * APIs well enough for the official SDKs, with seeded, deterministic answers, simulated latency, rate
 * limits and injectable faults. It stands in for the vendors in tests, benchmarks and key-less runs.
 */
export type { OutputFormat } from "./compose-answer.ts";
export { difficultyLevels } from "./difficulty.ts";
export { type FaultKind, type FaultRates, faultKinds } from "./fault-kinds.ts";
export { type SimDirectives, type SimMarkerInput, simMarker, stripMarkers } from "./marker.ts";
export { defaultModels, type SimulatedModel } from "./model-table.ts";
export { type SimulatorOptions, simulatorOptionsSchema } from "./options.ts";
export { ReplayFileError } from "./replay-files.ts";
export { type ReplaySummary, type RunningSimulator, startSimulator } from "./server.ts";
export type { RequestOutcome, SimulatorStats } from "./stats.ts";
export { countTokens, tokenize } from "./tokenizer.ts";
