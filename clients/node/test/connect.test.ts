// The generated TypeScript client (protoc-gen-es + Connect's gRPC transport) against a live sandbox gateway.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  Code,
  createKrakenClients,
  forAccount,
  krakenError,
  OhlcInterval,
  type KrakenClients,
  type StreamTickerResponse,
} from "../src/index.js";
import { gatewayUrl } from "./url.js";

const kraken: KrakenClients = createKrakenClients(await gatewayUrl());

// The emulator writes XBT/USD ticker prices with 5 decimals and volumes with 8, as Kraken does. Trailing zeros
// survive only if the text is passed through untouched (a double would print "86912.8").
const price5 = /^\d+\.\d{5}$/;
const volume8 = /^\d+\.\d{8}$/;

/** Reads the first `count` messages of a server stream, then cancels it. */
async function take<T>(open: (signal: AbortSignal) => AsyncIterable<T>, count: number): Promise<T[]> {
  const stop = new AbortController();
  const messages: T[] = [];
  try {
    for await (const message of open(stop.signal)) {
      messages.push(message);
      // Abort and read on (the read throws CANCELED): with connect 2.1, `break` neither ends the HTTP/2 stream
      // nor clears the call's deadline timer, which then keeps the process alive.
      if (messages.length === count) stop.abort();
    }
  } catch (error) {
    if (!stop.signal.aborted) throw error;
  }
  return messages;
}

/** Runs `call`, which must fail, and returns the gateway's error details. */
async function failure(call: () => Promise<unknown>) {
  try {
    await call();
  } catch (error) {
    return krakenError(error);
  }
  assert.fail("the call succeeded");
}

describe("MarketDataService (unary)", () => {
  it("GetServerTime returns a timestamp and Kraken's RFC 1123 text", async () => {
    const time = await kraken.marketData.getServerTime({});
    assert.ok(time.serverTime, "server_time is set");
    assert.ok(time.serverTime.seconds > 1_600_000_000n, `seconds ${time.serverTime.seconds}`);
    assert.match(time.rfc1123, /^\w{3}, \d{2} \w{3} \d{2} \d{2}:\d{2}:\d{2} \+0000$/);
  });

  it("GetTicker XBTUSD keeps the exact decimal text", async () => {
    const response = await kraken.marketData.getTicker({ pair: ["XBTUSD"] });
    assert.deepEqual(Object.keys(response.tickers), ["XXBTZUSD"]);
    const t = response.tickers.XXBTZUSD;
    for (const price of [t.ask?.price, t.bid?.price, t.lastTrade?.price, t.low?.today, t.high?.last24Hours, t.openingPrice]) {
      assert.match(price ?? "", price5);
    }
    assert.match(t.volume?.last24Hours ?? "", volume8);
    assert.ok(Number(t.ask!.price) > Number(t.bid!.price), "ask above bid");
    assert.ok((t.tradeCount?.last24Hours ?? 0n) > 0n, "trades in the last 24 hours");
  });

  it("GetCandles of one hour carries the pair key and decimal text", async () => {
    const response = await kraken.marketData.getCandles({ pair: "XBTUSD", interval: OhlcInterval.ONE_HOUR });
    assert.equal(response.pair, "XXBTZUSD");
    assert.ok(response.candles.length > 0, "the emulator builds a day of history at start-up");
    for (const candle of response.candles) {
      assert.match(candle.close, /^\d+\.\d+$/);
    }
  });
});

describe("MarketDataService (server streaming)", () => {
  it("StreamTicker sends a snapshot, then changes", async () => {
    const messages = await take<StreamTickerResponse>(
      (signal) => kraken.marketData.streamTicker({ pair: ["xbtusd"] }, { signal, timeoutMs: 20_000 }),
      2,
    );
    assert.equal(messages[0].snapshot, true);
    assert.deepEqual(Object.keys(messages[0].tickers), ["XXBTZUSD"]);
    assert.match(messages[0].tickers.XXBTZUSD.ask?.price ?? "", price5);
    // The sandbox market moves every second, so a change follows.
    assert.equal(messages[1].snapshot, false);
    assert.match(messages[1].tickers.XXBTZUSD.lastTrade?.price ?? "", price5);
  });

  it("StreamTicker of an unknown pair ends with NOT_FOUND", async () => {
    const error = await failure(() =>
      take((signal) => kraken.marketData.streamTicker({ pair: ["NOPEUSD"] }, { signal, timeoutMs: 20_000 }), 1),
    );
    assert.equal(error.code, Code.NotFound);
    assert.equal(error.errorInfo?.reason, "UNKNOWN_ASSET_PAIR");
  });
});

describe("AccountService (private, signed with the sandbox key)", () => {
  it("GetAccountBalance returns the paper account's balances as decimal text", async () => {
    const { balances } = await kraken.account.getAccountBalance({});
    assert.ok(Object.keys(balances).length > 0, "some balances");
    for (const [asset, amount] of Object.entries(balances)) {
      assert.match(amount, /^\d+\.\d+$/, asset);
    }
    assert.ok(Number(balances.ZUSD) > 0, `ZUSD ${balances.ZUSD}`);
  });

  it("an unknown kraken-account is INVALID_ARGUMENT with reason UNKNOWN_ACCOUNT", async () => {
    const error = await failure(() => kraken.account.getAccountBalance({}, forAccount("no-such-account")));
    assert.equal(error.code, Code.InvalidArgument);
    assert.equal(error.errorInfo?.reason, "UNKNOWN_ACCOUNT");
    assert.equal(error.errorInfo?.domain, "api.kraken.com");
    assert.match(error.message, /no-such-account/);
  });
});

describe("errors", () => {
  it("an unknown pair is NOT_FOUND with Kraken's error text", async () => {
    const error = await failure(() => kraken.marketData.getTicker({ pair: ["NOPEUSD"] }));
    assert.equal(error.code, Code.NotFound);
    assert.equal(error.errorInfo?.reason, "UNKNOWN_ASSET_PAIR");
    assert.equal(error.errorInfo?.metadata.kraken_error, "EQuery:Unknown asset pair");
    assert.equal(error.errorInfo?.metadata.endpoint, "Ticker");
  });

  it("a request the gateway refuses is INVALID_ARGUMENT with a BadRequest naming the field", async () => {
    const error = await failure(() => kraken.marketData.getOrderBook({ pair: "XBTUSD", count: 501 }));
    assert.equal(error.code, Code.InvalidArgument);
    assert.equal(error.errorInfo?.reason, "INVALID_REQUEST");
    assert.deepEqual(
      error.badRequest?.fieldViolations.map((v) => v.field),
      ["count"],
    );
  });
});
