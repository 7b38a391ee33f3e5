import type { BadRequest } from "./bad-request.ts";
import { BadRequests, INVALID, keyA } from "./bad-request.ts";

/** The deepest nesting the battery sends: far past any recursion a JSON walker survives. */
const DEEP_LEVELS = 10_000;
const deepArray = `${"[".repeat(DEEP_LEVELS)}${"]".repeat(DEEP_LEVELS)}`;
const deepObject = `${'{"a":'.repeat(DEEP_LEVELS)}1${"}".repeat(DEEP_LEVELS)}`;

const SCHEMA = "response_format.json_schema.schema";
const withSchema = (schema: string) =>
  `{"input":"x","response_format":{"type":"json_schema","json_schema":{"name":"s","schema":${schema}}}}`;
/** A JSON schema of `levels` nested objects: 2 JSON levels each. */
const nestedSchema = (levels: number): unknown => {
  let schema: unknown = { type: "string" };
  for (let i = 0; i < levels; i++) schema = { type: "object", properties: { a: schema } };
  return schema;
};
const must = (what: string) => new RegExp(`must be ${what}`);
const unknownField = /: unknown field$/;

/** `POST /v1/jobs` bodies that are not a valid job, for a test API whose body limit is `bodyLimitBytes`. */
export function badBodies(bodyLimitBytes: number): BadRequest[] {
  const list = new BadRequests();

  for (const body of [
    '{"input": "x",',
    "{input: 'x'}",
    '{"input":"x"} trailing',
    "   ",
    '{"input":"x"',
    "{'input':'x'}",
    '{"input":"\\x"}',
    '{"input":"x","temperature":NaN}',
  ]) {
    list.post(`malformed JSON ${JSON.stringify(body)}`, body, {
      status: 400,
      type: INVALID,
      message: /^malformed JSON body: /,
    });
  }
  for (const [body, kind] of [
    ["[]", "an array"],
    ["[1,2]", "an array"],
    ['"x"', "a string"],
    ["1", "a number"],
    ["null", "null"],
    ["true", "true or false"],
  ] as const) {
    list.post(`a body that is ${kind}: ${body}`, body, {
      status: 400,
      type: INVALID,
      message: must(`a JSON object, not ${kind}`),
    });
  }

  // Wrong types at every level: [name, body, param, message].
  const typed: Array<[string, unknown, string, RegExp]> = [
    ["class: 1", { input: "x", class: 1 }, "class", /must be one of "interactive", "batch"/],
    ["task: 5", { input: "x", task: 5 }, "task", must("a string, not a number")],
    ["input: 3", { input: 3 }, "input", must("a string, not a number")],
    ['messages: "hi"', { messages: "hi" }, "messages", must("an array, not a string")],
    ["messages: []", { messages: [] }, "messages", /at least one message/],
    ['messages[0]: "hi"', { messages: ["hi"] }, "messages[0]", must("an object, not a string")],
    [
      "role: 1",
      { messages: [{ role: 1, content: "x" }] },
      "messages[0].role",
      /one of "system", "user", "assistant"/,
    ],
    ['role: "bot"', { messages: [{ role: "bot", content: "x" }] }, "messages[0].role", /one of "system"/],
    [
      "content: {}",
      { messages: [{ role: "user", content: { a: 1 } }] },
      "messages[0].content",
      must("a string, not an object"),
    ],
    [
      "content: [parts]",
      { messages: [{ role: "user", content: [{ text: "x" }] }] },
      "messages[0].content",
      must("a string, not an array"),
    ],
    [
      "content: null",
      { messages: [{ role: "user", content: null }] },
      "messages[0].content",
      must("a string, not null"),
    ],
    ["content missing", { messages: [{ role: "user" }] }, "messages[0].content", /: required$/],
    [
      'content: ""',
      { messages: [{ role: "user", content: "" }] },
      "messages[0].content",
      /must not be empty/,
    ],
    ["neither messages nor input", { class: "batch" }, "messages", /give either messages or input/],
    [
      'response_format: "json"',
      { input: "x", response_format: "json" },
      "response_format",
      must("an object, not a string"),
    ],
    [
      'response_format.type: "yaml"',
      { input: "x", response_format: { type: "yaml" } },
      "response_format.type",
      /one of "text", "json_object", "json_schema"/,
    ],
    [
      "json_schema missing",
      { input: "x", response_format: { type: "json_schema" } },
      "response_format.json_schema",
      /: required$/,
    ],
    [
      'json_schema.name: "a b"',
      { input: "x", response_format: { type: "json_schema", json_schema: { name: "a b", schema: {} } } },
      "response_format.json_schema.name",
      /letters, digits/,
    ],
    [
      'max_output_tokens: "5"',
      { input: "x", max_output_tokens: "5" },
      "max_output_tokens",
      must("a number, not a string"),
    ],
    ['temperature: "hot"', { input: "x", temperature: "hot" }, "temperature", must("a number, not a string")],
    ["tier: 1", { input: "x", tier: 1 }, "tier", must("a string, not a number")],
    ["max_tier: []", { input: "x", max_tier: [] }, "max_tier", must("a string, not an array")],
    ['tier: "turbo"', { input: "x", tier: "turbo" }, "tier", /unknown tier "turbo"; known: fast/],
    ["timeouts: 5", { input: "x", timeouts: 5 }, "timeouts", must("an object, not a number")],
    [
      'timeouts.soft_ms: "1"',
      { input: "x", timeouts: { soft_ms: "1" } },
      "timeouts.soft_ms",
      must("a number, not a string"),
    ],
    [
      'webhook: "https://…"',
      { input: "x", webhook: "https://example.com" },
      "webhook",
      must("an object, not a string"),
    ],
    ["webhook.url: 1", { input: "x", webhook: { url: 1 } }, "webhook.url", must("a string")],
    ["metadata: [1]", { input: "x", metadata: [1] }, "metadata", must("an object, not an array")],
    ["metadata.k: 1", { input: "x", metadata: { k: 1 } }, "metadata.k", must("a string, not a number")],
    ["metadata.k: null", { input: "x", metadata: { k: null } }, "metadata.k", must("a string, not null")],
    [
      "metadata.k: {}",
      { input: "x", metadata: { k: { b: 1 } } },
      "metadata.k",
      must("a string, not an object"),
    ],
  ];
  for (const [name, body, param, message] of typed) list.invalid(name, body, param, message);
  list.post('json_schema.schema: "x"', withSchema('"x"'), {
    status: 400,
    type: INVALID,
    param: SCHEMA,
    message: must("an object, not a string"),
  });
  list.post("json_schema.schema: []", withSchema("[]"), {
    status: 400,
    type: INVALID,
    param: SCHEMA,
    message: must("an object, not an array"),
  });

  // Unknown fields at every level.
  list.field("max_tokens", { max_tokens: 5 }, "max_tokens", unknownField);
  list.post("__proto__", '{"input":"x","__proto__":{"admin":true}}', {
    status: 400,
    type: INVALID,
    param: "__proto__",
    message: unknownField,
  });
  list.invalid(
    "messages[0].name",
    { messages: [{ role: "user", content: "x", name: "n" }] },
    "messages[0].name",
    unknownField,
  );
  list.field(
    "response_format.x",
    { response_format: { type: "text", x: 1 } },
    "response_format.x",
    unknownField,
  );
  list.field(
    "json_schema.x",
    { response_format: { type: "json_schema", json_schema: { name: "s", schema: {}, x: 1 } } },
    "response_format.json_schema.x",
    unknownField,
  );
  list.field("timeouts.x", { timeouts: { x: 1 } }, "timeouts.x", unknownField);
  list.field(
    "webhook.secret",
    { webhook: { url: "https://example.com/h", secret: "s" } },
    "webhook.secret",
    unknownField,
  );

  // Negative, fractional, non-finite ("1e309" parses as Infinity) and huge numbers.
  const numbers: Array<[string, string, RegExp]> = [
    ["max_output_tokens", "-1", /at least 1/],
    ["max_output_tokens", "0", /at least 1/],
    ["max_output_tokens", "1.5", /whole number/],
    ["max_output_tokens", "1e309", /finite number/],
    ["max_output_tokens", "-1e309", /finite number/],
    ["max_output_tokens", "1e300", /at most 1000000/],
    ["max_output_tokens", "1000001", /at most 1000000/],
    ["temperature", "-0.1", /at least 0/],
    ["temperature", "2.5", /at most 2/],
    ["temperature", "1e309", /finite number/],
    ["temperature", "-1e309", /finite number/],
    ["temperature", "1e300", /at most 2/],
  ];
  for (const key of ["soft_ms", "hard_ms"]) {
    for (const [value, message] of [
      ["-5", /at least 1/],
      ["0", /at least 1/],
      ["0.5", /whole number/],
      ["1e309", /finite number/],
      ["1e15", /at most 86400000/],
    ] as const) {
      numbers.push([`timeouts.${key}`, value, message]);
    }
  }
  for (const [param, value, message] of numbers) {
    const [outer, inner] = param.split(".");
    const json = inner ? `{"${inner}":${value}}` : value;
    list.post(`${param}: ${value}`, `{"input":"x","${outer}":${json}}`, {
      status: 400,
      type: INVALID,
      param,
      message,
    });
  }
  list.field(
    "soft_ms not below hard_ms",
    { timeouts: { soft_ms: 500, hard_ms: 500 } },
    "timeouts.soft_ms",
    /smaller than hard_ms/,
  );

  // Sizes.
  list.post("a body over the limit", JSON.stringify({ input: "x".repeat(bodyLimitBytes) }), {
    status: 413,
    type: "payload_too_large",
    message: new RegExp(`larger than ${bodyLimitBytes} bytes`),
  });
  const many = Array.from({ length: 2001 }, () => ({ role: "user", content: "x" }));
  list.invalid("2,001 messages", { messages: many }, "messages", /at most 2000 items/);
  const keys51 = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, "v"]));
  list.field("51 metadata keys", { metadata: keys51 }, "metadata", /at most 50 keys/);
  list.field(
    "a 41-character metadata key",
    { metadata: { ["k".repeat(41)]: "v" } },
    "metadata",
    /keys must be at most 40 characters/,
  );
  list.field("an empty metadata key", { metadata: { "": "v" } }, "metadata", /keys must not be empty/);
  list.field(
    "a 501-character metadata value",
    { metadata: { k: "v".repeat(501) } },
    "metadata.k",
    /at most 500 characters/,
  );
  list.field("a 200-character tier name", { tier: "t".repeat(200) }, "tier", /at most 100 characters/);
  list.field(
    "a 3,000-character webhook URL",
    { webhook: { url: `https://example.com/${"a".repeat(3000)}` } },
    "webhook.url",
    /at most 2048 characters/,
  );
  list.post("a response schema 41 levels deep", withSchema(JSON.stringify(nestedSchema(20))), {
    status: 400,
    type: INVALID,
    param: SCHEMA,
    message: /at most 32 levels deep/,
  });
  list.post(
    "a response schema of 100,001+ characters",
    withSchema(JSON.stringify({ description: "d".repeat(100_001) })),
    { status: 400, type: INVALID, param: SCHEMA, message: /at most 100000 characters/ },
  );

  // 10,000 levels of nesting: refused before anything walks the body with recursion.
  const deep = { status: 400, type: INVALID, message: /nested more than 64 levels deep/ };
  list.post("metadata [[[…]]] 10,000 deep", `{"input":"x","metadata":{"k":${deepArray}}}`, {
    ...deep,
    param: "metadata",
  });
  list.post('metadata {"a":{"a":…}} 10,000 deep', `{"input":"x","metadata":{"k":${deepObject}}}`, {
    ...deep,
    param: "metadata",
  });
  list.post("json_schema.schema [[[…]]] 10,000 deep", withSchema(`{"k":${deepArray}}`), {
    ...deep,
    param: "response_format",
  });
  list.post('json_schema.schema {"a":…} 10,000 deep', withSchema(deepObject), {
    ...deep,
    param: "response_format",
  });
  // The Idempotency-Key's body hash walks the body recursively before the schema sees it.
  list.post(
    "the same with an Idempotency-Key",
    withSchema(deepObject),
    { ...deep, param: "response_format" },
    {
      ...keyA(),
      "idempotency-key": "deep-body",
    },
  );
  list.post("a body [[[…]]] 10,000 deep", deepArray, deep);
  return list.cases;
}
