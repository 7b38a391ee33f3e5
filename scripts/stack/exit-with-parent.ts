/**
 * Preloaded into the stack's Node children (`node --import`), so they never outlive the stack.
 * The stack holds the other end of the pipe on fd 3; when the stack dies, even by SIGKILL, the
 * kernel closes it, we read end-of-file and send ourselves SIGTERM: the app then shuts down as
 * it would on Ctrl-C. The apps themselves need to know nothing about it.
 */
import { Socket } from "node:net";

const PARENT_PIPE_FD = 3;

try {
  const parentPipe = new Socket({ fd: PARENT_PIPE_FD, readable: true, writable: false });
  // Watching the pipe must not keep an app alive that is done.
  parentPipe.unref();
  parentPipe.on("error", () => {});
  parentPipe.once("close", () => process.kill(process.pid, "SIGTERM"));
  parentPipe.resume();
} catch {
  // Started without the pipe (not by the stack): nothing to watch.
}
