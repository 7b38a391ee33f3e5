/**
 * Builds a JSON value that validates against a JSON Schema, for `response_format: json_schema` and
 * Anthropic's `output_config.format`. It covers what structured-output schemas use in practice:
 * object/properties/required, array/items, string (enum, const, formats, length), number/integer
 * (bounds), boolean, null, nullable and type unions, anyOf/oneOf/allOf and local `$ref`s.
 */
import type { Rng } from "./rng.ts";

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

type SchemaNode = Record<string, unknown>;

/** Where generated values come from; strings are asked of the caller so they read like answers. */
export interface SchemaFillers {
  /** Text for a string property (`name` is the property name, or "" for array items and the root). */
  text(name: string): string;
  /** Put into number properties called `confidence`. */
  confidence: number;
  rng: Rng;
}

/** Recursive `$ref`s stop here (with the smallest valid value) instead of looping forever. */
const maxDepth = 8;
const defaultArrayItems = 2;

/** Generates a value for `schema`; see the module comment for what is supported. */
export function generateFromSchema(schema: unknown, fillers: SchemaFillers): JsonValue {
  const root = asNode(schema);
  return generate(root, "", 0, { root, fillers });
}

interface Context {
  root: SchemaNode;
  fillers: SchemaFillers;
}

function generate(node: SchemaNode, name: string, depth: number, context: Context): JsonValue {
  const resolved = resolveRef(node, context.root);
  if ("const" in resolved) return resolved.const as JsonValue;
  if (Array.isArray(resolved.enum) && resolved.enum.length > 0) {
    return context.fillers.rng.pick(resolved.enum) as JsonValue;
  }
  const branches = firstArray(resolved.anyOf, resolved.oneOf);
  if (branches) {
    const usable = branches.map(asNode).find((branch) => typeOf(resolveRef(branch, context.root)) !== "null");
    return generate(usable ?? asNode(branches[0]), name, depth + 1, context);
  }
  if (Array.isArray(resolved.allOf)) {
    return generate(mergeAllOf(resolved, context.root), name, depth + 1, context);
  }
  switch (typeOf(resolved)) {
    case "object":
      return depth >= maxDepth ? {} : generateObject(resolved, depth, context);
    case "array":
      return depth >= maxDepth ? [] : generateArray(resolved, name, depth, context);
    case "number":
      return generateNumber(resolved, name, false, context);
    case "integer":
      return generateNumber(resolved, name, true, context);
    case "boolean":
      return context.fillers.rng.chance(0.5);
    case "null":
      return null;
    default:
      return generateString(resolved, name, context);
  }
}

function generateObject(node: SchemaNode, depth: number, context: Context): JsonValue {
  const properties = isNode(node.properties) ? node.properties : {};
  const result: Record<string, JsonValue> = {};
  // Optional properties are filled too: valid either way, and more useful to a caller.
  for (const [key, child] of Object.entries(properties)) {
    result[key] = generate(asNode(child), key, depth + 1, context);
  }
  return result;
}

function generateArray(node: SchemaNode, name: string, depth: number, context: Context): JsonValue {
  const minItems = numberField(node, "minItems") ?? 0;
  const maxItems = numberField(node, "maxItems") ?? Number.POSITIVE_INFINITY;
  const count = Math.min(maxItems, Math.max(minItems, defaultArrayItems));
  const items = asNode(node.items);
  return Array.from({ length: count }, () => generate(items, singular(name), depth + 1, context));
}

function generateNumber(node: SchemaNode, name: string, integer: boolean, context: Context): number {
  const minimum = numberField(node, "minimum") ?? numberField(node, "exclusiveMinimum");
  const maximum = numberField(node, "maximum") ?? numberField(node, "exclusiveMaximum");
  const low = minimum ?? 0;
  const high = maximum ?? Math.max(low + (integer ? 10 : 100), low);
  let value = /confidence/i.test(name) ? context.fillers.confidence : context.fillers.rng.range(low, high);
  value = Math.min(high, Math.max(low, value));
  if (integer) {
    value = Math.round(value);
    if (node.exclusiveMinimum !== undefined && value <= low) value = Math.floor(low) + 1;
    if (node.exclusiveMaximum !== undefined && value >= high) value = Math.ceil(high) - 1;
    return value;
  }
  value = Math.round(value * 100) / 100;
  if (node.exclusiveMinimum !== undefined && value <= low) value = (low + high) / 2;
  if (node.exclusiveMaximum !== undefined && value >= high) value = (low + high) / 2;
  return value;
}

function generateString(node: SchemaNode, name: string, context: Context): string {
  const format = typeof node.format === "string" ? node.format : undefined;
  let text = formatted(format, context.fillers.rng) ?? context.fillers.text(name);
  const minLength = numberField(node, "minLength") ?? 0;
  const maxLength = numberField(node, "maxLength");
  while (text.length < minLength) text += ` ${text || "value"}`;
  if (maxLength !== undefined) text = text.slice(0, maxLength);
  return text;
}

function formatted(format: string | undefined, rng: Rng): string | undefined {
  switch (format) {
    case "date-time":
      return "2025-01-01T12:00:00Z";
    case "date":
      return "2025-01-01";
    case "time":
      return "12:00:00";
    case "email":
      return "someone@example.com";
    case "uri":
    case "url":
      return "https://example.com/simulated";
    case "uuid": {
      const hex = Array.from({ length: 32 }, () => rng.int(0, 15).toString(16)).join("");
      return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20)}`;
    }
    default:
      return undefined;
  }
}

/** The schema's single non-null type; `type: ["string","null"]` and `nullable` give the non-null one. */
function typeOf(node: SchemaNode): string | undefined {
  const type = node.type;
  if (typeof type === "string") return type;
  if (Array.isArray(type)) {
    const concrete = type.find((entry) => entry !== "null");
    return typeof concrete === "string" ? concrete : "null";
  }
  if (isNode(node.properties)) return "object";
  if (node.items !== undefined) return "array";
  return undefined;
}

function resolveRef(node: SchemaNode, root: SchemaNode): SchemaNode {
  let current = node;
  // A chain of refs is followed a few hops only; a cycle of pure refs would otherwise never end.
  for (let hop = 0; hop < maxDepth && typeof current.$ref === "string"; hop++) {
    const ref = current.$ref as string;
    if (!ref.startsWith("#")) return {};
    let target: unknown = root;
    for (const part of ref.slice(1).split("/").filter(Boolean)) {
      target = isNode(target) ? target[part.replace(/~1/g, "/").replace(/~0/g, "~")] : undefined;
    }
    current = asNode(target);
  }
  return current;
}

function mergeAllOf(node: SchemaNode, root: SchemaNode): SchemaNode {
  const merged: SchemaNode = { ...node, properties: {} };
  const parts = (node.allOf as unknown[]).map((part) => resolveRef(asNode(part), root));
  for (const part of [node, ...parts]) {
    if (part.type !== undefined) merged.type = part.type;
    if (isNode(part.properties)) Object.assign(merged.properties as SchemaNode, part.properties);
  }
  delete merged.allOf;
  return merged;
}

function singular(name: string): string {
  return name.endsWith("s") ? name.slice(0, -1) : name;
}

function firstArray(...candidates: unknown[]): unknown[] | undefined {
  return candidates.find(
    (candidate): candidate is unknown[] => Array.isArray(candidate) && candidate.length > 0,
  );
}

function numberField(node: SchemaNode, key: string): number | undefined {
  const value = node[key];
  return typeof value === "number" ? value : undefined;
}

function isNode(value: unknown): value is SchemaNode {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function asNode(value: unknown): SchemaNode {
  return isNode(value) ? value : {};
}
