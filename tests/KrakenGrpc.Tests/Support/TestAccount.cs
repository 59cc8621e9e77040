using System.Security.Cryptography;
using Grpc.Core;
using KrakenGrpc.Emulator;

namespace KrakenGrpc.Tests.Support;

/// <summary>
/// A Kraken account made up for one test class: a fresh API key and secret (so no two classes share a nonce or a
/// counter at the emulator), the emulator's side of it, and the gateway arguments that configure it. A test class then
/// states only what is particular to it.
/// </summary>
public sealed class TestAccount(string name, string tier = "Pro")
{
    public string Name => name;

    public string ApiKey { get; } = $"test-key-{name}-{Guid.NewGuid():N}";

    public string Secret { get; } = Convert.ToBase64String(RandomNumberGenerator.GetBytes(64));

    /// <summary>The account at the emulator, holding <paramref name="balances"/> (none when null).</summary>
    public EmulatedAccountOptions AtKraken(IReadOnlyDictionary<string, decimal>? balances = null) =>
        balances is null ? new(ApiKey, Secret) { Tier = tier } : new(ApiKey, Secret) { Tier = tier, Balances = balances };

    /// <summary>Gateway arguments that make it the default account.</summary>
    public string[] AsDefault => [$"--Kraken:ApiKey={ApiKey}", $"--Kraken:ApiSecret={Secret}", $"--Kraken:Tier={tier}"];

    /// <summary>Gateway arguments that configure it under its name, chosen per call with <see cref="Metadata"/>.</summary>
    public string[] AsNamed => [$"--Kraken:Accounts:{name}:ApiKey={ApiKey}", $"--Kraken:Accounts:{name}:ApiSecret={Secret}", $"--Kraken:Accounts:{name}:Tier={tier}"];

    /// <summary>The call metadata that chooses this account.</summary>
    public Metadata Metadata => new() { { "kraken-account", name } };
}
