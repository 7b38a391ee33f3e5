#!/usr/bin/env node
// The `llmr` bin. A plain JS file so that it starts on any Node and can say clearly when this Node
// cannot run the TypeScript sources (no build step: Node >= 22.18 strips types itself).
if (!process.features.typescript) {
  process.stderr.write(`llmr: needs Node >= 22.18 (runs TypeScript directly); this is ${process.version}\n`);
  process.exit(2);
}
await import("../src/main.ts");
