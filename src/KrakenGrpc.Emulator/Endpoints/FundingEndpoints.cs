using System.Globalization;
using System.Text;
using System.Text.Json;
using KrakenGrpc.Emulator.Accounts;
using KrakenGrpc.Emulator.Auth;
using KrakenGrpc.Emulator.Funding;
using KrakenGrpc.Emulator.Json;
using KrakenGrpc.Emulator.Market;
using KrakenGrpc.Emulator.Trading;

namespace KrakenGrpc.Emulator.Endpoints;

/// <summary>
/// Kraken's funding endpoints (api-reference.md "Funding"), answered from the paper account: deposit methods and
/// addresses, the deposit history (starting balances and <see cref="EmulatedAccounts.Deposit(string, string, decimal)"/>),
/// withdrawal methods, keys and fee quotes, withdrawals that reduce the balance at once and settle after
/// <see cref="KrakenEmulatorOptions.WithdrawalSettleTime"/>, their cancellation while pending, and transfers to the
/// Futures wallet (which WithdrawStatus lists beside the withdrawals). Shapes, key order and number forms follow
/// fixtures/docs/{DepositMethods,...,WalletTransfer}.json.
/// </summary>
internal sealed class FundingEndpoints(PrivateEndpoints gate, FundingBook funding, TimeSpan settleTime)
{
    private const long NanosPerSecond = 1_000_000_000L;

    /// <summary>DepositStatus's page size when paginating (api-reference: default 25).</summary>
    private const int DepositPageSize = 25;

    /// <summary>WithdrawStatus's page size when paginating (api-reference: default 500).</summary>
    private const int WithdrawalPageSize = 500;

    /// <summary>How long a Lightning invoice stays valid (DepositAddresses' "expiretm").</summary>
    private const long InvoiceSeconds = 3600;

    private const string SpotWallet = "Spot Wallet";
    private const string FuturesWallet = "Futures Wallet";

    private MatchingEngine Engine => gate.Engine;

    private MarketCatalogue Catalogue => gate.Catalogue;

    private FundingCatalogue Methods => funding.Catalogue;

    public void Register(EndpointTable table)
    {
        gate.Map(table, "DepositMethods", 1, DepositMethods);
        gate.Map(table, "DepositAddresses", 1, DepositAddresses);
        gate.Map(table, "DepositStatus", 1, DepositStatus);
        gate.Map(table, "WithdrawMethods", 1, WithdrawMethods);
        gate.Map(table, "WithdrawAddresses", 1, WithdrawAddresses);
        gate.Map(table, "WithdrawInfo", 1, WithdrawInfo);
        gate.Map(table, "Withdraw", 1, Withdraw);
        gate.Map(table, "WithdrawStatus", 1, WithdrawStatus);
        gate.Map(table, "WithdrawCancel", 1, WithdrawCancel);
        gate.Map(table, "WalletTransfer", 1, WalletTransfer);
    }

    // ------------------------------------------------------------------ deposits

    private EndpointResponse DepositMethods(PrivateCall call)
    {
        if (!TryAsset(call.Parameters, required: true, out var asset, out var error))
        {
            return error!.Value;
        }

        var methods = Methods.DepositMethods(asset!);
        return PrivateEndpoints.Ok(w =>
        {
            w.WriteStartArray();
            foreach (var method in methods)
            {
                w.WriteStartObject();
                w.WriteString("method", method.Method);

                // No deposit limit is modelled: Kraken's "false" means "no limit".
                w.WriteBoolean("limit", false);
                w.WriteFixedString("fee", method.Fee, method.FeeDecimals);
                if (method.GenAddress is { } generate)
                {
                    w.WriteBoolean("gen-address", generate);
                }

                w.WriteFixedString("minimum", method.Minimum, FundingCatalogue.AmountDecimals(method.Asset));
                w.WriteEndObject();
            }

            w.WriteEndArray();
        });
    }

    /// <summary>
    /// The method's addresses, newest first; "new" marks one nothing was deposited to yet (the deposit of a starting
    /// balance goes to the first). new=true makes another. Lightning answers a fresh invoice for the amount, valid an
    /// hour. Bank methods have no addresses.
    /// </summary>
    private EndpointResponse DepositAddresses(PrivateCall call)
    {
        var parameters = call.Parameters;
        if (!TryAsset(parameters, required: true, out var asset, out var error))
        {
            return error!.Value;
        }

        if (parameters.NonEmpty("method") is not { } methodName)
        {
            return PrivateEndpoints.Error(KrakenErrors.InvalidArgument("method"));
        }

        if (Methods.FindDepositMethod(asset!, methodName) is not { } method)
        {
            return PrivateEndpoints.Error(KrakenErrors.NoFundingMethod);
        }

        if (!PrivateEndpoints.TryBool(parameters, "new", false, out var makeNew))
        {
            return PrivateEndpoints.Error(KrakenErrors.InvalidArgument("new"));
        }

        var account = call.Account;
        if (method.IsInvoice)
        {
            if (!OrderRequestParser.TryDecimal(parameters.NonEmpty("amount"), FundingCatalogue.AmountDecimals(asset!), out var amount) || amount <= 0m)
            {
                return PrivateEndpoints.Error(KrakenErrors.InvalidArgument("amount"));
            }

            var invoice = FundingBook.Invoice(account, KrakenIds.Scope(account.NewId('I')));
            var expires = Engine.NowSeconds + InvoiceSeconds;
            return PrivateEndpoints.Ok(w =>
            {
                w.WriteStartArray();
                w.WriteStartObject();
                w.WriteString("address", invoice);
                w.WriteString("expiretm", expires.ToString(CultureInfo.InvariantCulture));
                w.WriteBoolean("new", true);
                w.WriteEndObject();
                w.WriteEndArray();
            });
        }

        if (!method.HasAddresses)
        {
            return makeNew ? PrivateEndpoints.Error(KrakenErrors.InvalidArgument("new")) : PrivateEndpoints.Ok(w => { w.WriteStartArray(); w.WriteEndArray(); });
        }

        if (makeNew)
        {
            FundingBook.NewAddress(account, method);
        }

        var addresses = FundingBook.Addresses(account, method);
        return PrivateEndpoints.Ok(w =>
        {
            w.WriteStartArray();
            foreach (var address in addresses)
            {
                w.WriteStartObject();
                w.WriteString("address", address.Address);
                w.WriteString("expiretm", "0");
                if (!address.Used)
                {
                    w.WriteBoolean("new", true);
                }

                w.WriteEndObject();
            }

            w.WriteEndArray();
        });
    }

    /// <summary>
    /// Deposits, newest first, filtered by asset, method and time (start and end inclusive, as the reference words
    /// them). Without <c>cursor</c> a bare array of all of them; with cursor=true (or a next_cursor) pages of
    /// <c>limit</c> as <c>{"deposit":[...],"next_cursor":...}</c>, next_cursor null on the last page.
    /// </summary>
    private EndpointResponse DepositStatus(PrivateCall call)
    {
        var parameters = call.Parameters;
        if (!TryHistoryFilters(parameters, DepositPageSize, out var filters, out var error))
        {
            return error!.Value;
        }

        var matching = call.Account.Deposits
            .Select((deposit, index) => (Deposit: deposit, Index: index))
            .Where(x => filters.Asset is null || x.Deposit.Asset == filters.Asset)
            .Where(x => x.Deposit.Asset.Aclass == filters.Aclass)
            .Where(x => filters.Method is null || string.Equals(x.Deposit.Method.Method, filters.Method, StringComparison.OrdinalIgnoreCase))
            .Where(x => filters.Start is not { } start || x.Deposit.TimeNs / NanosPerSecond >= start)
            .Where(x => filters.End is not { } end || x.Deposit.TimeNs / NanosPerSecond <= end)
            .Reverse()
            .ToArray();

        return WriteHistory(filters, "deposit", matching.Select(x => x.Index).ToArray(), index =>
        {
            var deposit = call.Account.Deposits[index];
            return w =>
            {
                w.WriteStartObject();
                w.WriteString("method", deposit.Method.Method);
                w.WriteString("aclass", deposit.Asset.Aclass);
                w.WriteString("asset", deposit.Asset.Key);
                w.WriteString("refid", deposit.RefId);
                w.WriteString("txid", deposit.TxId);
                w.WriteString("info", deposit.Info);
                w.WriteFixedString("amount", deposit.Amount, FundingCatalogue.AmountDecimals(deposit.Asset));

                // The example writes the deposit fee with the asset's record decimals ("0.0000000000" for XBT).
                w.WriteFixedString("fee", deposit.Fee, deposit.Asset.Decimals);
                w.WriteNumber("time", deposit.TimeNs / NanosPerSecond);
                w.WriteString("status", FundingDeposit.Status);
                w.WriteEndObject();
            };
        });
    }

    // ------------------------------------------------------------------ withdrawal methods, keys, quotes

    private EndpointResponse WithdrawMethods(PrivateCall call)
    {
        var parameters = call.Parameters;
        if (!TryAsset(parameters, required: false, out var asset, out var error) || !TryAclass(parameters, out var aclass, out error))
        {
            return error!.Value;
        }

        var network = parameters.NonEmpty("network");
        var methods = Methods.WithdrawMethods
            .Where(m => asset is null || m.Asset == asset)
            .Where(m => m.Asset.Aclass == aclass)
            .Where(m => network is null || string.Equals(m.Network, network, StringComparison.OrdinalIgnoreCase))
            .ToArray();
        return PrivateEndpoints.Ok(w =>
        {
            w.WriteStartArray();
            foreach (var method in methods)
            {
                w.WriteStartObject();
                w.WriteString("asset", method.Asset.Key);
                w.WriteString("method", method.Method);
                w.WriteString("network", method.Network);
                w.WriteString("minimum", KrakenNumber.Plain(method.Minimum));
                w.WriteEndObject();
            }

            w.WriteEndArray();
        });
    }

    private EndpointResponse WithdrawAddresses(PrivateCall call)
    {
        var parameters = call.Parameters;
        if (!TryAsset(parameters, required: false, out var asset, out var error) || !TryAclass(parameters, out var aclass, out error))
        {
            return error!.Value;
        }

        var method = parameters.NonEmpty("method");
        var key = parameters.NonEmpty("key");
        if (!TryOptionalBool(parameters, "verified", out var verified))
        {
            return PrivateEndpoints.Error(KrakenErrors.InvalidArgument("verified"));
        }

        var keys = call.Account.WithdrawalKeys
            .Where(k => asset is null || k.Asset == asset)
            .Where(k => k.Asset.Aclass == aclass)
            .Where(k => method is null || string.Equals(k.Method.Method, method, StringComparison.OrdinalIgnoreCase))
            .Where(k => key is null || k.Key == key)
            .Where(k => verified is null || k.Verified == verified)
            .ToArray();
        return PrivateEndpoints.Ok(w =>
        {
            w.WriteStartArray();
            foreach (var entry in keys)
            {
                w.WriteStartObject();
                w.WriteString("address", entry.Address);

                // The example names the asset by its altname here ("XBT"), unlike the other funding answers.
                w.WriteString("asset", entry.Asset.Altname);
                w.WriteString("method", entry.Method.Method);
                w.WriteString("key", entry.Key);
                w.WriteBoolean("verified", entry.Verified);
                w.WriteEndObject();
            }

            w.WriteEndArray();
        });
    }

    /// <summary>
    /// The quote for withdrawing <c>amount</c> to <c>key</c>: the fee is taken out of the amount (the example's
    /// "amount" 0.72485 is what arrives of 0.72505 with fee 0.0002), "limit" is the most that could arrive now.
    /// </summary>
    private EndpointResponse WithdrawInfo(PrivateCall call)
    {
        if (!TryWithdrawal(call, out var key, out var amount, out var error))
        {
            return error!.Value;
        }

        var method = key!.Method;
        var decimals = FundingCatalogue.AmountDecimals(method.Asset);
        var limit = Math.Max(0m, call.Account.Withdrawable(method.Asset) - method.Fee);
        return PrivateEndpoints.Ok(w =>
        {
            w.WriteStartObject();
            w.WriteString("method", method.Method);
            w.WriteFixedString("limit", limit, decimals);
            w.WriteFixedString("amount", amount - method.Fee, decimals);
            w.WriteFixedString("fee", method.Fee, decimals);
            w.WriteEndObject();
        });
    }

    /// <summary>
    /// A withdrawal: the whole <c>amount</c> leaves the balance at once (what arrives plus the fee; a "withdrawal"
    /// ledger entry with the fee), and a pending withdrawal with the same refid appears in WithdrawStatus.
    /// </summary>
    private EndpointResponse Withdraw(PrivateCall call)
    {
        var parameters = call.Parameters;
        if (!TryWithdrawal(call, out var key, out var amount, out var error))
        {
            return error!.Value;
        }

        var method = key!.Method;
        var asset = method.Asset;
        if (parameters.NonEmpty("address") is { } address && !string.Equals(address.Trim(), key.Address, StringComparison.Ordinal))
        {
            return PrivateEndpoints.Error(KrakenErrors.InvalidWithdrawalAddress);
        }

        if (parameters.NonEmpty("max_fee") is { } maxFeeText)
        {
            if (!decimal.TryParse(maxFeeText, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var maxFee))
            {
                return PrivateEndpoints.Error(KrakenErrors.InvalidArgument("max_fee"));
            }

            if (method.Fee > maxFee)
            {
                return PrivateEndpoints.Error(KrakenErrors.MaxFeeExceeded);
            }
        }

        var account = call.Account;
        if (account.Withdrawable(asset) < amount)
        {
            return PrivateEndpoints.Error(KrakenErrors.FundingInsufficientFunds);
        }

        var refId = account.NewFundingRefId();
        var now = Engine.NowNs;
        var net = amount - method.Fee;
        account.Post(refId, now, "withdrawal", string.Empty, asset, -net, method.Fee);
        account.Withdrawals.Add(new FundingWithdrawal
        {
            RefId = refId,
            Kind = WithdrawalKind.Withdrawal,
            Asset = asset,
            Method = method.Method,
            Key = key.Key,
            Info = key.Address,
            TxId = FundingIds.TxId(method.Kind, account.IdScope ^ KrakenIds.Scope(refId)),
            Amount = net,
            Fee = method.Fee,
            TimeNs = now,
            SettlesAt = Engine.Clock.GetUtcNow() + settleTime,
        });
        return RefIdResult(refId);
    }

    // ------------------------------------------------------------------ withdrawal history, cancel, transfers

    /// <summary>
    /// Withdrawals and WalletTransfers, newest first, filtered by asset, method and time (start and end exclusive).
    /// Paginated (UNCONFIRMED shape): <c>{"withdrawals":[...],"next_cursor":...}</c>, the name Kraken.Net reads.
    /// </summary>
    private EndpointResponse WithdrawStatus(PrivateCall call)
    {
        var parameters = call.Parameters;
        if (!TryHistoryFilters(parameters, WithdrawalPageSize, out var filters, out var error))
        {
            return error!.Value;
        }

        var account = call.Account;
        var matching = account.Withdrawals
            .Select((withdrawal, index) => (Withdrawal: withdrawal, Index: index))
            .Where(x => filters.Asset is null || x.Withdrawal.Asset == filters.Asset)
            .Where(x => x.Withdrawal.Asset.Aclass == filters.Aclass)
            .Where(x => filters.Method is null || string.Equals(x.Withdrawal.Method, filters.Method, StringComparison.OrdinalIgnoreCase))
            .Where(x => filters.Start is not { } start || x.Withdrawal.TimeNs / NanosPerSecond > start)
            .Where(x => filters.End is not { } end || x.Withdrawal.TimeNs / NanosPerSecond < end)
            .Reverse()
            .ToArray();

        var now = Engine.Clock.GetUtcNow();
        return WriteHistory(filters, "withdrawals", matching.Select(x => x.Index).ToArray(), index =>
        {
            var withdrawal = account.Withdrawals[index];
            return w =>
            {
                var decimals = FundingCatalogue.AmountDecimals(withdrawal.Asset);
                w.WriteStartObject();
                w.WriteString("method", withdrawal.Method);
                w.WriteString("aclass", withdrawal.Asset.Aclass);
                w.WriteString("asset", withdrawal.Asset.Key);
                w.WriteString("refid", withdrawal.RefId);
                w.WriteString("txid", withdrawal.TxId);
                w.WriteString("info", withdrawal.Info);
                w.WriteFixedString("amount", withdrawal.Amount, decimals);
                w.WriteFixedString("fee", withdrawal.Fee, decimals);
                w.WriteNumber("time", withdrawal.TimeNs / NanosPerSecond);
                w.WriteString("status", withdrawal.Status(now));
                if (withdrawal.StatusProp is { } statusProp)
                {
                    w.WriteString("status-prop", statusProp);
                }

                if (withdrawal.Key is { } key)
                {
                    w.WriteString("key", key);
                }

                w.WriteEndObject();
            };
        });
    }

    /// <summary>
    /// Cancels a pending withdrawal or WalletTransfer: the money comes back (a reversing ledger entry with the same
    /// refid) and WithdrawStatus shows "Failure" / "canceled". Refused once it settled or was cancelled.
    /// </summary>
    private EndpointResponse WithdrawCancel(PrivateCall call)
    {
        var parameters = call.Parameters;
        if (!TryAsset(parameters, required: true, out var asset, out var error))
        {
            return error!.Value;
        }

        var refId = parameters.NonEmpty("refid");
        var account = call.Account;
        var withdrawal = refId is null ? null : account.Withdrawals.FirstOrDefault(w => w.RefId == refId.Trim() && w.Asset == asset);
        if (withdrawal is null)
        {
            return PrivateEndpoints.Error(KrakenErrors.InvalidArgument("refid"));
        }

        // "Funds permissions - Withdraw (none needed for a WalletTransfer)".
        if (withdrawal.Kind == WithdrawalKind.Withdrawal && !call.Credential.HasPermission(KeyPermissions.WithdrawFunds))
        {
            return PrivateEndpoints.Error(KrakenErrors.PermissionDenied);
        }

        if (!withdrawal.IsPending(Engine.Clock.GetUtcNow()))
        {
            return PrivateEndpoints.Error(KrakenErrors.CannotCancelWithdrawal);
        }

        withdrawal.Canceled = true;
        var now = Engine.NowNs;
        if (withdrawal.Kind == WithdrawalKind.Withdrawal)
        {
            account.Post(withdrawal.RefId, now, "withdrawal", string.Empty, withdrawal.Asset, withdrawal.Amount + withdrawal.Fee, 0m);
        }
        else
        {
            account.Post(withdrawal.RefId, now, "transfer", "spotfromfutures", withdrawal.Asset, withdrawal.Amount, 0m);
        }

        return PrivateEndpoints.Ok(w => w.WriteBooleanValue(true));
    }

    /// <summary>
    /// Spot to Futures (the only direction Kraken's Spot API offers): the amount leaves the spot balance at once
    /// (ledger "transfer" / "spottofutures") and the transfer is listed by WithdrawStatus as method "Futures Wallet",
    /// pending until the settle time like a withdrawal.
    /// </summary>
    private EndpointResponse WalletTransfer(PrivateCall call)
    {
        var parameters = call.Parameters;
        if (!TryAsset(parameters, required: true, out var asset, out var error))
        {
            return error!.Value;
        }

        if (!string.Equals(parameters.NonEmpty("from")?.Trim(), SpotWallet, StringComparison.OrdinalIgnoreCase))
        {
            return PrivateEndpoints.Error(KrakenErrors.InvalidArgument("from"));
        }

        if (!string.Equals(parameters.NonEmpty("to")?.Trim(), FuturesWallet, StringComparison.OrdinalIgnoreCase))
        {
            return PrivateEndpoints.Error(KrakenErrors.InvalidArgument("to"));
        }

        if (!TryAmount(parameters, asset!, out var amount))
        {
            return PrivateEndpoints.Error(KrakenErrors.FundingInvalidAmount);
        }

        var account = call.Account;
        if (account.Withdrawable(asset!) < amount)
        {
            return PrivateEndpoints.Error(KrakenErrors.FundingInsufficientFunds);
        }

        var refId = account.NewFundingRefId();
        var now = Engine.NowNs;
        account.Post(refId, now, "transfer", "spottofutures", asset!, -amount, 0m);
        account.Withdrawals.Add(new FundingWithdrawal
        {
            RefId = refId,
            Kind = WithdrawalKind.WalletTransfer,
            Asset = asset!,
            Method = FuturesWallet,
            Info = FuturesWallet,
            TxId = string.Empty,
            Amount = amount,
            Fee = 0m,
            TimeNs = now,
            SettlesAt = Engine.Clock.GetUtcNow() + settleTime,
        });
        return RefIdResult(refId);
    }

    // ------------------------------------------------------------------ helpers

    private static EndpointResponse RefIdResult(string refId) => PrivateEndpoints.Ok(w =>
    {
        w.WriteStartObject();
        w.WriteString("refid", refId);
        w.WriteEndObject();
    });

    /// <summary>
    /// The checks Withdraw and WithdrawInfo share, in this order: asset, key (of that asset), amount (a positive
    /// decimal with at most the asset's funding decimals, at least the method's minimum and above its fee).
    /// </summary>
    private bool TryWithdrawal(PrivateCall call, out WithdrawalKey? key, out decimal amount, out EndpointResponse? error)
    {
        var parameters = call.Parameters;
        key = null;
        amount = 0m;
        if (!TryAsset(parameters, required: true, out var asset, out error))
        {
            return false;
        }

        if (parameters.NonEmpty("key") is not { } keyName)
        {
            error = PrivateEndpoints.Error(KrakenErrors.InvalidArgument("key"));
            return false;
        }

        key = call.Account.WithdrawalKeys.FirstOrDefault(k => k.Asset == asset && k.Key == keyName.Trim());
        if (key is null)
        {
            error = PrivateEndpoints.Error(KrakenErrors.UnknownWithdrawKey);
            return false;
        }

        if (!TryAmount(parameters, asset!, out amount) || amount < key.Method.Minimum || amount <= key.Method.Fee)
        {
            error = PrivateEndpoints.Error(KrakenErrors.FundingInvalidAmount);
            return false;
        }

        return true;
    }

    private static bool TryAmount(RequestParameters parameters, AssetDefinition asset, out decimal amount) =>
        OrderRequestParser.TryDecimal(parameters.NonEmpty("amount"), FundingCatalogue.AmountDecimals(asset), out amount) && amount > 0m;

    /// <summary>
    /// The <c>asset</c> parameter (Kraken id, altname or symbol) with <c>aclass</c> and <c>rebase_multiplier</c>
    /// checked: missing (when required) is an invalid argument, unknown is <c>EFunding:Unknown asset</c>.
    /// </summary>
    private bool TryAsset(RequestParameters parameters, bool required, out AssetDefinition? asset, out EndpointResponse? error)
    {
        asset = null;
        if (!TryAclass(parameters, out var aclass, out error))
        {
            return false;
        }

        if (parameters.NonEmpty("asset") is not { } name)
        {
            error = required ? PrivateEndpoints.Error(KrakenErrors.InvalidArgument("asset")) : null;
            return !required;
        }

        // Every emulated asset is a currency: asked as a tokenized asset, none is known.
        if (!Catalogue.TryFindAsset(name, out asset) || asset.Aclass != aclass)
        {
            asset = null;
            error = PrivateEndpoints.Error(KrakenErrors.FundingUnknownAsset);
            return false;
        }

        return true;
    }

    private static bool TryAclass(RequestParameters parameters, out string aclass, out EndpointResponse? error)
    {
        error = null;
        aclass = parameters.NonEmpty("aclass") ?? "currency";
        if (aclass is not ("currency" or "tokenized_asset"))
        {
            error = PrivateEndpoints.Error(KrakenErrors.InvalidArgument("aclass"));
            return false;
        }

        // xStocks display option: no emulated asset is an xStock, so either value shows the same amounts.
        if (parameters.NonEmpty("rebase_multiplier") is { } rebase && rebase is not ("rebased" or "base"))
        {
            error = PrivateEndpoints.Error(KrakenErrors.InvalidArgument("rebase_multiplier"));
            return false;
        }

        return true;
    }

    private static bool TryOptionalBool(RequestParameters parameters, string name, out bool? value)
    {
        value = null;
        if (parameters.NonEmpty(name) is null)
        {
            return true;
        }

        if (!PrivateEndpoints.TryBool(parameters, name, false, out var parsed))
        {
            return false;
        }

        value = parsed;
        return true;
    }

    /// <summary>The filters and paging of DepositStatus and WithdrawStatus.</summary>
    private sealed record HistoryFilters(AssetDefinition? Asset, string Aclass, string? Method, long? Start, long? End, bool Paginate, int? CursorIndex, int Limit);

    private bool TryHistoryFilters(RequestParameters parameters, int defaultLimit, out HistoryFilters filters, out EndpointResponse? error)
    {
        filters = null!;
        if (!TryAsset(parameters, required: false, out var asset, out error))
        {
            return false;
        }

        var aclass = parameters.NonEmpty("aclass") ?? "currency";
        if (!parameters.TryGetCursor("start", out var start))
        {
            error = PrivateEndpoints.Error(KrakenErrors.InvalidArgument("start"));
            return false;
        }

        if (!parameters.TryGetCursor("end", out var end))
        {
            error = PrivateEndpoints.Error(KrakenErrors.InvalidArgument("end"));
            return false;
        }

        if (!parameters.TryGetInt("limit", defaultLimit, 1, int.MaxValue, out var limit))
        {
            error = PrivateEndpoints.Error(KrakenErrors.InvalidArgument("limit"));
            return false;
        }

        // cursor: true/false switches pagination on or off; any other text is the next_cursor of a previous page.
        var paginate = false;
        int? cursorIndex = null;
        var cursor = parameters.NonEmpty("cursor");
        if (cursor is not null && !PrivateEndpoints.TryBool(parameters, "cursor", false, out paginate))
        {
            if (DecodeCursor(cursor) is not { } index)
            {
                error = PrivateEndpoints.Error(KrakenErrors.InvalidArgument("cursor"));
                return false;
            }

            paginate = true;
            cursorIndex = index;
        }

        filters = new HistoryFilters(asset, aclass, parameters.NonEmpty("method"), start, end, paginate, cursorIndex, limit);
        return true;
    }

    /// <summary>
    /// A history answer: without pagination a bare array of every match (the examples' shape); with it, the page after
    /// the cursor under <paramref name="listName"/> beside next_cursor. <paramref name="indexes"/> are the matches'
    /// positions in the account's list, newest first; a cursor names the last position handed out, so records
    /// added meanwhile (newer) never shift a page.
    /// </summary>
    private static EndpointResponse WriteHistory(HistoryFilters filters, string listName, int[] indexes, Func<int, Action<Utf8JsonWriter>> item)
    {
        if (!filters.Paginate)
        {
            return PrivateEndpoints.Ok(w =>
            {
                w.WriteStartArray();
                foreach (var index in indexes)
                {
                    item(index)(w);
                }

                w.WriteEndArray();
            });
        }

        var after = indexes.Where(i => filters.CursorIndex is not { } cursor || i < cursor).ToArray();
        var page = after.Take(filters.Limit).ToArray();
        var next = after.Length > page.Length ? EncodeCursor(page[^1]) : null;
        return PrivateEndpoints.Ok(w =>
        {
            w.WriteStartObject();
            w.WriteStartArray(listName);
            foreach (var index in page)
            {
                item(index)(w);
            }

            w.WriteEndArray();
            if (next is null)
            {
                w.WriteNull("next_cursor");
            }
            else
            {
                w.WriteString("next_cursor", next);
            }

            w.WriteEndObject();
        });
    }

    /// <summary>An opaque cursor: the position of the last record handed out, base64url-encoded.</summary>
    private static string EncodeCursor(int index) =>
        Convert.ToBase64String(Encoding.ASCII.GetBytes("c" + index.ToString(CultureInfo.InvariantCulture))).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static int? DecodeCursor(string cursor)
    {
        var text = cursor.Trim().Replace('-', '+').Replace('_', '/');
        text = text.PadRight(text.Length + ((4 - (text.Length % 4)) % 4), '=');
        Span<byte> bytes = stackalloc byte[64];
        if (text.Length > 80 || !Convert.TryFromBase64String(text, bytes, out var written))
        {
            return null;
        }

        var plain = Encoding.ASCII.GetString(bytes[..written]);
        return plain.StartsWith('c') && int.TryParse(plain.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out var index) ? index : null;
    }
}
