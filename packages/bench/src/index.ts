/** `@llmr/bench`: the router measured against bare BullMQ and bare express, in one run. */
export type { BenchReport, ScenarioResult } from "./results.ts";
export { toMarkdown, writeReport } from "./results.ts";
export type { RunBenchOptions, ScenarioName } from "./run-bench.ts";
export { runBench, SCENARIOS } from "./run-bench.ts";
