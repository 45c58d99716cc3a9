#!/usr/bin/env node
/**
 * The `yardstick` command line. Exit codes: 0 ok, 1 unexpected failure, 2 usage, 3 bad input
 * data, 4 unknown series or name, 5 network/FRED, 6 store (locked, read-only), 7 model cannot run.
 * Errors print one line on stderr (`yardstick: <what and where>`); YARDSTICK_DEBUG=1 adds the stack.
 */
import { Command, CommanderError } from "@commander-js/extra-typings";
import { ExitCode, YardstickError } from "../core/errors.ts";
import { VERSION } from "../version.ts";
import type { GlobalOptions } from "./context.ts";
import { curveCommand } from "./curve.ts";
import { dataCommand } from "./data.ts";
import { divergenceCommand } from "./divergence.ts";
import { forecastCommand } from "./forecast.ts";
import { regimeCommand } from "./regime.ts";
import { reportCommand } from "./report.ts";
import { scenarioCommand } from "./scenario.ts";
import { scoreCommand } from "./score.ts";
import { termPremiumCommand } from "./termpremium.ts";

export function buildProgram() {
  const program = new Command()
    .name("yardstick")
    .description(
      "macro asset pricing workbench: term premia, breakevens, scenarios and macro scores on bundled real data",
    )
    .version(VERSION)
    .option("--json", "machine-readable output: { meta, warnings, results } on stdout")
    .option("-q, --quiet", "no progress bars or notes on stderr")
    .showHelpAfterError("(add --help for usage)")
    .addHelpText(
      "after",
      `
Environment:
  YARDSTICK_HOME   where the store lives (default ~/.yardstick/; file yardstick.duckdb)
  FRED_API_KEY     key for \`data fetch\` (or "fredApiKey" in $YARDSTICK_HOME/config.json)

Exit codes: 0 ok, 1 failure, 2 usage, 3 bad input, 4 not found, 5 network, 6 store, 7 model.`,
    );
  const globals = (): GlobalOptions => program.opts();
  program.addCommand(reportCommand(globals));
  program.addCommand(dataCommand(globals));
  program.addCommand(termPremiumCommand(globals));
  program.addCommand(curveCommand(globals));
  program.addCommand(scoreCommand(globals));
  program.addCommand(forecastCommand(globals));
  program.addCommand(scenarioCommand(globals));
  program.addCommand(regimeCommand(globals));
  program.addCommand(divergenceCommand(globals));
  program.exitOverride();
  for (const c of program.commands) {
    c.exitOverride();
    for (const sub of c.commands) sub.exitOverride();
  }
  return program;
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === "number" ? process.exitCode : ExitCode.ok;
  } catch (err) {
    if (err instanceof CommanderError) {
      // help and version "errors" are normal exits; commander already printed the message
      if (
        err.code === "commander.helpDisplayed" ||
        err.code === "commander.version" ||
        err.code === "commander.help"
      )
        return ExitCode.ok;
      return ExitCode.usage;
    }
    if (err instanceof YardstickError) {
      process.stderr.write(`yardstick: ${err.message}\n`);
      if (process.env.YARDSTICK_DEBUG) process.stderr.write(`${err.stack}\n`);
      return err.exitCode;
    }
    process.stderr.write(
      `yardstick: unexpected error: ${err instanceof Error ? err.message : String(err)}\n`,
    );
    if (process.env.YARDSTICK_DEBUG && err instanceof Error) process.stderr.write(`${err.stack}\n`);
    return ExitCode.failure;
  }
}

// `yardstick ... | head`: a closed pipe is the reader's choice, not an error
process.stdout.on("error", (err: NodeJS.ErrnoException) => {
  if (err.code === "EPIPE") process.exit(0);
  throw err;
});

const invokedDirectly = process.argv[1] && /cli[\\/]main\.(ts|js)$/.test(process.argv[1]);
if (invokedDirectly) {
  main(process.argv).then((code) => {
    process.exitCode = code;
  });
}
