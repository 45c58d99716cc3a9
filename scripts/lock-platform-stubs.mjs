#!/usr/bin/env node
/**
 * The npm mirror this project is built against serves only some platforms' builds of packages
 * that ship native binaries as optional dependencies (@duckdb/node-bindings-*, @biomejs/cli-*),
 * so `npm install` leaves the other platforms out of package-lock.json and `npm ci` then refuses
 * the lock as out of sync. This adds, for each such missing optional dependency, a lock entry
 * that carries only its version and platform (os / cpu / libc, from the package name): `npm ci`
 * skips it on a non-matching machine and never fetches it. Run after `npm install` changes the
 * lock: `node scripts/lock-platform-stubs.mjs`.
 */
import { readFileSync, writeFileSync } from "node:fs";

const path = new URL("../package-lock.json", import.meta.url);
const lock = JSON.parse(readFileSync(path, "utf8"));
const pkgs = lock.packages;
const PLATFORM = /-(android|darwin|linux|win32|freebsd)-(arm64|x64|ia32|arm)(-(musl|gnu|msvc))?$/;
let added = 0;
for (const [key, meta] of Object.entries(pkgs)) {
  for (const [name, version] of Object.entries(meta.optionalDependencies ?? {})) {
    const entry = `node_modules/${name}`;
    if (pkgs[entry] || (key && pkgs[`${key}/${entry}`])) continue;
    const m = PLATFORM.exec(name);
    if (!m) continue;
    const stub = { version, optional: true, os: [m[1]], cpu: [m[2]] };
    if (m[4] === "musl" || m[4] === "gnu") stub.libc = [m[4] === "musl" ? "musl" : "glibc"];
    pkgs[entry] = stub;
    added++;
  }
}
const sorted = Object.fromEntries(
  Object.entries(pkgs).sort(([a], [b]) => (a === "" ? -1 : b === "" ? 1 : a < b ? -1 : 1)),
);
lock.packages = sorted;
writeFileSync(path, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`added ${added} platform stub entr${added === 1 ? "y" : "ies"} to package-lock.json`);
