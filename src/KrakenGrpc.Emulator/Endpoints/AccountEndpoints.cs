using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using KrakenGrpc.Emulator.Accounts;
using KrakenGrpc.Emulator.Json;
using KrakenGrpc.Emulator.Market;
using KrakenGrpc.Emulator.Trading;

namespace KrakenGrpc.Emulator.Endpoints;

/// <summary>
/// Kraken's private read endpoints (api-reference.md "Account Data", "Market Data (authenticated)", "Subaccounts"
/// and GetWebSocketsToken), answered from the paper account with every documented filter honoured.
/// </summary>
internal sealed class AccountEndpoints(PrivateEndpoints gate)
{
    private const long NanosPerSecond = 1_000_000_000L;

    private static readonly HashSet<string> LedgerTypes = new(StringComparer.Ordinal)
    {
        "all", "trade", "deposit", "withdrawal", "transfer", "margin", "adjustment", "rollover", "credit", "settled",
        "staking", "dividend", "sale", "nft_rebate",
    };

    private static readonly int[] Level3Depths = [0, 10, 25, 100, 250, 1000];

    private MatchingEngine Engine => gate.Engine;

    private MarketCatalogue Catalogue => gate.Catalogue;

    public void Register(EndpointTable table)
    {
        gate.Map(table, "Balance", 1, Balance);
        gate.Map(table, "BalanceEx", 1, BalanceEx);
        gate.Map(table, "CreditLines", 1, CreditLines);
        gate.Map(table, "TradeBalance", 1, TradeBalance);
        gate.Map(table, "OpenOrders", 1, OpenOrders);
        gate.Map(table, "ClosedOrders", 1, ClosedOrders);
        gate.Map(table, "QueryOrders", 1, QueryOrders);
        gate.Map(table, "OrderAmends", 1, OrderAmends);
        gate.Map(table, "TradesHistory", 2, TradesHistory);
        gate.Map(table, "QueryTrades", 1, QueryTrades);
        gate.Map(table, "OpenPositions", 1, OpenPositions);
        gate.Map(table, "Ledgers", 2, Ledgers);
        gate.Map(table, "QueryLedgers", 2, QueryLedgers);
        gate.Map(table, "TradeVolume", 1, TradeVolume);
        gate.Map(table, "GetApiKeyInfo", 1, GetApiKeyInfo);
        gate.Map(table, "Level3", 1, Level3);
        gate.Map(table, "GetWebSocketsToken", 1, GetWebSocketsToken);
        gate.Map(table, "CreateSubaccount", 1, CreateSubaccount);
        gate.Map(table, "AccountTransfer", 1, AccountTransfer);
    }

    // ------------------------------------------------------------------ balances

    private EndpointResponse Balance(PrivateCall call)
    {
        var account = call.Account;
        return PrivateEndpoints.Ok(w =>
        {
            w.WriteStartObject();
            foreach (var asset in account.Assets)
            {
                w.WriteFixedString(asset.Key, account.Balance(asset), asset.Decimals);
            }

            w.WriteEndObject();
        });
    }

    /// <summary>
    /// Balances with what open orders hold. Kraken's documented example writes these amounts as JSON numbers
    /// (BalanceEx.json), and the emulator follows it; credit and credit_used appear only where a credit line exists.
    /// </summary>
    private EndpointResponse BalanceEx(PrivateCall call)
    {
        var account = call.Account;
        return PrivateEndpoints.Ok(w =>
        {
            w.WriteStartObject();
            foreach (var asset in account.Assets)
            {
                var balance = account.Balance(asset);
                w.WriteStartObject(asset.Key);
                w.WriteFixedNumber("balance", balance, asset.Decimals);
                if (account.Credit(asset) is var credit and > 0m)
                {
                    w.WriteFixedNumber("credit", credit, asset.Decimals);
                    w.WriteFixedNumber("credit_used", Math.Max(0m, -balance), asset.Decimals);
                }

                w.WriteFixedNumber("hold_trade", account.Held(asset), asset.Decimals);
                w.WriteEndObject();
            }

            w.WriteEndObject();
        });
    }

    /// <summary>Credit lines (VIP accounts): null for an account without any, as Kraken answers.</summary>
    private EndpointResponse CreditLines(PrivateCall call)
    {
        var account = call.Account;
        if (account.CreditLimits.Count == 0)
        {
            return PrivateEndpoints.Ok(w => w.WriteNullValue());
        }

        var usd = Engine.Usd;
        var valuation = Engine.Valuation;
        var lines = account.CreditLimits
            .Select(kv => Catalogue.TryFindAsset(kv.Key, out var asset) ? (Asset: asset, Limit: kv.Value) : default)
            .Where(x => x.Asset is not null)
            .ToArray();
        var totalCredit = lines.Sum(x => valuation.ValueIn(x.Asset, x.Limit, usd));
        var totalUsed = lines.Sum(x => valuation.ValueIn(x.Asset, Math.Max(0m, -account.Balance(x.Asset)), usd));
        var collateral = account.Assets.Sum(a => valuation.ValueIn(a, Math.Max(0m, account.Balance(a)) * a.CollateralValue, usd));
        var equity = account.Assets.Sum(a => valuation.ValueIn(a, account.Balance(a), usd));
        return PrivateEndpoints.Ok(w =>
        {
            w.WriteStartObject();
            w.WriteStartObject("asset_details");
            foreach (var (asset, limit) in lines)
            {
                var balance = account.Balance(asset);
                var used = Math.Max(0m, -balance);
                w.WriteStartObject(asset.Altname);
                w.WriteFixedString("balance", balance, asset.Decimals);
                w.WriteFixedString("credit_limit", limit, asset.Decimals);
                w.WriteFixedString("credit_used", used, asset.Decimals);
                w.WriteFixedString("available_credit", limit - used, asset.Decimals);
                w.WriteEndObject();
            }

            w.WriteEndObject();
            w.WriteStartObject("limits_monitor");
            w.WriteFixedString("total_credit_usd", totalCredit, usd.Decimals);
            w.WriteFixedString("total_credit_used_usd", totalUsed, usd.Decimals);
            w.WriteFixedString("total_collateral_value_usd", collateral, usd.Decimals);
            w.WriteFixedString("equity_usd", equity, usd.Decimals);
            w.WriteFixedString("ongoing_balance", totalCredit == 0m ? 0m : (totalCredit - totalUsed) / totalCredit, 4);
            w.WriteFixedString("debt_to_equity", equity <= 0m ? 0m : totalUsed / equity, 4);
            w.WriteEndObject();
            w.WriteEndObject();
        });
    }

    /// <summary>
    /// TradeBalance in the asked asset. The emulator models no margin positions, so margin, unrealized P/L, cost
    /// basis and valuation are zero, equity is the trade balance and all of it is free margin. "ml" (margin level)
    /// has two decimals like the example; with no margin used it is 0.00.
    /// </summary>
    private EndpointResponse TradeBalance(PrivateCall call)
    {
        var account = call.Account;
        var assetName = call.Parameters.NonEmpty("asset") ?? "ZUSD";
        if (!Catalogue.TryFindAsset(assetName, out var target))
        {
            return PrivateEndpoints.Error(KrakenErrors.UnknownAsset);
        }

        var valuation = Engine.Valuation;
        var equivalent = account.Assets.Sum(a => valuation.ValueIn(a, account.Balance(a), target));
        var tradeBalance = account.Assets.Sum(a => valuation.ValueIn(a, account.Balance(a) * a.CollateralValue, target));
        var decimals = target.Decimals;
        return PrivateEndpoints.Ok(w =>
        {
            w.WriteStartObject();
            w.WriteFixedString("eb", equivalent, decimals);
            w.WriteFixedString("tb", tradeBalance, decimals);
            w.WriteFixedString("m", 0m, decimals);
            w.WriteFixedString("n", 0m, decimals);
            w.WriteFixedString("c", 0m, decimals);
            w.WriteFixedString("v", 0m, decimals);
            w.WriteFixedString("e", tradeBalance, decimals);
            w.WriteFixedString("mf", tradeBalance, decimals);
            w.WriteFixedString("ml", 0m, 2);
            w.WriteEndObject();
        });
    }

    // ------------------------------------------------------------------ orders

    private EndpointResponse OpenOrders(PrivateCall call)
    {
        var parameters = call.Parameters;
        if (!PrivateEndpoints.TryBool(parameters, "trades", false, out var withTrades))
        {
            return PrivateEndpoints.Error(KrakenErrors.InvalidArgument("trades"));
        }

        if (!PrivateEndpoints.TryInt32(parameters, "userref", out var userRef))
        {
            return PrivateEndpoints.Error(KrakenErrors.InvalidArgument("userref"));
        }

        var clOrdId = parameters.NonEmpty("cl_ord_id");
        var orders = call.Account.OpenOrders
            .Where(o => (userRef is null || o.UserRef == userRef) && (clOrdId is null || o.ClOrdId == clOrdId))
            .Reverse()
            .ToArray();
        return PrivateEndpoints.Ok(w =>
        {
            w.WriteStartObject();
            w.WriteStartObject("open");
            foreach (var order in orders)
            {
                PrivateJson.WriteOrder(w, order, withTrades);
            }

            w.WriteEndObject();
            w.WriteEndObject();
        });
    }

    private EndpointResponse ClosedOrders(PrivateCall call)
    {
        var account = call.Account;
        var parameters = call.Parameters;
        if (!PrivateEndpoints.TryBool(parameters, "trades", false, out var withTrades))
        {
            return PrivateEndpoints.Error(KrakenErrors.InvalidArgument("trades"));
        }

        if (!PrivateEndpoints.TryInt32(parameters, "userref", out var userRef))
        {
            return PrivateEndpoints.Error(KrakenErrors.InvalidArgument("userref"));
        }

        // An order id as a bound stands for the order's open time (api-reference ClosedOrders).
        long? OpenTimeOf(string txid) => account.FindOrder(txid)?.OpenedNs;
        if (!PrivateEndpoints.TryBound(parameters.NonEmpty("start"), OpenTimeOf, out var start))
        {
            return PrivateEndpoints.Error(KrakenErrors.InvalidArgument("start"));
        }

        if (!PrivateEndpoints.TryBound(parameters.NonEmpty("end"), OpenTimeOf, out var end))
        {
            return PrivateEndpoints.Error(KrakenErrors.InvalidArgument("end"));
        }

        var closeTime = parameters.NonEmpty("closetime") ?? "both";
        if (closeTime is not ("open" or "close" or "both"))
        {
            return PrivateEndpoints.Error(KrakenErrors.InvalidArgument("closetime"));
        }

        if (!parameters.TryGetInt("ofs", 0, 0, int.MaxValue, out var offset))
        {
            return PrivateEndpoints.Error(KrakenErrors.InvalidArgument("ofs"));
        }

        if (!PrivateEndpoints.TryBool(parameters, "without_count", false, out var withoutCount)
            || !PrivateEndpoints.TryBool(parameters, "consolidate_taker", true, out _))
        {
            return PrivateEndpoints.Error(KrakenErrors.InvalidArguments);
        }

        var clOrdId = parameters.NonEmpty("cl_ord_id");
        var matching = account.Orders
            .Where(o => !o.IsOpen)
            .Where(o => (userRef is null || o.UserRef == userRef) && (clOrdId is null || o.ClOrdId == clOrdId))
            .Where(o => closeTime switch
            {
                "open" => PrivateEndpoints.InRange(o.OpenedNs, start, end),
                "close" => PrivateEndpoints.InRange(o.ClosedNs, start, end),
                _ => PrivateEndpoints.InRange(o.OpenedNs, start, end) || PrivateEndpoints.InRange(o.ClosedNs, start, end),
            })
            .Select((o, i) => (Order: o, Index: i))
            .OrderByDescending(x => x.Order.ClosedNs)
            .ThenByDescending(x => x.Index)
            .Select(x => x.Order)
            .ToArray();
        var page = matching.Skip(offset).Take(PrivateEndpoints.PageSize).ToArray();
        return PrivateEndpoints.Ok(w =>
        {
            w.WriteStartObject();
            w.WriteStartObject("closed");
            foreach (var order in page)
            {
                PrivateJson.WriteOrder(w, order, withTrades);
            }

            w.WriteEndObject();
            if (!withoutCount)
            {
                w.WriteNumber("count", matching.Length);
            }

            w.WriteEndObject();
        });
    }

    private EndpointResponse QueryOrders(PrivateCall call)
    {
        var account = call.Account;
        var parameters = call.Parameters;
        if (!PrivateEndpoints.TryIdList(parameters.NonEmpty("txid"), 50, out var ids))
        {
            return PrivateEndpoints.Error(KrakenErrors.InvalidArgument("txid"));
        }

        if (!PrivateEndpoints.TryBool(parameters, "trades", false, out var withTrades)
            || !PrivateEndpoints.TryBool(parameters, "consolidate_taker", true, out _))
        {
            return PrivateEndpoints.Error(KrakenErrors.InvalidArgument("trades"));
        }

        if (!PrivateEndpoints.TryInt32(parameters, "userref", out var userRef))
        {
            return PrivateEndpoints.Error(KrakenErrors.InvalidArgument("userref"));
        }

        var found = ids.Select(account.FindOrder).OfType<PaperOrder>().Distinct().ToArray();
        if (found.Length == 0)
        {
            // None of the ids is an order of this key.
            return PrivateEndpoints.Error(KrakenErrors.InvalidOrder);
        }

        var orders = found.Where(o => userRef is null || o.UserRef == userRef).ToArray();
        return PrivateEndpoints.Ok(w =>
        {
            w.WriteStartObject();
            foreach (var order in orders)
            {
                PrivateJson.WriteOrder(w, order, withTrades);
            }

            w.WriteEndObject();
        });
    }

    private EndpointResponse OrderAmends(PrivateCall call)
    {
        var id = call.Parameters.NonEmpty("order_id");
        if (id is null)
        {
            return PrivateEndpoints.Error(KrakenErrors.InvalidArgument("order_id"));
        }

        if (call.Account.FindOrder(id) is not { } order)
        {
            return PrivateEndpoints.Error(KrakenErrors.InvalidOrder);
        }

        return PrivateEndpoints.Ok(w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("amends");
            foreach (var amend in order.Amends)
            {
                PrivateJson.WriteAmend(w, order, amend);
            }

            w.WriteEndArray();
            w.WriteNumber("count", order.Amends.Count);
            w.WriteEndObject();
        });
    }

    // ------------------------------------------------------------------ trades, positions

    /// <summary>
    /// TradesHistory, newest first, 50 a page. The emulator's trades are all spot, so the position types
    /// ("any position", "closed position", "closing position") match none and "no position" matches all.
    /// </summary>
    private EndpointResponse TradesHistory(PrivateCall call)
    {
        var account = call.Account;
        var parameters = call.Parameters;
        var type = parameters.NonEmpty("type") ?? "all";
        if (type is not ("all" or "any position" or "closed position" or "closing position" or "no position"))
        {
            return PrivateEndpoints.Error(KrakenErrors.InvalidArgument("type"));
        }

        long? TimeOf(string id) => account.FindTrade(id)?.TimeNs;
        if (!PrivateEndpoints.TryBound(parameters.NonEmpty("start"), TimeOf, out var start))
        {
            return PrivateEndpoints.Error(KrakenErrors.InvalidArgument("start"));
        }

        if (!PrivateEndpoints.TryBound(parameters.NonEmpty("end"), TimeOf, out var end))
        {
            return PrivateEndpoints.Error(KrakenErrors.InvalidArgument("end"));
        }

        if (!parameters.TryGetInt("ofs", 0, 0, int.MaxValue, out var offset))
        {
            return PrivateEndpoints.Error(KrakenErrors.InvalidArgument("ofs"));
        }

        if (!PrivateEndpoints.TryBool(parameters, "trades", false, out _)
            || !PrivateEndpoints.TryBool(parameters, "without_count", false, out var withoutCount)
            || !PrivateEndpoints.TryBool(parameters, "consolidate_taker", true, out _)
            || !PrivateEndpoints.TryBool(parameters, "ledgers", false, out var withLedgers))
        {
            return PrivateEndpoints.Error(KrakenErrors.InvalidArguments);
        }

        var matching = type is "all" or "no position"
            ? account.Trades.Where(t => PrivateEndpoints.InRange(t.TimeNs, start, end)).Reverse().ToArray()
            : [];
        var page = matching.Skip(offset).Take(PrivateEndpoints.PageSize).ToArray();
        return PrivateEndpoints.Ok(w =>
        {
            w.WriteStartObject();
            w.WriteStartObject("trades");
            foreach (var trade in page)
            {
                PrivateJson.WriteTrade(w, trade, withLedgers);
            }

            w.WriteEndObject();
            if (!withoutCount)
            {
                w.WriteNumber("count", matching.Length);
            }

            w.WriteEndObject();
        });
    }

    private EndpointResponse QueryTrades(PrivateCall call)
    {
        var account = call.Account;
        if (!PrivateEndpoints.TryIdList(call.Parameters.NonEmpty("txid"), 20, out var ids))
        {
            return PrivateEndpoints.Error(KrakenErrors.InvalidArgument("txid"));
        }

        if (!PrivateEndpoints.TryBool(call.Parameters, "trades", false, out _))
        {
            return PrivateEndpoints.Error(KrakenErrors.InvalidArgument("trades"));
        }

        // Unknown ids are left out of the answer.
        var trades = ids.Select(account.FindTrade).OfType<PaperTrade>().Distinct().ToArray();
        return PrivateEndpoints.Ok(w =>
        {
            w.WriteStartObject();
            foreach (var trade in trades)
            {
                PrivateJson.WriteTrade(w, trade, withLedgers: false);
            }

            w.WriteEndObject();
        });
    }

    /// <summary>The emulator models no margin positions: an empty map (an empty list when consolidated by market).</summary>
    private EndpointResponse OpenPositions(PrivateCall call)
    {
        var consolidation = call.Parameters.NonEmpty("consolidation");
        if (consolidation is not (null or "market"))
        {
            return PrivateEndpoints.Error(KrakenErrors.InvalidArgument("consolidation"));
        }

        if (!PrivateEndpoints.TryBool(call.Parameters, "docalcs", false, out _))
        {
            return PrivateEndpoints.Error(KrakenErrors.InvalidArgument("docalcs"));
        }

        return PrivateEndpoints.Ok(w =>
        {
            if (consolidation is null)
            {
                w.WriteStartObject();
                w.WriteEndObject();
            }
            else
            {
                w.WriteStartArray();
                w.WriteEndArray();
            }
        });
    }

    // ------------------------------------------------------------------ ledgers

    private EndpointResponse Ledgers(PrivateCall call)
    {
        var account = call.Account;
        var parameters = call.Parameters;
        HashSet<string>? assets = null;
        if (parameters.NonEmpty("asset") is { } assetList && assetList != "all")
        {
            assets = new HashSet<string>(StringComparer.Ordinal);
            foreach (var name in RequestParameters.SplitList(assetList))
            {
                if (!Catalogue.TryFindAsset(name, out var asset))
                {
                    return PrivateEndpoints.Error(KrakenErrors.UnknownAsset);
                }

                assets.Add(asset.Key);
            }
        }

        var aclass = parameters.NonEmpty("aclass") ?? "currency";
        var type = parameters.NonEmpty("type") ?? "all";
        if (!LedgerTypes.Contains(type))
        {
            return PrivateEndpoints.Error(KrakenErrors.InvalidArgument("type"));
        }

        long? TimeOf(string id) => account.FindLedger(id)?.TimeNs;
        if (!PrivateEndpoints.TryBound(parameters.NonEmpty("start"), TimeOf, out var start))
        {
            return PrivateEndpoints.Error(KrakenErrors.InvalidArgument("start"));
        }

        if (!PrivateEndpoints.TryBound(parameters.NonEmpty("end"), TimeOf, out var end))
        {
            return PrivateEndpoints.Error(KrakenErrors.InvalidArgument("end"));
        }

        if (!parameters.TryGetInt("ofs", 0, 0, int.MaxValue, out var offset))
        {
            return PrivateEndpoints.Error(KrakenErrors.InvalidArgument("ofs"));
        }

        if (!PrivateEndpoints.TryBool(parameters, "without_count", false, out var withoutCount))
        {
            return PrivateEndpoints.Error(KrakenErrors.InvalidArgument("without_count"));
        }

        var matching = account.Ledger
            .Where(e => assets is null || assets.Contains(e.Asset.Key))
            .Where(e => e.Asset.Aclass == aclass)
            .Where(e => type == "all" || e.Type == type)
            .Where(e => PrivateEndpoints.InRange(e.TimeNs, start, end))
            .Reverse()
            .ToArray();
        var page = matching.Skip(offset).Take(PrivateEndpoints.PageSize).ToArray();
        return PrivateEndpoints.Ok(w =>
        {
            w.WriteStartObject();
            w.WriteStartObject("ledger");
            foreach (var entry in page)
            {
                PrivateJson.WriteLedger(w, entry);
            }

            w.WriteEndObject();
            if (!withoutCount)
            {
                w.WriteNumber("count", matching.Length);
            }

            w.WriteEndObject();
        });
    }

    private EndpointResponse QueryLedgers(PrivateCall call)
    {
        var account = call.Account;
        if (!PrivateEndpoints.TryIdList(call.Parameters.NonEmpty("id"), 20, out var ids))
        {
            return PrivateEndpoints.Error(KrakenErrors.InvalidArgument("id"));
        }

        if (!PrivateEndpoints.TryBool(call.Parameters, "trades", false, out _))
        {
            return PrivateEndpoints.Error(KrakenErrors.InvalidArgument("trades"));
        }

        var entries = ids.Select(account.FindLedger).OfType<LedgerEntry>().Distinct().ToArray();
        return PrivateEndpoints.Ok(w =>
        {
            w.WriteStartObject();
            foreach (var entry in entries)
            {
                PrivateJson.WriteLedger(w, entry);
            }

            w.WriteEndObject();
        });
    }

    // ------------------------------------------------------------------ fees, key, tokens

    /// <summary>30-day USD volume and, for the pairs asked for, where the account sits in each fee schedule.</summary>
    private EndpointResponse TradeVolume(PrivateCall call)
    {
        var account = call.Account;
        var pairs = new List<PairDefinition>();
        if (call.Parameters.NonEmpty("pair") is { } pairList)
        {
            // JSON clients send an array; form clients a comma list.
            var names = pairList.StartsWith('[') ? ParseStringArray(pairList) : RequestParameters.SplitList(pairList).ToArray();
            foreach (var name in names)
            {
                if (!Catalogue.TryFindPair(name, out var pair))
                {
                    return PrivateEndpoints.Error(KrakenErrors.UnknownAssetPair);
                }

                if (!pairs.Contains(pair))
                {
                    pairs.Add(pair);
                }
            }
        }

        var volume = Engine.ThirtyDayVolume(account);
        return PrivateEndpoints.Ok(w =>
        {
            w.WriteStartObject();
            w.WriteString("currency", "ZUSD");
            w.WriteFixedString("volume", volume, 4);
            if (pairs.Count > 0)
            {
                WriteFeeTiers(w, "fees", pairs, p => p.Fees, volume);
                WriteFeeTiers(w, "fees_maker", pairs, p => p.FeesMaker, volume);
            }

            w.WriteEndObject();
        });
    }

    private static void WriteFeeTiers(Utf8JsonWriter w, string name, List<PairDefinition> pairs, Func<PairDefinition, IReadOnlyList<(decimal Volume, decimal Percent)>> schedule, decimal volume)
    {
        w.WriteStartObject(name);
        foreach (var pair in pairs)
        {
            var tiers = schedule(pair);
            var current = 0;
            for (var i = 0; i < tiers.Count; i++)
            {
                if (volume >= tiers[i].Volume)
                {
                    current = i;
                }
            }

            w.WriteStartObject(pair.Key);
            w.WriteFixedString("fee", tiers[current].Percent, 4);
            w.WriteFixedString("minfee", tiers.Min(t => t.Percent), 4);
            w.WriteFixedString("maxfee", tiers.Max(t => t.Percent), 4);
            if (current + 1 < tiers.Count)
            {
                w.WriteFixedString("nextfee", tiers[current + 1].Percent, 4);
                w.WriteFixedString("nextvolume", tiers[current + 1].Volume, 4);
            }
            else
            {
                w.WriteNull("nextfee");
                w.WriteNull("nextvolume");
            }

            w.WriteFixedString("tiervolume", tiers[current].Volume, 4);
            w.WriteEndObject();
        }

        w.WriteEndObject();
    }

    /// <summary>The key that signed the call: the account's own, or a Fast API key with its own name, nonces and permissions.</summary>
    private static EndpointResponse GetApiKeyInfo(PrivateCall call)
    {
        var key = call.Credential;
        var account = call.Account;
        return PrivateEndpoints.Ok(w =>
        {
            w.WriteStartObject();
            w.WriteString("apiKeyName", key.Name);
            w.WriteString("apiKey", key.Key);
            w.WriteString("nonce", key.Nonces.Highest.ToString(CultureInfo.InvariantCulture));
            w.WriteNumber("nonceWindow", key.Nonces.Window);
            w.WriteStartArray("permissions");
            foreach (var permission in key.PermissionNames)
            {
                w.WriteStringValue(permission);
            }

            w.WriteEndArray();
            w.WriteString("iban", account.Iiban);
            w.WriteString("validUntil", key.ValidUntil.ToString(CultureInfo.InvariantCulture));
            w.WriteString("queryFrom", key.QueryFrom.ToString(CultureInfo.InvariantCulture));
            w.WriteString("queryTo", key.QueryTo.ToString(CultureInfo.InvariantCulture));
            w.WriteString("createdTime", key.CreatedSeconds.ToString(CultureInfo.InvariantCulture));
            w.WriteString("modifiedTime", key.ModifiedSeconds.ToString(CultureInfo.InvariantCulture));
            w.WriteStartArray("ipAllowlist");
            foreach (var entry in key.IpAllowlist)
            {
                w.WriteStringValue(entry);
            }

            w.WriteEndArray();
            if (key.LastUsedSeconds is { } lastUsed)
            {
                w.WriteString("lastUsed", lastUsed.ToString(CultureInfo.InvariantCulture));
            }
            else
            {
                w.WriteNull("lastUsed");
            }

            w.WriteEndObject();
        });
    }

    /// <summary>A WebSocket token: random, valid 15 minutes by Kraken's rule (the emulator serves no WebSocket).</summary>
    private EndpointResponse GetWebSocketsToken(PrivateCall call)
    {
        var token = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', 'A').Replace('/', 'B');
        return PrivateEndpoints.Ok(w =>
        {
            w.WriteStartObject();
            w.WriteString("token", token);
            w.WriteNumber("expires", 900);
            w.WriteEndObject();
        });
    }

    // ------------------------------------------------------------------ Level3

    /// <summary>
    /// The emulated book's individual orders: each price level is split into as many orders as the level counts,
    /// with stable ids and nanosecond timestamps in time priority. depth counts price levels per side (0 = all).
    /// </summary>
    private EndpointResponse Level3(PrivateCall call)
    {
        var name = call.Parameters.NonEmpty("pair");
        if (name is null)
        {
            return PrivateEndpoints.Error(KrakenErrors.InvalidArgument("pair"));
        }

        if (!Catalogue.TryFindPair(name, out var pair))
        {
            return PrivateEndpoints.Error(KrakenErrors.UnknownAssetPair);
        }

        if (!call.Parameters.TryGetInt("depth", 100, 0, int.MaxValue, out var depth) || !Level3Depths.Contains(depth))
        {
            return PrivateEndpoints.Error(KrakenErrors.InvalidArgument("depth"));
        }

        var book = Engine.Book(pair).Book;
        return PrivateEndpoints.Ok(w =>
        {
            w.WriteStartObject();
            w.WriteString("pair", pair.Symbol);
            WriteLevel3Side(w, "bids", 'b', book.Bids, depth, pair);
            WriteLevel3Side(w, "asks", 'a', book.Asks, depth, pair);
            w.WriteEndObject();
        });
    }

    private static void WriteLevel3Side(Utf8JsonWriter w, string name, char side, IReadOnlyList<BookLevel> levels, int depth, PairDefinition pair)
    {
        var scope = KrakenIds.Scope(pair.Key + side);
        w.WriteStartArray(name);
        foreach (var level in depth == 0 ? levels : levels.Take(depth))
        {
            var parts = Split(level, pair.LotDecimals);
            var seed = (ulong)(level.Price * 1_000_000_000m) ^ (ulong)level.Timestamp;
            for (var i = 0; i < parts.Count; i++)
            {
                w.WriteStartObject();
                w.WriteFixedString("price", level.Price, pair.PriceDecimals);
                w.WriteFixedString("qty", parts[i], pair.LotDecimals);
                w.WriteString("order_id", KrakenIds.Make('O', scope ^ seed, (ulong)i));
                w.WriteNumber("timestamp", (level.Timestamp * NanosPerSecond) + ((long)i * 1_357_911L) + (long)(seed % 1_000_000UL));
                w.WriteEndObject();
            }
        }

        w.WriteEndArray();
    }

    /// <summary>A level's volume cut into its order count, in whole lots, the parts adding up to the level exactly.</summary>
    private static List<decimal> Split(BookLevel level, int lotDecimals)
    {
        var count = Math.Max(1, level.Orders);
        var parts = new List<decimal>(count);
        var left = level.Volume;
        for (var i = count; i > 1 && left > 0m; i--)
        {
            // Uneven shares (the first orders larger), so the orders do not look cloned.
            var share = decimal.Round(left * (i + 1) / (2m * i), lotDecimals, MidpointRounding.ToZero);
            if (share <= 0m || share >= left)
            {
                break;
            }

            parts.Add(share);
            left -= share;
        }

        parts.Add(left);
        return parts;
    }

    // ------------------------------------------------------------------ subaccounts

    private EndpointResponse CreateSubaccount(PrivateCall call)
    {
        var username = call.Parameters.NonEmpty("username");
        var email = call.Parameters.NonEmpty("email");
        if (username is null)
        {
            return PrivateEndpoints.Error(KrakenErrors.InvalidArgument("username"));
        }

        if (email is null || !email.Contains('@', StringComparison.Ordinal))
        {
            return PrivateEndpoints.Error(KrakenErrors.InvalidArgument("email"));
        }

        var master = call.Account;
        if (master.Master is not null || master.Subaccounts.Any(s => string.Equals(s.Name, username, StringComparison.OrdinalIgnoreCase)))
        {
            return PrivateEndpoints.Error(KrakenErrors.InvalidArgument("username"));
        }

        var subaccount = new PaperAccount(username, null, null, master.Tier, 0, Engine.Clock, Engine.NowSeconds)
        {
            Master = master,
            Email = email,
        };
        gate.Accounts.AddSubaccount(master, subaccount);
        return PrivateEndpoints.Ok(w => w.WriteBooleanValue(true));
    }

    /// <summary>Moves funds between the master account and its subaccounts (by IIBAN), with a transfer entry on each side.</summary>
    private EndpointResponse AccountTransfer(PrivateCall call)
    {
        var parameters = call.Parameters;
        if (parameters.NonEmpty("asset") is not { } assetName)
        {
            return PrivateEndpoints.Error(KrakenErrors.InvalidArgument("asset"));
        }

        if (!Catalogue.TryFindAsset(assetName, out var asset))
        {
            return PrivateEndpoints.Error(KrakenErrors.UnknownAsset);
        }

        var assetClass = parameters.NonEmpty("asset_class") ?? "currency";
        if (assetClass is not ("currency" or "tokenized_asset"))
        {
            return PrivateEndpoints.Error(KrakenErrors.InvalidArgument("asset_class"));
        }

        if (!OrderRequestParser.TryDecimal(parameters.NonEmpty("amount"), asset.Decimals, out var amount) || amount <= 0m)
        {
            return PrivateEndpoints.Error(KrakenErrors.InvalidArgument("amount"));
        }

        var master = call.Account.Master ?? call.Account;
        bool InFamily(PaperAccount? a) => a is not null && (a == master || a.Master == master);
        var from = parameters.NonEmpty("from") is { } f ? gate.Accounts.FindByIiban(f) : null;
        if (!InFamily(from))
        {
            return PrivateEndpoints.Error(KrakenErrors.InvalidArgument("from"));
        }

        var to = parameters.NonEmpty("to") is { } t ? gate.Accounts.FindByIiban(t) : null;
        if (!InFamily(to) || to == from)
        {
            return PrivateEndpoints.Error(KrakenErrors.InvalidArgument("to"));
        }

        if (from!.Available(asset) < amount)
        {
            return PrivateEndpoints.Error(KrakenErrors.FundingInsufficientFunds);
        }

        var transferId = call.Account.NewId('T');
        var now = Engine.NowNs;
        from.Post(transferId, now, "transfer", string.Empty, asset, -amount, 0m);
        to!.Post(transferId, now, "transfer", string.Empty, asset, amount, 0m);
        return PrivateEndpoints.Ok(w =>
        {
            w.WriteStartObject();
            w.WriteString("transfer_id", transferId);
            w.WriteString("status", "complete");
            w.WriteEndObject();
        });
    }

    private static string[] ParseStringArray(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.ValueKind == JsonValueKind.Array
                ? document.RootElement.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.String ? e.GetString() ?? string.Empty : e.GetRawText()).ToArray()
                : [];
        }
        catch (JsonException)
        {
            return [json];
        }
    }
}
