#!/usr/bin/env node
// Launcher: runs the compiled CLI when built (npm run build), else the TypeScript source via tsx.
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const dist = fileURLToPath(new URL("../dist/cli/main.js", import.meta.url));
if (existsSync(dist)) {
  const { main } = await import(dist);
  process.exitCode = await main(process.argv);
} else {
  await import("tsx/esm");
  const { main } = await import("../src/cli/main.ts");
  process.exitCode = await main(process.argv);
}
