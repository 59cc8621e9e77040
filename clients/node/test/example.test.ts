// The example stays runnable: it prints GetTicker and three StreamTicker lines, then exits on its own.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { it } from "node:test";
import { gatewayUrl } from "./url.js";

const url = await gatewayUrl();
const example = fileURLToPath(new URL("../examples/ticker.js", import.meta.url));

it("examples/ticker prints exact decimal text and ends", async () => {
  const { stdout } = await promisify(execFile)(process.execPath, [example, url], { timeout: 30_000 });
  const lines = stdout.trim().split("\n");
  assert.equal(lines.length, 4, stdout);
  assert.match(lines[0], /^GetTicker +XXBTZUSD ask \d+\.\d{5} bid \d+\.\d{5} last \d+\.\d{5} volume_24h \d+\.\d{8}$/);
  assert.match(lines[1], /^StreamTicker snapshot XXBTZUSD /);
  assert.match(lines[3], /^StreamTicker update +XXBTZUSD /);
});
