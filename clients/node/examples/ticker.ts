// Calls GetTicker for XBTUSD, then prints the first StreamTicker messages. Prices and volumes are strings holding
// Kraken's exact decimal text ("86912.80000"): parse them with a decimal library, never into a JS number, if the
// digits matter.
//
//   node dist/examples/ticker.js [http://127.0.0.1:5000]
import { createKrakenClients, type Ticker } from "../src/index.js";

const baseUrl = process.argv[2] ?? process.env.KRAKEN_GRPC_URL ?? "http://127.0.0.1:5000";
const { marketData } = createKrakenClients(baseUrl);

function line(pair: string, t: Ticker): string {
  return `${pair} ask ${t.ask?.price} bid ${t.bid?.price} last ${t.lastTrade?.price} volume_24h ${t.volume?.last24Hours}`;
}

const response = await marketData.getTicker({ pair: ["XBTUSD"] }, { timeoutMs: 10_000 });
for (const [pair, ticker] of Object.entries(response.tickers)) {
  console.log(`GetTicker            ${line(pair, ticker)}`);
}

// A snapshot first, then only changes (nothing is sent while nothing changes; the deadline bounds that wait).
// To end the stream early, abort it and let the loop throw CANCELED: with connect 2.1, leaving the loop with
// `break` neither ends the HTTP/2 stream nor clears the deadline timer, and either keeps the process alive.
const stop = new AbortController();
let received = 0;
try {
  for await (const update of marketData.streamTicker({ pair: ["XBTUSD"] }, { signal: stop.signal, timeoutMs: 30_000 })) {
    for (const [pair, ticker] of Object.entries(update.tickers)) {
      console.log(`StreamTicker ${update.snapshot ? "snapshot" : "update  "} ${line(pair, ticker)}`);
    }
    if (++received === 3) stop.abort();
  }
} catch (error) {
  if (!stop.signal.aborted) throw error;
}
