// Runs every test file against one sandbox gateway: starts it, passes its address in KRAKEN_GRPC_URL, runs
// `node --test`, and always stops the gateway afterwards (also on Ctrl+C). Exit code: the test runner's.
import { spawn } from "node:child_process";
import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { startGateway } from "./gateway.js";

const testDir = fileURLToPath(new URL(".", import.meta.url));
const files = readdirSync(testDir)
  .filter((name) => name.endsWith(".test.js"))
  .map((name) => `${testDir}${name}`);

const gateway = await startGateway();
console.log(`gateway (sandbox) listening on ${gateway.url}`);

const runner = spawn(process.execPath, ["--test", "--test-reporter=spec", ...files], {
  stdio: "inherit",
  env: { ...process.env, KRAKEN_GRPC_URL: gateway.url },
});

let stopping: Promise<void> | undefined;
const stop = () => (stopping ??= gateway.stop());
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    runner.kill(signal);
    void stop().then(() => process.exit(130));
  });
}
const code = await new Promise<number>((resolve) => runner.on("exit", (c) => resolve(c ?? 1)));
await stop();
if (code !== 0) {
  console.error(`--- gateway output (last 64 KiB) ---\n${gateway.output()}`);
}
process.exit(code);
