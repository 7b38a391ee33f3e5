import { redisFixture } from "@llmr/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postBatch } from "./batch-test-stack.ts";
import { auth, KEY_A, startTestApi } from "./start-test-api.ts";

const redis = redisFixture();
let api: Awaited<ReturnType<typeof startTestApi>>;

beforeAll(async () => {
  // No workers: a refused batch must leave nothing anywhere, queued or not.
  api = await startTestApi({ redisUrl: redis.url, keyPrefix: redis.prefix });
});
afterAll(async () => {
  await api.close();
});

/** Every key of this test's prefix: job records, batch keys, leases, BullMQ's queues. */
async function storedKeys(): Promise<string[]> {
  const client = redis.connect();
  const keys: string[] = [];
  let cursor = "0";
  do {
    const [next, found] = await client.scan(cursor, "MATCH", `${redis.prefix}:*`, "COUNT", 1_000);
    cursor = next;
    keys.push(...found.filter((key) => !key.includes(":ratelimit:")));
  } while (cursor !== "0");
  return keys.sort();
}

const ndjson = (items: unknown[]) => `${items.map((item) => JSON.stringify(item)).join("\n")}\n`;

describe("a refused batch", () => {
  it("names every duplicate custom_id and stores nothing (JSON and NDJSON)", async () => {
    const before = await storedKeys();
    const items = ["a", "b", "a", "c", "b"].map((id) => ({ custom_id: id, input: "x" }));
    const json = await postBatch(api.url, { items });
    expect(json.status).toBe(400);
    expect(json.body.error).toEqual({
      type: "invalid_request_error",
      message:
        'items[2].custom_id: duplicate custom_id "a" (first given at items[0]); ' +
        'items[4].custom_id: duplicate custom_id "b" (first given at items[1])',
    });
    const lines = await postBatch(api.url, ndjson(items), { ndjson: true });
    expect(lines.status).toBe(400);
    expect(lines.body.error?.message).toContain(
      'lines[3].custom_id: duplicate custom_id "a" (first given at lines[1])',
    );
    expect(await storedKeys()).toEqual(before);
  });

  it("names a bad item and its field; nothing of the items before it stays stored", async () => {
    const before = await storedKeys();
    const json = await postBatch(api.url, { items: [{ custom_id: "ok", input: "x" }, { custom_id: "bad" }] });
    expect(json.status).toBe(400);
    expect(json.body.error).toEqual({
      type: "invalid_request_error",
      message: "items[1].messages: required: give either messages or input",
      param: "items[1].messages",
    });

    // Deep into an upload: the first 1,099 lines were staged (two chunks) before line 1,100 failed.
    const items: unknown[] = Array.from({ length: 1_200 }, (_, i) => ({
      custom_id: `doc-${i}`,
      input: `text ${i}`,
    }));
    items[1_099] = { custom_id: "doc-1099", input: "x", tier: "turbo" };
    const upload = await postBatch(api.url, ndjson(items), { ndjson: true });
    expect(upload.status).toBe(400);
    expect(upload.body.error).toMatchObject({ param: "lines[1100].tier" });
    expect(upload.body.error?.message).toMatch(/^lines\[1100\]\.tier: unknown tier "turbo"/);

    const broken = await postBatch(api.url, '{"custom_id": "a", "input": "x"}\n{"custom_id": \n', {
      ndjson: true,
    });
    expect(broken.body.error?.message).toMatch(/^lines\[2\]: malformed JSON/);
    expect(await storedKeys()).toEqual(before);
  });

  it("checks the batch's own fields before storing anything", async () => {
    const before = await storedKeys();
    const cases: Array<[unknown, string]> = [
      [
        { items: [{ custom_id: "a", input: "x" }], complete_by: "2000-01-01T00:00:00Z" },
        "complete_by: must be in the future",
      ],
      [
        { items: [{ custom_id: "a", input: "x" }], webhook: { url: "http://127.0.0.1/hook" } },
        "webhook.url: ",
      ],
      [{ items: [{ custom_id: "a", input: "x" }], priority: 1 }, "priority: unknown field"],
      [{ items: [] }, "items: must hold at least one item"],
    ];
    for (const [body, message] of cases) {
      const res = await postBatch(api.url, body);
      expect(res.status).toBe(400);
      expect(res.body.error?.message).toContain(message);
    }
    const options = await postBatch(
      api.url,
      ndjson([
        { object: "batch.options", not_before: "soon" },
        { custom_id: "a", input: "x" },
      ]),
      {
        ndjson: true,
      },
    );
    expect(options.body.error?.param).toBe("lines[1].not_before");
    const empty = await postBatch(api.url, "\n", { ndjson: true });
    expect(empty.body.error?.message).toBe("items: the batch holds no items");
    expect(await storedKeys()).toEqual(before);
  });

  it("leaves nothing stored when the client goes away mid-upload", async () => {
    const before = await storedKeys();
    const aborted = new AbortController();
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        // Two chunks' worth of valid items, then the client stops sending and goes away.
        if (sent >= 1_200) {
          aborted.abort();
          return;
        }
        const lines = Array.from({ length: 100 }, (_, i) =>
          JSON.stringify({ custom_id: `c${sent + i}`, input: "x" }),
        );
        sent += 100;
        controller.enqueue(new TextEncoder().encode(`${lines.join("\n")}\n`));
      },
    });
    await expect(
      fetch(`${api.url}/v1/batches`, {
        method: "POST",
        headers: { ...auth(KEY_A), "content-type": "application/x-ndjson" },
        body,
        duplex: "half",
        signal: aborted.signal,
      } as RequestInit),
    ).rejects.toThrow();
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline && (await storedKeys()).length !== before.length) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(await storedKeys()).toEqual(before);
    // A client's doing, not the server's: no error is logged for it.
    expect(api.logLines.join("")).not.toContain("unhandled error");
  });
});
