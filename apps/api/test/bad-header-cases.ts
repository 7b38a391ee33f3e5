import type { BadRequest } from "./bad-request.ts";
import { BadRequests, INVALID, keyA } from "./bad-request.ts";
import { auth, json, KEY_A, OPERATOR } from "./start-test-api.ts";

/** Ids the cases point at: a job of the calling key (A) and one of another key (B). */
export interface CaseIds {
  ownJobId: string;
  otherJobId: string;
}

const JOB = JSON.stringify({ input: "x" });
const utf8With = (bad: number[]) =>
  new Uint8Array(Buffer.concat([Buffer.from('{"input":"'), Buffer.from(bad), Buffer.from('"}')]));

/**
 * Requests that are wrong in how they are sent rather than in the job they describe: bytes and
 * content types, credentials, ids, query strings, webhook targets, headers.
 */
export function badHeadersAndUrls(ids: CaseIds): BadRequest[] {
  const list = new BadRequests();

  // Bytes that are not UTF-8 are refused rather than turned into U+FFFD in the user's prompt.
  for (const [name, bad] of [
    ["0xFF 0xFE", [0xff, 0xfe]],
    ["an overlong '/' (0xC0 0xAF)", [0xc0, 0xaf]],
    ["a truncated sequence (0xE2 0x82)", [0xe2, 0x82]],
    ["an encoded surrogate (0xED 0xA0 0x80)", [0xed, 0xa0, 0x80]],
  ] as const) {
    list.post(`invalid UTF-8: ${name}`, utf8With([...bad]), {
      status: 400,
      type: INVALID,
      message: /not valid UTF-8/,
    });
  }
  const unsupported = (message: RegExp) => ({ status: 415, type: "unsupported_media_type", message });
  const typed = (contentType: string) => ({ ...auth(KEY_A), "content-type": contentType });
  for (const contentType of [
    "text/plain",
    "multipart/form-data; boundary=b",
    "application/x-www-form-urlencoded",
    "application/jsonx",
  ]) {
    list.post(
      `Content-Type: ${contentType}`,
      JOB,
      unsupported(/must be application\/json/),
      typed(contentType),
    );
  }
  list.post(
    "a body without Content-Type",
    new TextEncoder().encode(JOB),
    unsupported(/got none/),
    auth(KEY_A),
  );
  for (const charset of ["latin1", "utf-16"]) {
    const contentType = `application/json; charset=${charset}`;
    list.post(contentType, JOB, unsupported(/send the body as UTF-8/), typed(contentType));
  }
  list.post(
    "Content-Encoding: gzip on a plain body",
    JOB,
    { status: 400, type: INVALID, message: /could not be decompressed/ },
    { ...keyA(), "content-encoding": "gzip" },
  );
  list.post("Content-Encoding: xyz", JOB, unsupported(/content encoding/), {
    ...keyA(),
    "content-encoding": "xyz",
  });

  // Missing, garbled and foreign credentials.
  const missing = /^missing API key: send Authorization: Bearer <key>$/;
  const unknown = /^unknown API key$/;
  for (const [name, authorization, message] of [
    ["none", undefined, missing],
    ['"Bearer"', "Bearer", missing],
    ['"Bearer "', "Bearer ", missing],
    ['"Basic xxx"', "Basic xxx", missing],
    ["a key with a space in it", `Bearer ${KEY_A.slice(0, 10)} ${KEY_A.slice(10)}`, missing],
    ["the key without Bearer", KEY_A, missing],
    ["a 10 KB key", `Bearer ${"k".repeat(10_240)}`, unknown],
    ["the operator token", `Bearer ${OPERATOR}`, unknown],
    ["a key one letter off", `Bearer ${KEY_A.slice(0, -1)}X`, unknown],
  ] as const) {
    const headers = { ...json, ...(authorization === undefined ? {} : { authorization }) };
    list.post(`Authorization: ${name}`, JOB, { status: 401, type: "authentication_error", message }, headers);
  }
  for (const [name, authorization] of [
    ["an API key", `Bearer ${KEY_A}`],
    ["Basic xxx", "Basic xxx"],
    ["a wrong Basic password", `Basic ${Buffer.from("ops:wrong").toString("base64")}`],
  ]) {
    list.call(
      `/admin/queues with ${name}`,
      "GET",
      "/admin/queues",
      { authorization: authorization as string },
      {
        status: 401,
        type: "authentication_error",
        message: /operator credential required/,
      },
    );
  }

  // Unknown ids and another key's ids: the very same 404.
  const noSuchJob = { status: 404, type: "not_found_error", message: /^no such job$/ };
  for (const id of [
    "job_00000000000000000000000000",
    ids.otherJobId,
    "nope",
    "a".repeat(5000),
    "%00",
    "..%2F..%2Fetc",
  ]) {
    const label = id === ids.otherJobId ? "another key's job" : `id ${id.slice(0, 30)}`;
    list.call(`GET ${label}`, "GET", `/v1/jobs/${id}`, auth(KEY_A), noSuchJob);
  }
  for (const [name, method, suffix] of [
    ["events", "GET", "/events"],
    ["cancel", "POST", "/cancel"],
    ["deliveries", "GET", "/deliveries"],
    ["delivery retry", "POST", "/deliveries/dlv_x/retry"],
  ] as const) {
    list.call(
      `${name} of another key's job`,
      method,
      `/v1/jobs/${ids.otherJobId}${suffix}`,
      auth(KEY_A),
      noSuchJob,
    );
  }
  list.call(
    "retry of an unknown delivery",
    "POST",
    `/v1/jobs/${ids.ownJobId}/deliveries/dlv_x/retry`,
    auth(KEY_A),
    {
      status: 404,
      type: "not_found_error",
      message: /^no such delivery$/,
    },
  );
  for (const id of ["%ff", "%E0%A4%A"]) {
    list.call(`GET /v1/jobs/${id} (bad percent-encoding)`, "GET", `/v1/jobs/${id}`, auth(KEY_A), {
      status: 400,
      type: INVALID,
      message: /not valid percent-encoded UTF-8/,
    });
  }
  list.call("an unknown route", "PUT", "/v1/jobs", auth(KEY_A), {
    status: 404,
    type: "not_found_error",
    message: /no route PUT/,
  });

  for (const wait of [
    "abc",
    "-1",
    "61",
    "1e3",
    "NaN",
    "Infinity",
    "0x10",
    "",
    "1&wait=2",
    "%00",
    "1.5.5",
    "%201",
  ]) {
    list.call(`?wait=${wait}`, "GET", `/v1/jobs/${ids.ownJobId}?wait=${wait}`, auth(KEY_A), {
      status: 400,
      type: INVALID,
      param: "wait",
      message: /^wait must be a number of seconds from 0 to 60$/,
    });
  }

  // Webhook URLs aimed at our own network; every host is an address literal, so no DNS is asked.
  for (const url of [
    "http://127.0.0.1/h",
    "http://127.1/h",
    "http://10.1.2.3/h",
    "http://169.254.169.254/latest/meta-data",
    "http://2130706433/h",
    "http://0x7f000001/h",
    "http://0177.0.0.1/h",
    "http://[::ffff:127.0.0.1]/h",
    "http://[::1]/h",
    "http://0.0.0.0/h",
    "http://100.64.0.1/h",
    "http://192.168.1.1/h",
    "http://172.16.0.1/h",
    "http://[fd00::1]/h",
  ]) {
    list.field(
      `webhook ${url}`,
      { webhook: { url } },
      "webhook.url",
      /webhooks only go to public addresses$/,
    );
  }
  for (const url of ["ftp://example.com/h", "javascript:alert(1)", "file:///etc/passwd", "not a url"]) {
    list.field(`webhook ${url}`, { webhook: { url } }, "webhook.url", /: must be an http\(s\) URL$/);
  }
  list.field(
    "webhook with credentials",
    { webhook: { url: "https://u:p@127.0.0.1/h" } },
    "webhook.url",
    /user name or password/,
  );

  list.post(
    "Idempotency-Key of 256 characters",
    JOB,
    { status: 400, type: INVALID, param: "Idempotency-Key", message: /1 to 255 characters/ },
    {
      ...keyA(),
      "idempotency-key": "k".repeat(256),
    },
  );
  return list.cases;
}
