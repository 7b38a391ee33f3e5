import { readFileSync } from "node:fs";
import { Registry } from "prom-client";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { registerClusterGauges } from "./cluster-gauges.ts";
import { createApiRegistry, createWorkerRegistry } from "./create-registry.ts";

/**
 * The alert rules and the dashboard name metrics by string; this keeps them from rotting: every
 * `llmr_…` name they use must be a family one of the processes registers (a histogram's
 * `_bucket` / `_sum` / `_count` series included).
 */
const infra = (path: string) => readFileSync(new URL(`../../../infra/${path}`, import.meta.url), "utf8");

interface Rule {
  alert: string;
  expr: string;
  for?: string;
  labels?: { severity?: string };
  annotations?: { summary?: string; description?: string };
}

async function registeredSeriesNames(): Promise<Set<string>> {
  const cluster = new Registry();
  registerClusterGauges(cluster, async () => ({ queues: [], breakers: [] }));
  const registries = [createWorkerRegistry().registry, createApiRegistry().registry, cluster];
  const names = new Set<string>();
  for (const registry of registries) {
    for (const family of await registry.getMetricsAsJSON()) {
      names.add(family.name);
      if (String(family.type) === "histogram")
        for (const suffix of ["_bucket", "_sum", "_count"]) names.add(`${family.name}${suffix}`);
    }
  }
  return names;
}

function metricNames(expr: string): string[] {
  return [...expr.matchAll(/\bllmr_[a-z0-9_]+/g)].map((match) => match[0]);
}

function dashboardExprs(node: unknown): string[] {
  if (Array.isArray(node)) return node.flatMap(dashboardExprs);
  if (node === null || typeof node !== "object") return [];
  return Object.entries(node).flatMap(([key, value]) =>
    key === "expr" && typeof value === "string" ? [value] : dashboardExprs(value),
  );
}

describe("infra/prometheus and infra/grafana", () => {
  it("scrape the API and the workers with the operator token from a file, never inline", () => {
    const config = parse(infra("prometheus/prometheus.yml")) as {
      rule_files: string[];
      scrape_configs: Array<{ job_name: string; authorization?: Record<string, string> }>;
    };
    expect(config.rule_files).toContain("alerts.yml");
    expect(config.scrape_configs.map((job) => job.job_name)).toEqual(["llmr-api", "llmr-worker"]);
    for (const job of config.scrape_configs) {
      expect(job.authorization?.type).toBe("Bearer");
      expect(job.authorization?.credentials_file).toMatch(/^\//);
      expect(job.authorization?.credentials).toBeUndefined();
    }
  });

  it("alert on the four conditions with only metrics the processes register", async () => {
    const document = parse(infra("prometheus/alerts.yml")) as { groups: Array<{ rules: Rule[] }> };
    const rules = document.groups.flatMap((group) => group.rules);
    expect(rules.map((rule) => rule.alert)).toEqual(
      expect.arrayContaining([
        "LlmrCircuitBreakerOpen",
        "LlmrInteractiveQueueWaitHigh",
        "LlmrEscalationRateJump",
        "LlmrSpendPerHourAboveBudget",
      ]),
    );
    const known = await registeredSeriesNames();
    for (const rule of rules) {
      expect(rule.labels?.severity, rule.alert).toMatch(/^(warning|critical)$/);
      expect(rule.annotations?.summary, rule.alert).toBeTruthy();
      const names = metricNames(rule.expr);
      expect(names.length, rule.alert).toBeGreaterThan(0);
      for (const name of names) expect(known, `${rule.alert} uses ${name}`).toContain(name);
    }
  });

  it("build the dashboard only from metrics the processes register", async () => {
    const dashboard = JSON.parse(infra("grafana/llmr-dashboard.json")) as { panels: unknown[]; uid: string };
    const exprs = dashboardExprs(dashboard.panels);
    expect(exprs.length).toBeGreaterThan(20);
    const known = await registeredSeriesNames();
    const used = new Set(exprs.flatMap(metricNames));
    for (const name of used) expect(known, `the dashboard uses ${name}`).toContain(name);
    // Every family of the router (not Node's process metrics) has a panel.
    const families = [...known].filter(
      (name) => !/_(bucket|sum|count)$/.test(name) && !/^llmr_(process|nodejs)_/.test(name),
    );
    const shown = [...used].map((name) => name.replace(/_(bucket|sum|count)$/, ""));
    for (const family of families) {
      if (family === "llmr_cluster_state_up") continue; // alerted on, not plotted
      expect(shown, `no panel shows ${family}`).toContain(family);
    }
  });
});
