import { ApiClient } from "./api-client.ts";
import { batchCancel, batchResults, batchStatus, batchSubmit } from "./batch-commands.ts";
import type { CliContext } from "./cli-context.ts";
import type { CommandName, FlagValues } from "./command-line.ts";
import { apiTarget, parseCommandLine } from "./command-line.ts";
import { ExitCode, exitCodeOf, UsageError } from "./exit-codes.ts";
import { jobsGet, jobsSubmit, jobsWait } from "./job-commands.ts";
import { usageFor } from "./usage-text.ts";

type Command = (ctx: CliContext, args: string[], flags: FlagValues) => Promise<number>;

const HANDLERS: Record<CommandName, Command> = {
  "jobs submit": jobsSubmit,
  "jobs get": jobsGet,
  "jobs wait": jobsWait,
  "batch submit": batchSubmit,
  "batch status": batchStatus,
  "batch results": batchResults,
  "batch cancel": batchCancel,
};

/** The process's edges; {@link runCli} touches nothing else (no process.exit, no globals). */
export type CliEnvironment = Omit<CliContext, "client"> & { env: NodeJS.ProcessEnv };

/**
 * Runs one command line and resolves with its exit code. Every error ends here: it is printed
 * once, as `llmr: <message>`, and mapped to its exit code (see exit-codes.ts).
 */
export async function runCli(argv: readonly string[], environment: CliEnvironment): Promise<number> {
  const { env, ...edges } = environment;
  try {
    const parsed = parseCommandLine(argv);
    if (parsed.kind === "help") {
      environment.stdout.write(usageFor(parsed.command));
      return ExitCode.ok;
    }
    const client = new ApiClient({ ...apiTarget(parsed.flags, env), signal: environment.signal });
    return await HANDLERS[parsed.command]({ ...edges, client }, parsed.args, parsed.flags);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    environment.stderr.write(`llmr: ${message}\n`);
    if (error instanceof UsageError) environment.stderr.write("see: llmr --help\n");
    return exitCodeOf(error);
  }
}
