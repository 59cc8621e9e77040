// Starts the already-built gateway in sandbox mode (embedded Kraken emulator, sandbox API key) on a free loopback
// port, waits until it answers, and stops it again. The caller must have built it:
// `dotnet build src/KrakenGrpc.Server -c Release` (or the whole solution) from the repository root.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer } from "node:net";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { setTimeout as delay } from "node:timers/promises";
import { createKrakenClients } from "../src/index.js";

// This file runs as clients/node/dist/test/gateway.js: the repository root is four levels up.
const repoRoot = fileURLToPath(new URL("../../../../", import.meta.url));
const defaultDll = `${repoRoot}src/KrakenGrpc.Server/bin/Release/net10.0/KrakenGrpc.Server.dll`;

export interface Gateway {
  url: string;
  /** The gateway's console output so far (for failure messages). */
  output(): string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  // Port 0 lets the OS choose; the port is released before the gateway binds it (a tiny race, fine on loopback).
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise((resolve) => child.once("exit", () => resolve()));
}

export async function startGateway(dll = process.env.KRAKEN_GRPC_SERVER_DLL ?? defaultDll): Promise<Gateway> {
  if (!existsSync(dll)) {
    throw new Error(`${dll} not found: build the server first (dotnet build src/KrakenGrpc.Server -c Release)`);
  }
  const url = `http://127.0.0.1:${await freePort()}`;
  // --Metrics:Url= turns the metrics address off: on its default port, two gateways would collide.
  // detached: the gateway leads its own process group, so stop() can signal the group (the dotnet host and
  // anything it might spawn) without touching the test runner.
  const child = spawn("dotnet", [dll, "--sandbox", "--urls", url, "--Metrics:Url="], {
    cwd: dirname(dll),
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, DOTNET_CLI_TELEMETRY_OPTOUT: "1", DOTNET_NOLOGO: "1" },
  });
  // The pipes must be drained or the gateway blocks once they fill; keep the last 64 KiB for diagnostics.
  let log = "";
  const keep = (chunk: Buffer) => {
    log = (log + chunk.toString()).slice(-65536);
  };
  child.stdout!.on("data", keep);
  child.stderr!.on("data", keep);

  const killGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      // ESRCH: already gone.
    }
  };
  // Last resort if the runner dies without calling stop(): never leave a gateway behind.
  const onExit = () => killGroup("SIGKILL");
  process.once("exit", onExit);

  const gateway: Gateway = {
    url,
    output: () => log,
    async stop() {
      process.removeListener("exit", onExit);
      if (child.exitCode !== null || child.signalCode !== null) return;
      killGroup("SIGTERM"); // graceful: Kestrel ends streams with UNAVAILABLE and stops the emulator
      const timedOut = await Promise.race([exited(child).then(() => false), delay(10_000, true, { ref: false })]);
      if (timedOut) {
        console.warn(`gateway did not stop within 10 s of SIGTERM: killed`);
        killGroup("SIGKILL");
        await exited(child);
      }
    },
  };

  // Ready when a unary RPC goes through end to end (gateway and emulator both up).
  const { marketData } = createKrakenClients(url);
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) {
      throw new Error(`gateway exited with code ${child.exitCode} during start-up:\n${log}`);
    }
    try {
      await marketData.getServerTime({}, { timeoutMs: 2_000 });
      return gateway;
    } catch (error) {
      if (Date.now() > deadline) {
        await gateway.stop();
        throw new Error(`gateway at ${url} did not answer within 60 s (${String(error)}):\n${log}`);
      }
      await delay(250);
    }
  }
}
