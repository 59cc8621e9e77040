// The gateway the tests call: the one test/run.ts started (KRAKEN_GRPC_URL), or, when a test file is run on its
// own (`node --test dist/test/x.test.js`), one started for that file and stopped after it.
import { after } from "node:test";
import { startGateway } from "./gateway.js";

export async function gatewayUrl(): Promise<string> {
  const started = process.env.KRAKEN_GRPC_URL;
  if (started) return started;
  const gateway = await startGateway();
  after(() => gateway.stop());
  return gateway.url;
}
