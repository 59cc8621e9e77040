using System.Text.Json;
using KrakenGrpc.Contracts.Spot.V1;
using KrakenGrpc.Kraken.Requests;
using KrakenGrpc.Server.Validation;
using static KrakenGrpc.Server.Mapping.KrakenJson;

namespace KrakenGrpc.Server.Mapping;

/// <summary>
/// MarketDataService requests to Kraken parameters (validated first: nothing invalid goes upstream) and Kraken
/// results to response messages. Decimal text is copied, never parsed; see <see cref="KrakenJson"/>.
/// </summary>
internal static class MarketDataMapping
{
    private static readonly int[] GroupedBookDepths = [10, 25, 100, 250, 1000];
    private static readonly int[] GroupedBookGroupings = [1, 5, 10, 25, 50, 100, 250, 500, 1000];
    private static readonly int[] Level3Depths = [0, 10, 25, 100, 250, 1000];

    // ---- Requests -------------------------------------------------------------------------------------------

    public static KrakenParameters Parameters(GetAssetInfoRequest request) =>
        new KrakenParameters().Add("asset", request.Asset).Add("aclass", request.Aclass);

    public static KrakenParameters Parameters(GetAssetPairsRequest request)
    {
        new RequestValidation()
            .Defined("info", request.Info)
            .Check(request.CountryCode.Length == 0 || (request.CountryCode.Length == 2 && request.CountryCode.All(char.IsAsciiLetter)),
                "country_code", "must be a two-letter ISO 3166-1 code")
            .ThrowIfInvalid();
        return new KrakenParameters()
            .Add("pair", request.Pair)
            .Add("aclass_base", request.AclassBase)
            .Add("info", request.Info switch
            {
                AssetPairsInfo.All => "info",
                AssetPairsInfo.Leverage => "leverage",
                AssetPairsInfo.Fees => "fees",
                AssetPairsInfo.Margin => "margin",
                _ => null,
            })
            .Add("country_code", request.CountryCode)
            .Add("execution_venue", request.ExecutionVenue);
    }

    public static KrakenParameters Parameters(GetTickerRequest request) =>
        new KrakenParameters().Add("pair", request.Pair).Add("asset_class", request.AssetClass);

    public static KrakenParameters Parameters(GetCandlesRequest request)
    {
        new RequestValidation()
            .Required("pair", request.Pair)
            .Defined("interval", request.Interval)
            .Check(IsCursor(request.Since), "since", "must be a unix time or a `last` cursor (digits)")
            .ThrowIfInvalid();
        return new KrakenParameters()
            .Add("pair", request.Pair)
            .Add("interval", request.Interval == OhlcInterval.Unspecified ? null : (long)request.Interval)
            .Add("since", request.Since)
            .Add("asset_class", request.AssetClass);
    }

    public static KrakenParameters Parameters(GetOrderBookRequest request)
    {
        new RequestValidation()
            .Required("pair", request.Pair)
            .InRange("count", request.HasCount ? request.Count : null, 1, 500)
            .ThrowIfInvalid();
        return new KrakenParameters()
            .Add("pair", request.Pair)
            .Add("count", request.HasCount ? request.Count : null)
            .Add("asset_class", request.AssetClass);
    }

    public static KrakenParameters Parameters(GetGroupedBookRequest request)
    {
        new RequestValidation()
            .Required("pair", request.Pair)
            .OneOf("depth", request.HasDepth ? request.Depth : null, GroupedBookDepths)
            .OneOf("grouping", request.HasGrouping ? request.Grouping : null, GroupedBookGroupings)
            .ThrowIfInvalid();
        return new KrakenParameters()
            .Add("pair", request.Pair)
            .Add("depth", request.HasDepth ? request.Depth : null)
            .Add("grouping", request.HasGrouping ? request.Grouping : null);
    }

    public static KrakenParameters Parameters(GetRecentTradesRequest request)
    {
        new RequestValidation()
            .Required("pair", request.Pair)
            .Check(IsCursor(request.Since), "since", "must be a unix time or a `last` cursor (digits)")
            .InRange("count", request.HasCount ? request.Count : null, 1, 1000)
            .ThrowIfInvalid();
        return new KrakenParameters()
            .Add("pair", request.Pair)
            .Add("since", request.Since)
            .Add("count", request.HasCount ? request.Count : null)
            .Add("asset_class", request.AssetClass);
    }

    public static KrakenParameters Parameters(GetRecentSpreadsRequest request)
    {
        new RequestValidation()
            .Required("pair", request.Pair)
            .Check(IsCursor(request.Since), "since", "must be a unix time or a `last` cursor (digits)")
            .ThrowIfInvalid();
        return new KrakenParameters()
            .Add("pair", request.Pair)
            .Add("since", request.Since)
            .Add("asset_class", request.AssetClass);
    }

    public static KrakenParameters Parameters(GetPreTradeDataRequest request)
    {
        new RequestValidation()
            .Required("symbol", request.Symbol)
            .Length("symbol", request.Symbol, 3, 32)
            .ThrowIfInvalid();
        return new KrakenParameters().Add("symbol", request.Symbol);
    }

    public static KrakenParameters Parameters(GetPostTradeDataRequest request)
    {
        new RequestValidation()
            .InRange("count", request.HasCount ? request.Count : null, 1, 1000)
            .Check(IsIsoTimeOrEmpty(request.FromTs), "from_ts", "must be an ISO 8601 time (the previous answer's last_ts)")
            .Check(IsIsoTimeOrEmpty(request.ToTs), "to_ts", "must be an ISO 8601 time")
            .ThrowIfInvalid();
        return new KrakenParameters()
            .Add("symbol", request.Symbol)
            .Add("from_ts", request.FromTs)
            .Add("to_ts", request.ToTs)
            .Add("count", request.HasCount ? request.Count : null);
    }

    public static KrakenParameters Parameters(GetLevel3Request request)
    {
        new RequestValidation()
            .Required("pair", request.Pair)
            .OneOf("depth", request.HasDepth ? request.Depth : null, Level3Depths)
            .ThrowIfInvalid();
        return new KrakenParameters()
            .Add("pair", request.Pair)
            .Add("depth", request.HasDepth ? request.Depth : null)
            .Add("otp", request.Otp);
    }

    // Kraken's cursors are unix seconds or nanoseconds, optionally with a fraction.
    private static bool IsCursor(string since) =>
        since.Length == 0 || (since.Count(c => c == '.') <= 1 && since.All(c => char.IsAsciiDigit(c) || c == '.') && char.IsAsciiDigit(since[0]));

    private static bool IsIsoTimeOrEmpty(string text) =>
        text.Length == 0 || DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out _);

    // ---- Results --------------------------------------------------------------------------------------------

    public static GetServerTimeResponse ToServerTime(JsonElement result) => new()
    {
        ServerTime = UnixSeconds(result, "unixtime"),
        Rfc1123 = Text(result, "rfc1123"),
    };

    public static GetSystemStatusResponse ToSystemStatus(JsonElement result) => new()
    {
        Status = Text(result, "status") switch
        {
            "online" => SystemStatus.Online,
            "maintenance" => SystemStatus.Maintenance,
            "cancel_only" => SystemStatus.CancelOnly,
            "post_only" => SystemStatus.PostOnly,
            "limit_only" => SystemStatus.LimitOnly,
            _ => SystemStatus.Unspecified,
        },
        Timestamp = IsoTime(result, "timestamp"),
    };

    public static GetAssetInfoResponse ToAssetInfo(JsonElement result)
    {
        var response = new GetAssetInfoResponse();
        foreach (var asset in result.EnumerateObject())
        {
            var info = asset.Value;
            response.Assets.Add(asset.Name, new AssetInfo
            {
                AssetClass = Text(info, "aclass"),
                AlternateName = Text(info, "altname"),
                Decimals = Int(info, "decimals"),
                DisplayDecimals = Int(info, "display_decimals"),
                CollateralValue = Text(info, "collateral_value"),
                Status = Text(info, "status") switch
                {
                    "enabled" => AssetInfoStatus.Enabled,
                    "deposit_only" => AssetInfoStatus.DepositOnly,
                    "withdrawal_only" => AssetInfoStatus.WithdrawalOnly,
                    "funding_temporarily_disabled" => AssetInfoStatus.FundingTemporarilyDisabled,
                    _ => AssetInfoStatus.Unspecified,
                },
                MarginRate = Text(info, "margin_rate"),
            });
        }
        return response;
    }

    // AssetPairs (~1 MB for all pairs), Ticker (all pairs) and Depth (up to 500 levels a side) are the largest answers.
    // Each of their objects is read in one walk over its properties with a switch on the name (NameOf) that only
    // notes where each field is; a lookup by name per field would scan the object again for every field. The fields
    // are then mapped as a lookup by name would map them: unknown fields are never read, of a key written twice only
    // the last is read, absent ones are Undefined (empty, zero, none), and a malformed answer fails on the same field,
    // in the same order, with the same message.

    public static GetAssetPairsResponse ToAssetPairs(JsonElement result)
    {
        var response = new GetAssetPairsResponse();
        foreach (var entry in result.EnumerateObject())
        {
            response.Pairs.Add(entry.Name, ToAssetPair(entry.Value));
        }
        return response;
    }

    private static AssetPair ToAssetPair(JsonElement pair)
    {
        JsonElement altname = default, wsname = default, aclassBase = default, baseAsset = default, aclassQuote = default,
            quote = default, lot = default, costDecimals = default, pairDecimals = default, lotDecimals = default,
            lotMultiplier = default, feeVolumeCurrency = default, marginCall = default, marginStop = default,
            orderMin = default, costMin = default, tickSize = default, status = default, longPositionLimit = default,
            shortPositionLimit = default, executionVenue = default, leverageBuy = default, leverageSell = default,
            fees = default, feesMaker = default;
        Span<char> name = stackalloc char[NameBufferLength];
        foreach (var property in pair.EnumerateObject())
        {
            switch (NameOf(property, name))
            {
                case "altname": altname = property.Value; break;
                case "wsname": wsname = property.Value; break;
                case "aclass_base": aclassBase = property.Value; break;
                case "base": baseAsset = property.Value; break;
                case "aclass_quote": aclassQuote = property.Value; break;
                case "quote": quote = property.Value; break;
                case "lot": lot = property.Value; break;
                case "cost_decimals": costDecimals = property.Value; break;
                case "pair_decimals": pairDecimals = property.Value; break;
                case "lot_decimals": lotDecimals = property.Value; break;
                case "lot_multiplier": lotMultiplier = property.Value; break;
                case "fee_volume_currency": feeVolumeCurrency = property.Value; break;
                case "margin_call": marginCall = property.Value; break;
                case "margin_stop": marginStop = property.Value; break;
                case "ordermin": orderMin = property.Value; break;
                case "costmin": costMin = property.Value; break;
                case "tick_size": tickSize = property.Value; break;
                case "status": status = property.Value; break;
                case "long_position_limit": longPositionLimit = property.Value; break;
                case "short_position_limit": shortPositionLimit = property.Value; break;
                case "execution_venue": executionVenue = property.Value; break;
                case "leverage_buy": leverageBuy = property.Value; break;
                case "leverage_sell": leverageSell = property.Value; break;
                case "fees": fees = property.Value; break;
                case "fees_maker": feesMaker = property.Value; break;
                default: break;
            }
        }

        var mapped = new AssetPair
        {
            AlternateName = Text(altname),
            WebsocketName = Text(wsname),
            BaseAssetClass = Text(aclassBase),
            BaseAsset = Text(baseAsset),
            QuoteAssetClass = Text(aclassQuote),
            QuoteAsset = Text(quote),
            Lot = Text(lot),
            CostDecimals = KrakenJson.Int(costDecimals),
            PriceDecimals = KrakenJson.Int(pairDecimals),
            VolumeDecimals = KrakenJson.Int(lotDecimals),
            LotMultiplier = KrakenJson.Int(lotMultiplier),
            FeeVolumeCurrency = Text(feeVolumeCurrency),
            MarginCallLevel = KrakenJson.Int(marginCall),
            MarginStopLevel = KrakenJson.Int(marginStop),
            MinOrderVolume = Text(orderMin),
            MinOrderCost = Text(costMin),
            TickSize = Text(tickSize),
            Status = Text(status) switch
            {
                "online" => AssetPairStatus.Online,
                "cancel_only" => AssetPairStatus.CancelOnly,
                "post_only" => AssetPairStatus.PostOnly,
                "limit_only" => AssetPairStatus.LimitOnly,
                "reduce_only" => AssetPairStatus.ReduceOnly,
                _ => AssetPairStatus.Unspecified,
            },
            LongPositionLimit = Long(longPositionLimit),
            ShortPositionLimit = Long(shortPositionLimit),
            ExecutionVenue = Text(executionVenue),
        };
        Fill(mapped.BuyLeverageLevels, leverageBuy, KrakenJson.Int);
        Fill(mapped.SellLeverageLevels, leverageSell, KrakenJson.Int);
        Fill(mapped.TakerFeeTiers, fees, ToFeeTier);
        Fill(mapped.MakerFeeTiers, feesMaker, ToFeeTier);
        return mapped;
    }

    private static AssetPairFeeTier ToFeeTier(JsonElement tier) => new()
    {
        Volume = Text(At(tier, 0)),
        PercentFee = Text(At(tier, 1)),
    };

    public static GetTickerResponse ToTicker(JsonElement result)
    {
        var response = new GetTickerResponse();
        foreach (var entry in result.EnumerateObject())
        {
            response.Tickers.Add(entry.Name, ToPairTicker(entry.Value));
        }
        return response;
    }

    private static Ticker ToPairTicker(JsonElement ticker)
    {
        JsonElement ask = default, bid = default, lastTrade = default, volume = default, vwap = default, tradeCount = default,
            low = default, high = default, openingPrice = default;
        Span<char> name = stackalloc char[NameBufferLength];
        foreach (var property in ticker.EnumerateObject())
        {
            switch (NameOf(property, name))
            {
                case "a": ask = property.Value; break;
                case "b": bid = property.Value; break;
                case "c": lastTrade = property.Value; break;
                case "v": volume = property.Value; break;
                case "p": vwap = property.Value; break;
                case "t": tradeCount = property.Value; break;
                case "l": low = property.Value; break;
                case "h": high = property.Value; break;
                case "o": openingPrice = property.Value; break;
                default: break;
            }
        }

        return new Ticker
        {
            Ask = ToBookTop(Required(ask)),
            Bid = ToBookTop(Required(bid)),
            LastTrade = new TickerLastTrade { Price = Text(At(Required(lastTrade), 0)), LotVolume = Text(At(lastTrade, 1)) },
            Volume = ToWindows(Required(volume)),
            Vwap = ToWindows(Required(vwap)),
            TradeCount = new TickerCountWindows { Today = Long(At(Required(tradeCount), 0)), Last24Hours = Long(At(tradeCount, 1)) },
            Low = ToWindows(Required(low)),
            High = ToWindows(Required(high)),
            OpeningPrice = Text(openingPrice),
        };
    }

    // Every ticker tuple but "o" is required. A missing one throws what JsonElement.GetProperty throws, which
    // KrakenCalls.Read reports as an unreadable answer.
    private static JsonElement Required(JsonElement value) =>
        value.ValueKind == JsonValueKind.Undefined ? throw new KeyNotFoundException() : value;

    private static TickerBookTop ToBookTop(JsonElement tuple) => new()
    {
        Price = Text(At(tuple, 0)),
        WholeLotVolume = Text(At(tuple, 1)),
        LotVolume = Text(At(tuple, 2)),
    };

    private static TickerDecimalWindows ToWindows(JsonElement tuple) => new()
    {
        Today = Text(At(tuple, 0)),
        Last24Hours = Text(At(tuple, 1)),
    };

    public static GetCandlesResponse ToCandles(JsonElement result)
    {
        var (pair, entries) = SinglePair(result);
        var response = new GetCandlesResponse { Pair = pair, Last = Text(result, "last") };
        response.Candles.AddRange(entries.Select(candle => new Candle
        {
            Time = UnixSeconds(At(candle, 0)),
            Open = Text(At(candle, 1)),
            High = Text(At(candle, 2)),
            Low = Text(At(candle, 3)),
            Close = Text(At(candle, 4)),
            Vwap = Text(At(candle, 5)),
            Volume = Text(At(candle, 6)),
            Count = KrakenJson.Int(At(candle, 7)),
        }));
        return response;
    }

    public static GetOrderBookResponse ToOrderBook(JsonElement result)
    {
        var response = new GetOrderBookResponse();
        foreach (var entry in result.EnumerateObject())
        {
            response.Books.Add(entry.Name, ToDepthBook(entry.Value));
        }
        return response;
    }

    private static DepthBook ToDepthBook(JsonElement book)
    {
        JsonElement asks = default, bids = default;
        Span<char> name = stackalloc char[NameBufferLength];
        foreach (var property in book.EnumerateObject())
        {
            switch (NameOf(property, name))
            {
                case "asks": asks = property.Value; break;
                case "bids": bids = property.Value; break;
                default: break;
            }
        }

        var mapped = new DepthBook();
        Fill(mapped.Asks, asks, ToDepthLevel);
        Fill(mapped.Bids, bids, ToDepthLevel);
        return mapped;
    }

    private static DepthLevel ToDepthLevel(JsonElement level) => new()
    {
        Price = Text(At(level, 0)),
        Volume = Text(At(level, 1)),
        Timestamp = UnixSeconds(At(level, 2)),
    };

    public static GetGroupedBookResponse ToGroupedBook(JsonElement result)
    {
        var response = new GetGroupedBookResponse { Pair = Text(result, "pair"), Grouping = Int(result, "grouping") };
        Fill(response.Bids, Property(result, "bids"), ToGroupedLevel);
        Fill(response.Asks, Property(result, "asks"), ToGroupedLevel);
        return response;
    }

    private static GroupedBookLevel ToGroupedLevel(JsonElement level) => new()
    {
        Price = Text(level, "price"),
        Quantity = Text(level, "qty"),
    };

    public static GetRecentTradesResponse ToRecentTrades(JsonElement result)
    {
        var (pair, entries) = SinglePair(result);
        var response = new GetRecentTradesResponse { Pair = pair, Last = Text(result, "last") };
        response.Trades.AddRange(entries.Select(trade => new PublicTrade
        {
            Price = Text(At(trade, 0)),
            Volume = Text(At(trade, 1)),
            Time = UnixSeconds(At(trade, 2)),
            Side = Text(At(trade, 3)) switch
            {
                "b" => PublicTradeSide.Buy,
                "s" => PublicTradeSide.Sell,
                _ => PublicTradeSide.Unspecified,
            },
            OrderType = Text(At(trade, 4)) switch
            {
                "m" => PublicTradeOrderType.Market,
                "l" => PublicTradeOrderType.Limit,
                _ => PublicTradeOrderType.Unspecified,
            },
            Miscellaneous = Text(At(trade, 5)),
            // Older answers had no trade id; newer ones always do.
            TradeId = trade.GetArrayLength() > 6 ? Long(trade[6]) : 0,
        }));
        return response;
    }

    public static GetRecentSpreadsResponse ToRecentSpreads(JsonElement result)
    {
        var (pair, entries) = SinglePair(result);
        var response = new GetRecentSpreadsResponse { Pair = pair, Last = Text(result, "last") };
        response.Spreads.AddRange(entries.Select(spread => new BookSpread
        {
            Time = UnixSeconds(At(spread, 0)),
            Bid = Text(At(spread, 1)),
            Ask = Text(At(spread, 2)),
        }));
        return response;
    }

    public static GetPreTradeDataResponse ToPreTradeData(JsonElement result)
    {
        var response = new GetPreTradeDataResponse
        {
            Symbol = Text(result, "symbol"),
            Description = Text(result, "description"),
            BaseAsset = Text(result, "base_asset"),
            BaseNotation = Text(result, "base_notation"),
            BaseDtiCode = Text(result, "base_dti_code"),
            BaseDtiShortName = Text(result, "base_dti_short_name"),
            QuoteAsset = Text(result, "quote_asset"),
            QuoteDtiCode = Text(result, "quote_dti_code"),
            QuoteDtiShortName = Text(result, "quote_dti_short_name"),
            QuoteNotation = Text(result, "quote_notation"),
            Venue = Text(result, "venue"),
            System = Text(result, "system"),
        };
        Fill(response.Bids, Property(result, "bids"), ToPreTradeLevel);
        Fill(response.Asks, Property(result, "asks"), ToPreTradeLevel);
        return response;
    }

    private static PreTradeLevel ToPreTradeLevel(JsonElement level) => new()
    {
        Side = Text(level, "side") switch
        {
            "BUY" => PublicTradeSide.Buy,
            "SELL" => PublicTradeSide.Sell,
            _ => PublicTradeSide.Unspecified,
        },
        Price = Text(level, "price"),
        Quantity = Text(level, "qty"),
        OrderCount = Int(level, "count"),
        SubmissionTime = AnyTime(level, "submission_ts"),
        PublicationTime = AnyTime(level, "publication_ts"),
    };

    public static GetPostTradeDataResponse ToPostTradeData(JsonElement result)
    {
        var response = new GetPostTradeDataResponse { LastTs = Text(result, "last_ts"), Count = Int(result, "count") };
        Fill(response.Trades, Property(result, "trades"), trade => new PostTradeRecord
        {
            TradeId = Text(trade, "trade_id"),
            Price = Text(trade, "price"),
            Quantity = Text(trade, "quantity"),
            Symbol = Text(trade, "symbol"),
            Description = Text(trade, "description"),
            BaseAsset = Text(trade, "base_asset"),
            BaseNotation = Text(trade, "base_notation"),
            QuoteAsset = Text(trade, "quote_asset"),
            QuoteNotation = Text(trade, "quote_notation"),
            TradeVenue = Text(trade, "trade_venue"),
            TradeTime = AnyTime(trade, "trade_ts"),
            PublicationVenue = Text(trade, "publication_venue"),
            PublicationTime = AnyTime(trade, "publication_ts"),
        });
        return response;
    }

    public static GetLevel3Response ToLevel3(JsonElement result)
    {
        var response = new GetLevel3Response { Pair = Text(result, "pair") };
        Fill(response.Bids, Property(result, "bids"), ToLevel3Order);
        Fill(response.Asks, Property(result, "asks"), ToLevel3Order);
        return response;
    }

    private static Level3BookOrder ToLevel3Order(JsonElement order) => new()
    {
        Price = Text(order, "price"),
        Quantity = Text(order, "qty"),
        OrderId = Text(order, "order_id"),
        Timestamp = UnixNanoseconds(Long(order, "timestamp")),
    };

    // OHLC, Trades and Spread answer {"<pair key>": [...], "last": cursor}: the one member that is not "last".
    private static (string Pair, IEnumerable<JsonElement> Entries) SinglePair(JsonElement result)
    {
        foreach (var member in result.EnumerateObject())
        {
            if (member.Name != "last" && member.Value.ValueKind == JsonValueKind.Array)
            {
                return (member.Name, member.Value.EnumerateArray());
            }
        }
        return (string.Empty, []);
    }
}
