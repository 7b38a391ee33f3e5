import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ConfigError } from "./config-error.ts";
import { DEFAULT_CONFIG_PATH, loadConfig, parseConfig } from "./load-config.ts";

const defaultYaml = readFileSync(DEFAULT_CONFIG_PATH, "utf8");
const noKeys = { env: {} };
const withAdmin = (yaml: string) => parseConfig(`${defaultYaml}\nadmin:\n${yaml}`, "x.yaml", noKeys);

describe("admin.bull_board read-only queues", () => {
  it("leaves every queue writable and logins at 8 h by default", () => {
    expect(loadConfig(undefined, noKeys).admin).toEqual({
      sessionTtlSeconds: 28_800,
      bullBoard: { readOnlyQueues: [] },
    });
  });

  it("makes every tier × class queue and the webhook queue read-only with read_only: true", () => {
    const config = withAdmin("  bull_board: { read_only: true }\n");
    expect(config.admin.bullBoard.readOnlyQueues).toEqual([
      "capable-batch",
      "capable-interactive",
      "fast-batch",
      "fast-interactive",
      "standard-batch",
      "standard-interactive",
      "webhooks",
    ]);
  });

  it("selects queues by class, tier, exact queue or webhooks", () => {
    const config = withAdmin(
      "  session_ttl_s: 3600\n  bull_board: { read_only_queues: [interactive, capable, fast-batch, webhooks] }\n",
    );
    expect(config.admin.sessionTtlSeconds).toBe(3600);
    expect(config.admin.bullBoard.readOnlyQueues).toEqual([
      "capable-batch",
      "capable-interactive",
      "fast-batch",
      "fast-interactive",
      "standard-interactive",
      "webhooks",
    ]);
  });

  it("names a selector that matches no queue instead of silently protecting nothing", () => {
    try {
      withAdmin("  bull_board: { read_only_queues: [fast, capable-interactiv] }\n");
      expect.unreachable("a bad selector must be refused");
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).issues).toEqual([
        {
          path: "admin.bull_board.read_only_queues[1]",
          message: expect.stringMatching(/^"capable-interactiv" names no queue; use a class/),
        },
      ]);
    }
  });
});
