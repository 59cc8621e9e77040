// Any gRPC library can use the contract: @grpc/grpc-js with a client built at run time by @grpc/proto-loader from
// the raw protos/ (no generated code, no reflection) calls a unary and a server-streaming RPC.
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { after, describe, it } from "node:test";
import * as grpc from "@grpc/grpc-js";
import * as protoLoader from "@grpc/proto-loader";
import { gatewayUrl } from "./url.js";

const protos = fileURLToPath(new URL("../../../../protos/", import.meta.url));
// keepCase: the .proto field names (last_trade); longs as String keeps int64 exact (money is a string anyway).
const definition = protoLoader.loadSync("kraken/spot/v1/market_data_service.proto", {
  includeDirs: [protos],
  keepCase: true,
  longs: String,
  enums: String,
  defaults: true,
});
// loadPackageDefinition's result is untyped; describe the two calls used here.
type Ticker = { ask: { price: string }; last_trade: { price: string } };
type MarketData = grpc.Client & {
  GetTicker(
    request: { pair: string[] },
    callback: (error: grpc.ServiceError | null, response?: { tickers: Record<string, Ticker> }) => void,
  ): grpc.ClientUnaryCall;
  StreamTicker(request: { pair: string[] }): grpc.ClientReadableStream<{ tickers: Record<string, Ticker>; snapshot: boolean }>;
};
const MarketDataService = (grpc.loadPackageDefinition(definition) as any).kraken.spot.v1
  .MarketDataService as grpc.ServiceClientConstructor;

const address = new URL(await gatewayUrl()).host; // grpc-js wants host:port
const client = new MarketDataService(address, grpc.credentials.createInsecure()) as unknown as MarketData;

describe("@grpc/grpc-js + @grpc/proto-loader from protos/", () => {
  after(() => client.close()); // before the file's gateway (if any) stops: an open connection delays its shutdown

  it("unary GetTicker", async () => {
    const response = await new Promise<{ tickers: Record<string, Ticker> }>((resolve, reject) =>
      client.GetTicker({ pair: ["XBTUSD"] }, (error, r) => (error ? reject(error) : resolve(r!))),
    );
    assert.match(response.tickers.XXBTZUSD.ask.price, /^\d+\.\d{5}$/);
  });

  it("server-streaming StreamTicker", async () => {
    const call = client.StreamTicker({ pair: ["XBTUSD"] });
    const messages: { snapshot: boolean; tickers: Record<string, Ticker> }[] = [];
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("no two messages within 20 s")), 20_000);
      call.on("data", (message) => {
        messages.push(message);
        if (messages.length === 2) {
          clearTimeout(timer);
          call.cancel(); // ends with a CANCELLED error event, ignored below
          resolve();
        }
      });
      call.on("error", (error: grpc.ServiceError) => {
        if (error.code !== grpc.status.CANCELLED) reject(error);
      });
    });
    assert.equal(messages[0].snapshot, true);
    assert.equal(messages[1].snapshot, false);
    assert.match(messages[1].tickers.XXBTZUSD.last_trade.price, /^\d+\.\d{5}$/);
  });
});
