/**
 * Worker-thread entry of the term-premium bootstrap (./bands.ts): claims replication indices
 * from a shared counter until none are left, runs each (seeded from (seed, b), so which thread
 * runs it does not matter) and posts its premia back, transferring the buffer rather than
 * copying it. Progress is simply the stream of these messages.
 */
import { parentPort, workerData } from "node:worker_threads";
import { runReplication, type WorkerInput, type WorkerMessage } from "./bands.ts";

function main(): void {
  if (parentPort === null) return; // imported outside a worker: nothing to do
  const port = parentPort;
  const { job, reps, counter } = workerData as WorkerInput;
  let count = 0;
  for (;;) {
    const b = Atomics.add(counter, 0, 1);
    if (b >= reps) break;
    const outcome = runReplication(job, b);
    const msg: WorkerMessage = { type: "rep", b, outcome };
    port.postMessage(msg, outcome.ok ? [outcome.tpPct.buffer as ArrayBuffer] : []);
    count++;
  }
  const done: WorkerMessage = { type: "done", count };
  port.postMessage(done);
}

main();
