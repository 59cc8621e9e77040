using KrakenGrpc.Emulator.Market;

namespace KrakenGrpc.Emulator.Funding;

/// <summary>A deposit as DepositStatus lists it. The emulator's deposits arrive complete ("Success").</summary>
internal sealed record FundingDeposit(
    string RefId,
    DepositMethodDefinition Method,
    string TxId,
    string Info,
    decimal Amount,
    decimal Fee,
    long TimeNs)
{
    public AssetDefinition Asset => Method.Asset;

    /// <summary>DepositStatus "status": the emulator's deposits arrive complete.</summary>
    public const string Status = "Success";
}

/// <summary>A deposit address of one method; "new" in DepositAddresses while nothing was deposited to it.</summary>
internal sealed class DepositAddress(DepositMethodDefinition method, string address)
{
    public DepositMethodDefinition Method { get; } = method;

    public string Address { get; } = address;

    public bool Used { get; set; }
}

/// <summary>A withdrawal key of an account: a named, saved destination of one asset and method.</summary>
internal sealed record WithdrawalKey(string Key, WithdrawMethodDefinition Method, string Address, bool Verified)
{
    public AssetDefinition Asset => Method.Asset;
}

/// <summary>What a <see cref="FundingWithdrawal"/> is: a withdrawal to a key, or a WalletTransfer to the Futures wallet.</summary>
internal enum WithdrawalKind
{
    Withdrawal,
    WalletTransfer,
}

/// <summary>
/// A withdrawal (or a WalletTransfer, which WithdrawStatus lists too): the balance is reduced when it is made; it
/// is "Pending" until its settle time on the emulator's clock, then "Success"; a cancel while pending gives the
/// money back and leaves it "Failure" with status-prop "canceled" (the WithdrawStatus example's second entry).
/// </summary>
internal sealed class FundingWithdrawal
{
    public required string RefId { get; init; }

    public required WithdrawalKind Kind { get; init; }

    public required AssetDefinition Asset { get; init; }

    /// <summary>The method name ("Bitcoin"; "Futures Wallet" for a WalletTransfer).</summary>
    public required string Method { get; init; }

    /// <summary>The withdrawal key's name; null for a WalletTransfer.</summary>
    public string? Key { get; init; }

    /// <summary>Where it goes: the key's address, or the wallet's name.</summary>
    public required string Info { get; init; }

    public required string TxId { get; init; }

    /// <summary>What arrives: the amount asked for less the fee (WithdrawInfo's "amount").</summary>
    public required decimal Amount { get; init; }

    public required decimal Fee { get; init; }

    /// <summary>Market time of the request, unix nanoseconds.</summary>
    public required long TimeNs { get; init; }

    /// <summary>When it counts as settled, on the emulator's clock.</summary>
    public required DateTimeOffset SettlesAt { get; init; }

    public bool Canceled { get; set; }

    public bool IsSettled(DateTimeOffset now) => !Canceled && now >= SettlesAt;

    public bool IsPending(DateTimeOffset now) => !Canceled && now < SettlesAt;

    /// <summary>WithdrawStatus "status".</summary>
    public string Status(DateTimeOffset now) => Canceled ? "Failure" : now >= SettlesAt ? "Success" : "Pending";

    /// <summary>WithdrawStatus "status-prop", or null when the entry has none.</summary>
    public string? StatusProp => Canceled ? "canceled" : null;
}
