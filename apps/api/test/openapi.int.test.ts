import { ErrorEnvelopeSchema, JobObjectSchema } from "@llmr/core";
import { redisFixture } from "@llmr/testing";
import { Validator } from "@seriousme/openapi-schema-validator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auth, json, KEY_A, startTestApi } from "./start-test-api.ts";

const redis = redisFixture();
let api: Awaited<ReturnType<typeof startTestApi>>;

beforeAll(async () => {
  api = await startTestApi({ redisUrl: redis.url, keyPrefix: redis.prefix });
});
afterAll(async () => {
  await api.close();
});

describe("/openapi.json", () => {
  it("is a valid OpenAPI 3.1 document, served without a key, with a browsable reference page", async () => {
    const res = await fetch(`${api.url}/openapi.json`);
    expect(res.status).toBe(200);
    const document = (await res.json()) as Record<string, unknown>;
    const validator = new Validator();
    const result = await validator.validate(document);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe("3.1");
    const page = await fetch(`${api.url}/docs`);
    expect(page.headers.get("content-type")).toMatch(/^text\/html/);
    expect(await page.text()).toContain('fetch("openapi.json")');
  });

  it("describes what the live server answers: the job object and the error envelope", async () => {
    const created = await fetch(`${api.url}/v1/jobs`, {
      method: "POST",
      headers: { ...auth(KEY_A), ...json },
      body: JSON.stringify({ input: "x", metadata: { a: "b" } }),
    });
    const job = JobObjectSchema.parse(await created.json());
    const read = await fetch(`${api.url}/v1/jobs/${job.id}`, { headers: auth(KEY_A) });
    expect(JobObjectSchema.safeParse(await read.json()).success).toBe(true);
    const bad = await fetch(`${api.url}/v1/jobs`, {
      method: "POST",
      headers: { ...auth(KEY_A), ...json },
      body: "{}",
    });
    expect(ErrorEnvelopeSchema.safeParse(await bad.json()).success).toBe(true);
    const document = (await (await fetch(`${api.url}/openapi.json`)).json()) as {
      paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
    };
    expect(Object.keys(document.paths["/v1/jobs"]?.post?.responses ?? {})).toEqual(
      expect.arrayContaining(["202", "400", "401", "413", "415", "422", "429", "503"]),
    );
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining([
        "/v1/batches",
        "/v1/batches/{id}",
        "/v1/batches/{id}/results",
        "/v1/batches/{id}/cancel",
      ]),
    );
  });
});
