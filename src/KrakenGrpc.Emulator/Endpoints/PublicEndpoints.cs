using System.Globalization;
using System.Text.Json;
using KrakenGrpc.Emulator.Json;
using KrakenGrpc.Emulator.Market;

namespace KrakenGrpc.Emulator.Endpoints;

/// <summary>
/// Kraken's public market-data and transparency endpoints (/0/public/*). Each handler checks its parameters the
/// way Kraken documents them, then renders the answer from <see cref="EmulatedMarket"/> while holding its gate, so
/// an answer is one consistent snapshot. Key order and number forms follow Kraken's documented examples
/// (fixtures/docs/*.json).
/// </summary>
internal sealed class PublicEndpoints(EmulatedMarket market)
{
    private const long NanosPerSecond = 1_000_000_000L;

    // Below this a Trades "since" is read as unix seconds (Kraken accepts both); above it as nanoseconds.
    private const long SecondsCursorLimit = 100_000_000_000L;

    private static readonly int[] GroupedBookDepths = [10, 25, 100, 250, 1000];
    private static readonly int[] GroupedBookGroupings = [1, 5, 10, 25, 50, 100, 250, 500, 1000];

    private MarketCatalogue Catalogue => market.Catalogue;

    public void Register(EndpointTable table)
    {
        table.MapPublic("/0/public/Time", Time);
        table.MapPublic("/0/public/SystemStatus", SystemStatus);
        table.MapPublic("/0/public/Assets", Assets);
        table.MapPublic("/0/public/AssetPairs", AssetPairs);
        table.MapPublic("/0/public/Ticker", Ticker);
        table.MapPublic("/0/public/OHLC", Ohlc);
        table.MapPublic("/0/public/Depth", Depth);
        table.MapPublic("/0/public/GroupedBook", GroupedBook);
        table.MapPublic("/0/public/Trades", Trades);
        table.MapPublic("/0/public/Spread", Spread);
        table.MapPublic("/0/public/PreTrade", PreTrade);
        table.MapPublic("/0/public/PostTrade", PostTrade);
    }

    // ---------------------------------------------------------------- Time, SystemStatus

    private EndpointResponse Time(EmulatorRequest request)
    {
        var now = market.Now;
        return Ok(w =>
        {
            w.WriteStartObject();
            w.WriteNumber("unixtime", now.ToUnixTimeSeconds());
            w.WriteString("rfc1123", now.ToString("ddd, dd MMM yy HH:mm:ss '+0000'", CultureInfo.InvariantCulture));
            w.WriteEndObject();
        });
    }

    private EndpointResponse SystemStatus(EmulatorRequest request)
    {
        var now = market.Now;
        var status = market.SystemStatus;
        return Ok(w =>
        {
            w.WriteStartObject();
            w.WriteString("status", status);
            w.WriteString("timestamp", now.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
            w.WriteEndObject();
        });
    }

    // ---------------------------------------------------------------- Assets, AssetPairs

    private EndpointResponse Assets(EmulatorRequest request)
    {
        var aclass = request.Parameters.NonEmpty("aclass") ?? "currency";
        if (aclass is not ("currency" or "tokenized_asset"))
        {
            return EndpointResponse.KrakenError(KrakenErrors.InvalidArguments);
        }

        IEnumerable<AssetDefinition> selected = Catalogue.Assets;
        if (request.Parameters.NonEmpty("asset") is { } list)
        {
            var wanted = new HashSet<string>(StringComparer.Ordinal);
            foreach (var name in RequestParameters.SplitList(list))
            {
                if (!Catalogue.TryFindAsset(name, out var asset))
                {
                    return EndpointResponse.KrakenError(KrakenErrors.UnknownAsset);
                }

                wanted.Add(asset.Key);
            }

            selected = selected.Where(a => wanted.Contains(a.Key));
        }

        // The emulator lists no xStocks: asking for that class finds nothing.
        selected = selected.Where(a => a.Aclass == aclass).ToArray();

        return Ok(w =>
        {
            w.WriteStartObject();
            foreach (var asset in selected)
            {
                w.WriteStartObject(asset.Key);
                w.WriteString("aclass", asset.Aclass);
                w.WriteString("altname", asset.Altname);
                w.WriteNumber("decimals", asset.Decimals);
                w.WriteNumber("display_decimals", asset.DisplayDecimals);
                w.WriteNumber("collateral_value", asset.CollateralValue);
                w.WriteString("status", asset.Status);
                w.WriteEndObject();
            }

            w.WriteEndObject();
        });
    }

    private EndpointResponse AssetPairs(EmulatorRequest request)
    {
        var parameters = request.Parameters;
        var info = parameters.NonEmpty("info") ?? "info";
        var aclassBase = parameters.NonEmpty("aclass_base") ?? "currency";
        if (info is not ("info" or "leverage" or "fees" or "margin") || aclassBase is not ("currency" or "tokenized_asset"))
        {
            return EndpointResponse.KrakenError(KrakenErrors.InvalidArguments);
        }

        var country = parameters.NonEmpty("country_code");
        if (country is not null && (country.Length != 2 || !country.All(char.IsAsciiLetter)))
        {
            return EndpointResponse.KrakenError(KrakenErrors.InvalidArguments);
        }

        var venues = parameters.NonEmpty("execution_venue") is { } venueList
            ? RequestParameters.SplitList(venueList).ToArray()
            : ["international"];
        if (venues.Any(v => v is not ("international" or "bitnomial_exchange")))
        {
            return EndpointResponse.KrakenError(KrakenErrors.InvalidArguments);
        }

        if (!TryResolvePairs(parameters.NonEmpty("pair"), out var selected))
        {
            return EndpointResponse.KrakenError(KrakenErrors.UnknownAssetPair);
        }

        // Every emulated pair is a currency pair on Kraken's international venue.
        if (aclassBase != "currency" || !venues.Contains("international"))
        {
            selected = [];
        }

        if (country is not null)
        {
            var code = country.ToUpperInvariant();
            selected = selected.Where(p => !p.RestrictedCountries.Contains(code)).ToArray();
        }

        return Ok(w =>
        {
            w.WriteStartObject();
            foreach (var pair in selected)
            {
                w.WriteStartObject(pair.Key);
                switch (info)
                {
                    case "leverage":
                        WriteLeverage(w, pair);
                        break;
                    case "fees":
                        WriteFees(w, pair);
                        break;
                    case "margin":
                        WriteMargin(w, pair);
                        break;
                    default:
                        WritePairInfo(w, pair);
                        break;
                }

                w.WriteEndObject();
            }

            w.WriteEndObject();
        });
    }

    /// <summary>Every AssetPairs field, in the order of Kraken's documented example.</summary>
    private static void WritePairInfo(Utf8JsonWriter w, PairDefinition pair)
    {
        w.WriteString("altname", pair.Altname);
        w.WriteString("wsname", pair.Wsname);
        w.WriteString("aclass_base", pair.Base.Aclass);
        w.WriteString("base", pair.Base.Key);
        w.WriteString("aclass_quote", pair.Quote.Aclass);
        w.WriteString("quote", pair.Quote.Key);
        w.WriteString("lot", "unit");
        w.WriteNumber("cost_decimals", pair.CostDecimals);
        w.WriteNumber("pair_decimals", pair.PairDecimals);
        w.WriteNumber("lot_decimals", pair.LotDecimals);
        w.WriteNumber("lot_multiplier", 1);
        WriteLeverage(w, pair);
        WriteFeeSchedule(w, "fees", pair.Fees);
        WriteFeeSchedule(w, "fees_maker", pair.FeesMaker);
        w.WriteString("fee_volume_currency", pair.FeeVolumeCurrency);
        WriteMargin(w, pair);
        w.WriteString("ordermin", pair.OrderMin.ToString(CultureInfo.InvariantCulture));
        w.WriteString("costmin", pair.CostMin.ToString(CultureInfo.InvariantCulture));
        w.WriteString("tick_size", pair.TickSize.ToString(CultureInfo.InvariantCulture));
        w.WriteString("status", pair.Status);
        w.WriteNumber("long_position_limit", pair.LongPositionLimit);
        w.WriteNumber("short_position_limit", pair.ShortPositionLimit);
    }

    private static void WriteLeverage(Utf8JsonWriter w, PairDefinition pair)
    {
        w.WriteStartArray("leverage_buy");
        foreach (var leverage in pair.LeverageBuy)
        {
            w.WriteNumberValue(leverage);
        }

        w.WriteEndArray();
        w.WriteStartArray("leverage_sell");
        foreach (var leverage in pair.LeverageSell)
        {
            w.WriteNumberValue(leverage);
        }

        w.WriteEndArray();
    }

    private static void WriteFees(Utf8JsonWriter w, PairDefinition pair)
    {
        WriteFeeSchedule(w, "fees", pair.Fees);
        WriteFeeSchedule(w, "fees_maker", pair.FeesMaker);
        w.WriteString("fee_volume_currency", pair.FeeVolumeCurrency);
    }

    private static void WriteMargin(Utf8JsonWriter w, PairDefinition pair)
    {
        w.WriteNumber("margin_call", pair.MarginCall);
        w.WriteNumber("margin_stop", pair.MarginStop);
    }

    /// <summary>Fee tiers are JSON numbers in Kraken's answer ([0,0.26]); decimal keeps them exact.</summary>
    private static void WriteFeeSchedule(Utf8JsonWriter w, string name, IReadOnlyList<(decimal Volume, decimal Percent)> tiers)
    {
        w.WriteStartArray(name);
        foreach (var (volume, percent) in tiers)
        {
            w.WriteStartArray();
            w.WriteNumberValue(volume);
            w.WriteNumberValue(percent);
            w.WriteEndArray();
        }

        w.WriteEndArray();
    }

    // ---------------------------------------------------------------- Ticker

    private EndpointResponse Ticker(EmulatorRequest request)
    {
        // asset_class=tokenized_asset asks for xStocks, which the emulator does not list.
        var xStocks = request.Parameters.NonEmpty("asset_class") == "tokenized_asset";
        if (!TryResolvePairs(request.Parameters.NonEmpty("pair"), out var selected) || (xStocks && request.Parameters.NonEmpty("pair") is not null))
        {
            return EndpointResponse.KrakenError(KrakenErrors.UnknownAssetPair);
        }

        if (xStocks)
        {
            selected = [];
        }

        return Render(w =>
        {
            var nowSeconds = market.NowNs / NanosPerSecond;
            w.WriteStartObject();
            foreach (var definition in selected)
            {
                var pair = market.Pair(definition);
                var stats = pair.Statistics(nowSeconds);
                var decimals = definition.PriceDecimals;

                w.WriteStartObject(definition.Key);
                WriteQuote(w, "a", pair.Book.Asks[0], decimals);
                WriteQuote(w, "b", pair.Book.Bids[0], decimals);
                w.WriteStartArray("c");
                w.WriteFixedString(pair.LastPrice, decimals);
                w.WriteFixedString(pair.LastVolume, definition.LotDecimals);
                w.WriteEndArray();
                WritePair(w, "v", stats.Today.Volume, stats.Last24Hours.Volume, definition.LotDecimals);
                WritePair(w, "p", stats.Today.Vwap, stats.Last24Hours.Vwap, decimals);
                w.WriteStartArray("t");
                w.WriteNumberValue(stats.Today.Trades);
                w.WriteNumberValue(stats.Last24Hours.Trades);
                w.WriteEndArray();
                WritePair(w, "l", stats.Today.Low, stats.Last24Hours.Low, decimals);
                WritePair(w, "h", stats.Today.High, stats.Last24Hours.High, decimals);
                w.WriteFixedString("o", stats.Today.Open, decimals);
                w.WriteEndObject();
            }

            w.WriteEndObject();
        });
    }

    /// <summary>
    /// Ticker's [price, whole lot volume, lot volume]: Kraken gives the top level's volume in whole lots, both as an
    /// integer ("1") and with three decimals ("1.000").
    /// </summary>
    private static void WriteQuote(Utf8JsonWriter w, string name, BookLevel level, int priceDecimals)
    {
        var wholeLots = Math.Max(1m, decimal.Ceiling(level.Volume));
        w.WriteStartArray(name);
        w.WriteFixedString(level.Price, priceDecimals);
        w.WriteFixedString(wholeLots, 0);
        w.WriteFixedString(wholeLots, 3);
        w.WriteEndArray();
    }

    private static void WritePair(Utf8JsonWriter w, string name, decimal today, decimal last24Hours, int decimals)
    {
        w.WriteStartArray(name);
        w.WriteFixedString(today, decimals);
        w.WriteFixedString(last24Hours, decimals);
        w.WriteEndArray();
    }

    // ---------------------------------------------------------------- OHLC

    private EndpointResponse Ohlc(EmulatorRequest request)
    {
        if (!TryRequirePair(request.Parameters, "pair", out var definition, out var failure))
        {
            return failure;
        }

        if (!request.Parameters.TryGetInt("interval", 1, 1, int.MaxValue, out var interval)
            || !PairMarket.Intervals.Contains(interval)
            || !request.Parameters.TryGetCursor("since", out var since))
        {
            return EndpointResponse.KrakenError(KrakenErrors.InvalidArguments);
        }

        return Render(w =>
        {
            var pair = market.Pair(definition);
            var series = pair.CandlesOf(interval);
            series.EnsureCurrent(market.NowNs / NanosPerSecond, pair.LastPrice);
            var candles = series.Candles;
            var current = candles[^1];
            var first = Math.Max(0, candles.Count - PairMarket.MaxCandles);

            w.WriteStartObject();
            w.WriteStartArray(definition.Key);
            for (var i = first; i < candles.Count; i++)
            {
                var candle = candles[i];

                // "since" returns committed candles after it; the current, unfinished candle is always present.
                if (since is { } s && candle.Time <= s && candle != current)
                {
                    continue;
                }

                w.WriteStartArray();
                w.WriteNumberValue(candle.Time);
                w.WriteFixedString(candle.Open, definition.PairDecimals);
                w.WriteFixedString(candle.High, definition.PairDecimals);
                w.WriteFixedString(candle.Low, definition.PairDecimals);
                w.WriteFixedString(candle.Close, definition.PairDecimals);
                w.WriteFixedString(candle.Vwap, definition.PairDecimals);
                w.WriteFixedString(candle.Volume, definition.LotDecimals);
                w.WriteNumberValue(candle.Count);
                w.WriteEndArray();
            }

            w.WriteEndArray();

            // The cursor points at the newest committed candle, so the next poll gets the current one again.
            w.WriteNumber("last", current.Time - series.IntervalSeconds);
            w.WriteEndObject();
        });
    }

    // ---------------------------------------------------------------- Depth, GroupedBook

    private EndpointResponse Depth(EmulatorRequest request)
    {
        if (!TryRequirePair(request.Parameters, "pair", out var definition, out var failure))
        {
            return failure;
        }

        if (!request.Parameters.TryGetInt("count", 100, 1, 500, out var count))
        {
            return EndpointResponse.KrakenError(KrakenErrors.InvalidArguments);
        }

        return Render(w =>
        {
            var book = market.Pair(definition).Book;
            w.WriteStartObject();
            w.WriteStartObject(definition.Key);
            WriteDepthSide(w, "asks", book.Asks, count, definition);
            WriteDepthSide(w, "bids", book.Bids, count, definition);
            w.WriteEndObject();
            w.WriteEndObject();
        });
    }

    private static void WriteDepthSide(Utf8JsonWriter w, string name, IReadOnlyList<BookLevel> levels, int count, PairDefinition pair)
    {
        w.WriteStartArray(name);
        foreach (var level in levels.Take(count))
        {
            w.WriteStartArray();
            w.WriteFixedString(level.Price, pair.PriceDecimals);
            w.WriteFixedString(level.Volume, pair.BookVolumeDecimals);
            w.WriteNumberValue(level.Timestamp);
            w.WriteEndArray();
        }

        w.WriteEndArray();
    }

    private EndpointResponse GroupedBook(EmulatorRequest request)
    {
        if (!TryRequirePair(request.Parameters, "pair", out var definition, out var failure))
        {
            return failure;
        }

        if (!request.Parameters.TryGetInt("depth", 10, 1, int.MaxValue, out var depth) || !GroupedBookDepths.Contains(depth)
            || !request.Parameters.TryGetInt("grouping", 1, 1, int.MaxValue, out var grouping) || !GroupedBookGroupings.Contains(grouping))
        {
            return EndpointResponse.KrakenError(KrakenErrors.InvalidArguments);
        }

        return Render(w =>
        {
            var book = market.Pair(definition).Book;
            var step = grouping * definition.TickSize;
            w.WriteStartObject();
            w.WriteString("pair", definition.Symbol);
            w.WriteNumber("grouping", grouping);

            // Bids round down to their group, asks up, as Kraken documents.
            WriteGroups(w, "bids", Group(book.Bids, step, roundUp: false), depth, definition);
            WriteGroups(w, "asks", Group(book.Asks, step, roundUp: true), depth, definition);
            w.WriteEndObject();
        });
    }

    private static List<(decimal Price, decimal Quantity)> Group(IReadOnlyList<BookLevel> levels, decimal step, bool roundUp)
    {
        var groups = new List<(decimal Price, decimal Quantity)>();
        foreach (var level in levels)
        {
            var units = level.Price / step;
            var price = (roundUp ? decimal.Ceiling(units) : decimal.Floor(units)) * step;
            if (groups.Count > 0 && groups[^1].Price == price)
            {
                groups[^1] = (price, groups[^1].Quantity + level.Volume);
            }
            else
            {
                groups.Add((price, level.Volume));
            }
        }

        return groups;
    }

    private static void WriteGroups(Utf8JsonWriter w, string name, List<(decimal Price, decimal Quantity)> groups, int depth, PairDefinition pair)
    {
        w.WriteStartArray(name);
        foreach (var (price, quantity) in groups.Take(depth))
        {
            w.WriteStartObject();
            w.WriteFixedString("price", price, pair.PriceDecimals);
            w.WriteFixedString("qty", quantity, pair.LotDecimals);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    // ---------------------------------------------------------------- Trades, Spread

    private EndpointResponse Trades(EmulatorRequest request)
    {
        if (!TryRequirePair(request.Parameters, "pair", out var definition, out var failure))
        {
            return failure;
        }

        if (!request.Parameters.TryGetCursor("since", out var since)
            || !request.Parameters.TryGetInt("count", 1000, 1, 1000, out var count))
        {
            return EndpointResponse.KrakenError(KrakenErrors.InvalidArguments);
        }

        // Kraken's cursor is nanoseconds, but a unix-seconds value is accepted too.
        long? sinceNs = since is { } s ? (s < SecondsCursorLimit ? s * NanosPerSecond : s) : null;

        return Render(w =>
        {
            var tape = market.Pair(definition).Trades.Entries;
            var trades = sinceNs is { } cursor
                ? tape.Where(t => t.TimeNs > cursor).Take(count).ToArray()
                : tape.TakeLast(count).ToArray();

            w.WriteStartObject();
            w.WriteStartArray(definition.Key);
            foreach (var trade in trades)
            {
                w.WriteStartArray();
                w.WriteFixedString(trade.Price, definition.PriceDecimals);
                w.WriteFixedString(trade.Volume, definition.LotDecimals);
                w.WriteUnixSecondsNumber(trade.TimeNs);
                w.WriteStringValue(trade.Side == 'b' ? "b" : "s");
                w.WriteStringValue(trade.OrderType == 'l' ? "l" : "m");
                w.WriteStringValue(string.Empty);
                w.WriteNumberValue(trade.TradeId);
                w.WriteEndArray();
            }

            w.WriteEndArray();
            var last = trades.Length > 0 ? trades[^1].TimeNs : sinceNs ?? market.NowNs;
            w.WriteIntegerString("last", last);
            w.WriteEndObject();
        });
    }

    private EndpointResponse Spread(EmulatorRequest request)
    {
        if (!TryRequirePair(request.Parameters, "pair", out var definition, out var failure))
        {
            return failure;
        }

        if (!request.Parameters.TryGetCursor("since", out var since))
        {
            return EndpointResponse.KrakenError(KrakenErrors.InvalidArguments);
        }

        return Render(w =>
        {
            var tape = market.Pair(definition).Spreads.Entries;
            var entries = since is { } cursor ? tape.Where(e => e.Time > cursor).ToArray() : tape.ToArray();

            w.WriteStartObject();
            w.WriteStartArray(definition.Key);
            foreach (var entry in entries)
            {
                w.WriteStartArray();
                w.WriteNumberValue(entry.Time);
                w.WriteFixedString(entry.Bid, definition.PriceDecimals);
                w.WriteFixedString(entry.Ask, definition.PriceDecimals);
                w.WriteEndArray();
            }

            w.WriteEndArray();
            var last = entries.Length > 0 ? entries[^1].Time : since ?? market.NowNs / NanosPerSecond;
            w.WriteNumber("last", last);
            w.WriteEndObject();
        });
    }

    // ---------------------------------------------------------------- PreTrade, PostTrade (MiCA transparency)

    private EndpointResponse PreTrade(EmulatorRequest request)
    {
        var symbol = request.Parameters.NonEmpty("symbol");
        if (symbol is null || symbol.Length < 3 || symbol.Length > 32)
        {
            return EndpointResponse.KrakenError(KrakenErrors.InvalidArguments);
        }

        if (!Catalogue.TryFindPair(symbol, out var definition))
        {
            return EndpointResponse.KrakenError(KrakenErrors.UnknownAssetPair);
        }

        return Render(w =>
        {
            var book = market.Pair(definition).Book;
            var published = KrakenNumber.IsoMicroseconds(market.NowNs);
            w.WriteStartObject();
            WriteInstrument(w, definition, "symbol");
            w.WriteString("venue", "PGSL");
            w.WriteString("system", "CLOB");
            WritePreTradeSide(w, "bids", "BUY", book.Bids, definition, published);
            WritePreTradeSide(w, "asks", "SELL", book.Asks, definition, published);
            w.WriteEndObject();
        });
    }

    /// <summary>The top 10 levels, as the transparency rules require.</summary>
    private static void WritePreTradeSide(Utf8JsonWriter w, string name, string side, IReadOnlyList<BookLevel> levels, PairDefinition pair, string published)
    {
        w.WriteStartArray(name);
        foreach (var level in levels.Take(10))
        {
            w.WriteStartObject();
            w.WriteString("side", side);
            w.WriteFixedString("price", level.Price, pair.PairDecimals);
            w.WriteFixedString("qty", level.Volume, pair.LotDecimals);
            w.WriteNumber("count", level.Orders);
            w.WriteString("submission_ts", KrakenNumber.IsoMicroseconds(level.Timestamp * NanosPerSecond));
            w.WriteString("publication_ts", published);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    private EndpointResponse PostTrade(EmulatorRequest request)
    {
        var parameters = request.Parameters;
        PairDefinition[] pairs;
        if (parameters.NonEmpty("symbol") is { } symbol)
        {
            if (!Catalogue.TryFindPair(symbol, out var one))
            {
                return EndpointResponse.KrakenError(KrakenErrors.UnknownAssetPair);
            }

            pairs = [one];
        }
        else
        {
            pairs = Catalogue.Pairs.ToArray();
        }

        if (!TryParseIso(parameters.NonEmpty("from_ts"), out var fromNs)
            || !TryParseIso(parameters.NonEmpty("to_ts"), out var toNs)
            || !parameters.TryGetInt("count", 1000, 1, 1000, out var count))
        {
            return EndpointResponse.KrakenError(KrakenErrors.InvalidArguments);
        }

        return Render(w =>
        {
            var matching = pairs
                .SelectMany(p => market.Pair(p).Trades.Entries.Select(t => (Pair: p, Trade: t)))
                .Where(x => (fromNs is null || x.Trade.TimeNs > fromNs) && (toNs is null || x.Trade.TimeNs <= toNs))
                .OrderBy(x => x.Trade.TimeNs)
                .ThenBy(x => x.Pair.Key, StringComparer.Ordinal);

            // With a starting point the page runs forward from it (a cursor); without one, the latest trades.
            var page = fromNs is null ? matching.TakeLast(count).ToArray() : matching.Take(count).ToArray();
            var lastNs = page.Length > 0 ? page[^1].Trade.TimeNs : fromNs ?? market.NowNs;

            w.WriteStartObject();
            w.WriteString("last_ts", KrakenNumber.IsoMicroseconds(lastNs));
            w.WriteNumber("count", page.Length);
            w.WriteStartArray("trades");
            foreach (var (pair, trade) in page)
            {
                var time = KrakenNumber.IsoMicroseconds(trade.TimeNs);
                w.WriteStartObject();
                w.WriteString("trade_id", KrakenIds.Trade(pair.Key, trade.TradeId));
                w.WriteFixedString("price", trade.Price, pair.PairDecimals);
                w.WriteFixedString("quantity", trade.Volume, pair.LotDecimals);
                WriteInstrument(w, pair, "symbol");
                w.WriteString("trade_venue", "PGSL");
                w.WriteString("trade_ts", time);
                w.WriteString("publication_venue", "PGSL");
                w.WriteString("publication_ts", time);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        });
    }

    /// <summary>The instrument block both transparency endpoints share: symbol, description, assets and notations.</summary>
    private static void WriteInstrument(Utf8JsonWriter w, PairDefinition pair, string symbolName)
    {
        w.WriteString(symbolName, pair.Symbol);
        w.WriteString("description", pair.Base.FullName + " / " + pair.Quote.FullName);
        w.WriteString("base_asset", pair.Base.Symbol);
        w.WriteString("base_notation", "UNIT");
        w.WriteString("quote_asset", pair.Quote.Symbol);
        w.WriteString("quote_notation", "MONE");
    }

    private static bool TryParseIso(string? text, out long? unixNanoseconds)
    {
        unixNanoseconds = null;
        if (text is null)
        {
            return true;
        }

        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time))
        {
            return false;
        }

        unixNanoseconds = (time.UtcTicks - DateTime.UnixEpoch.Ticks) * 100;
        return true;
    }

    // ---------------------------------------------------------------- shared helpers

    /// <summary>
    /// Resolves an optional comma list of pair names (any name Kraken accepts) to definitions in Kraken's key order;
    /// no list means every pair. False when a name is unknown.
    /// </summary>
    private bool TryResolvePairs(string? list, out IReadOnlyList<PairDefinition> pairs)
    {
        if (list is null)
        {
            pairs = Catalogue.Pairs;
            return true;
        }

        var wanted = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in RequestParameters.SplitList(list))
        {
            if (!Catalogue.TryFindPair(name, out var pair))
            {
                pairs = [];
                return false;
            }

            wanted.Add(pair.Key);
        }

        pairs = Catalogue.Pairs.Where(p => wanted.Contains(p.Key)).ToArray();
        return true;
    }

    /// <summary>
    /// The one pair an endpoint needs: missing -> EGeneral:Invalid arguments, unknown (or a list, which these
    /// endpoints do not take) -> EQuery:Unknown asset pair.
    /// </summary>
    private bool TryRequirePair(RequestParameters parameters, string name, out PairDefinition definition, out EndpointResponse failure)
    {
        definition = null!;
        var value = parameters.NonEmpty(name);
        if (value is null)
        {
            failure = EndpointResponse.KrakenError(KrakenErrors.InvalidArguments);
            return false;
        }

        if (!Catalogue.TryFindPair(value, out var found) || parameters.NonEmpty("asset_class") == "tokenized_asset")
        {
            failure = EndpointResponse.KrakenError(KrakenErrors.UnknownAssetPair);
            return false;
        }

        definition = found;
        failure = default;
        return true;
    }

    private static EndpointResponse Ok(Action<Utf8JsonWriter> writeResult) => EndpointResponse.Ok(KrakenJson.Result(writeResult));

    /// <summary>Renders under the market's gate so the answer is one consistent snapshot.</summary>
    private EndpointResponse Render(Action<Utf8JsonWriter> writeResult)
    {
        lock (market.Gate)
        {
            return Ok(writeResult);
        }
    }
}
