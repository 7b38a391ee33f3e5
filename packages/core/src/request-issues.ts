import { formatPath } from "@llmr/config";
import type { z } from "zod";
import type { RequestIssue } from "./errors/request-validation-error.ts";

/**
 * Turns zod's issues into the contract's `param` + message: the path as a user writes it, and
 * words a user understands (`required`, `unknown field`) instead of zod's internals.
 */
export function requestIssuesFromZod(error: z.ZodError): RequestIssue[] {
  const issues: RequestIssue[] = [];
  for (const issue of error.issues) {
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) {
        issues.push({ param: formatPath([...issue.path, key]), message: "unknown field" });
      }
      continue;
    }
    if (issue.code === "invalid_type" && issue.input === undefined) {
      issues.push({ param: formatPath(issue.path), message: "required" });
      continue;
    }
    issues.push({ param: formatPath(issue.path), message: issue.message });
  }
  return issues;
}
