using System.Globalization;
using CsCheck;
using Google.Rpc;
using Grpc.Core;
using KrakenGrpc.Contracts.Spot.V1;
using KrakenGrpc.Kraken.Requests;
using KrakenGrpc.Server.Mapping;
using KrakenGrpc.Server.Validation;
using KrakenGrpc.Tests.Support;

namespace KrakenGrpc.Tests.BadInput;

/// <summary>
/// Properties of the decimal check every amount goes through, and of the parameter builders that use it: text the
/// gateway accepts goes to Kraken byte for byte and is a System.Decimal; text it refuses never reaches the
/// parameters, and the refusal names the field. Random text comes from CsCheck, which prints the seed of a failing
/// sample so it replays (<c>Sample(..., seed: "...")</c>).
/// </summary>
public class DecimalValidationPropertyTests
{
    private const int Iterations = 3_000;

    /// <summary>Decimal text in Kraken's shape: digits, at most one point with digits on both sides.</summary>
    private static readonly Gen<string> DecimalText =
        Gen.Select(
                Gen.Char["0123456789"].Array[1, 29].Select(d => new string(d)),
                Gen.Char["0123456789"].Array[0, 28].Select(d => new string(d)))
            .Select((whole, fraction) => fraction.Length == 0 ? whole : $"{whole}.{fraction}");

    /// <summary>Text a careless parser might read as a number, and anything else.</summary>
    private static readonly Gen<string> AnyText = Gen.Frequency<string>(
        (4, DecimalText),
        (2, Gen.Char["0123456789.+-eE, _\t\n"].Array[0, 12].Select(c => new string(c))),
        (2, Gen.String),
        (1, Gen.Char[(char)0, (char)0x9F].Array[1, 8].Select(c => new string(c))),
        (1, Gen.OneOf(
            "NaN", "Infinity", "-Infinity", "1e5", "1E-5", "+1", "-1", ".5", "1.", " 1", "1 ", "1,5", "0x1F", "١", "１", "𝟙",
            "1_000", "\u00001", "1.2.3", "", "0", "0.000", "99999999999999999999999999999", "79228162514264337593543950336",
            "1" + new string('0', 63), "1" + new string('0', 64))),
        (1, Gen.Int[65, 20_000].Select(n => new string('7', n))));

    /// <summary>Every builder that takes a positive amount, with the field it checks.</summary>
    private static readonly (string Name, string Field, Func<string, KrakenParameters> Build)[] AmountBuilders =
    [
        ("SubmitOrder", "volume", v => OrdersMapping.Parameters(
            new SubmitOrderRequest { Pair = "XBTUSD", Type = OrderSide.Buy, Ordertype = OrderType.Market, Volume = v })),
        ("AmendOrder", "order_qty", v => OrdersMapping.Parameters(new AmendOrderRequest { Txid = "OQCLML-BW3P3-BUCMWZ", OrderQty = v })),
        ("EditOrder", "volume", v => OrdersMapping.Parameters(new EditOrderRequest { Txid = "OQCLML-BW3P3-BUCMWZ", Pair = "XBTUSD", Volume = v })),
        ("GetWithdrawalInfo", "amount", v => FundingMapping.Parameters(new GetWithdrawalInfoRequest { Asset = "XBT", Key = "btc-cold", Amount = v })),
        ("SubmitWithdrawal", "amount", v => FundingMapping.Parameters(new SubmitWithdrawalRequest { Asset = "XBT", Key = "btc-cold", Amount = v })),
        ("SubmitTransferToFutures", "amount", v => FundingMapping.Parameters(
            new SubmitTransferToFuturesRequest { Asset = "XBT", From = "Spot Wallet", To = "Futures Wallet", Amount = v })),
        ("AllocateEarnFunds", "amount", v => FundingMapping.Parameters(new AllocateEarnFundsRequest { StrategyId = "ESRFUO3-Q62XD-WIOIL7", Amount = v })),
        ("DeallocateEarnFunds", "amount", v => FundingMapping.Parameters(new DeallocateEarnFundsRequest { StrategyId = "ESRFUO3-Q62XD-WIOIL7", Amount = v })),
        ("SubmitSubaccountTransfer", "amount", v => AccountMapping.Parameters(
            new SubmitSubaccountTransferRequest { Asset = "XBT", From = "main", To = "sub", Amount = v })),
    ];

    private static bool IsPositiveDecimal(string text) =>
        RequestValidation.IsDecimalText(text) && !text.All(c => c is '0' or '.');

    [Test]
    public void IsDecimalText_AcceptedText_ParsesAsSystemDecimal_WithTheSameDigits()
    {
        AnyText.Where(RequestValidation.IsDecimalText).Sample(text =>
        {
            Assert.That(decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value), Is.True, text);
            Assert.That(value, Is.GreaterThanOrEqualTo(0m), text);
            Assert.That(text, Does.Match("^[0-9]+(\\.[0-9]+)?$"));
            Assert.That(text, Has.Length.LessThanOrEqualTo(64));
        }, iter: Iterations, threads: 1);
    }

    [Test]
    public void IsDecimalText_WellFormedDigits_AreAccepted_WhenTheyFitSystemDecimal()
    {
        DecimalText.Sample(text =>
        {
            var fits = decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out _);
            Assert.That(RequestValidation.IsDecimalText(text), Is.EqualTo(fits), text);
        }, iter: Iterations, threads: 1);
    }

    [Test]
    public void AmountBuilders_AcceptedAmount_IsSentByteForByte_RefusedAmount_IsNeverSent()
    {
        Gen.Select(Gen.Int[0, AmountBuilders.Length - 1], AnyText).Sample((index, text) =>
        {
            var (name, field, build) = AmountBuilders[index];
            if (text.Length == 0)
            {
                // Empty text is "not set": refused where the amount is required, left out of the parameters elsewhere.
                return;
            }
            if (IsPositiveDecimal(text))
            {
                var parameters = build(text);
                Assert.That(parameters.Text(field), Is.EqualTo(text), $"{name}.{field} was not sent verbatim");
            }
            else
            {
                KrakenParameters? sent = null;
                var refusal = Assert.Throws<RpcException>(() => sent = build(text), $"{name}.{field} accepted \"{text}\"")!;
                Assert.That(sent, Is.Null);
                AssertRefusedField(refusal, field, name);
            }
        }, iter: Iterations, threads: 1);
    }

    [Test]
    public void Decimal_RefusalDescription_EchoesAtMost32Characters_AndNeverHalfACharacter()
    {
        // Letters and characters outside the BMP (two UTF-16 units each), so pairs straddle the 32nd unit.
        Gen.Frequency<string>(
                (1, Gen.Char['a', 'z'].Select(c => c.ToString())),
                (1, Gen.Int[0x10000, 0x10FFFF].Select(char.ConvertFromUtf32)))
            .Array[20, 200].Select(string.Concat).Sample(text =>
        {
            var refusal = Assert.Throws<RpcException>(() => new RequestValidation().Decimal("amount", text).ThrowIfInvalid())!;
            var description = refusal.BadRequest()!.FieldViolations.Single().Description;
            Assert.That(description, Has.Length.LessThan(100));
            Assert.That(HasLoneSurrogate(description), Is.False, description);
        }, iter: Iterations, threads: 1);
    }

    [TestCase("1e5")]
    [TestCase("1E-5")]
    [TestCase("+1")]
    [TestCase("-1")]
    [TestCase(".5")]
    [TestCase("1.")]
    [TestCase(".")]
    [TestCase("1.2.3")]
    [TestCase("NaN")]
    [TestCase("Infinity")]
    [TestCase("-Infinity")]
    [TestCase(" 1")]
    [TestCase("1 ")]
    [TestCase("1\t")]
    [TestCase("1,5")]
    [TestCase("1_000")]
    [TestCase("0x1F")]
    [TestCase("\u0661")]
    [TestCase("\uFF11")]
    [TestCase("1\u0000")]
    [TestCase("\uFEFF1")]
    [TestCase("79228162514264337593543950336")]
    public void Decimal_WithAForeignForm_IsRefusedWithAFieldViolation(string text)
    {
        var refusal = Assert.Throws<RpcException>(() => new RequestValidation().Decimal("volume", text).ThrowIfInvalid())!;

        Assert.That(refusal.StatusCode, Is.EqualTo(StatusCode.InvalidArgument));
        var violation = refusal.BadRequest()!.FieldViolations.Single();
        Assert.Multiple(() =>
        {
            Assert.That(violation.Field, Is.EqualTo("volume"));
            Assert.That(violation.Description, Does.StartWith("must be decimal text"));
            Assert.That(refusal.Status.Detail, Does.Contain("nothing was sent to Kraken"));
        });
    }

    [Test]
    public void Decimal_HugeText_IsRefused_AndEchoedShort()
    {
        var text = new string('9', 1_000_000);

        var refusal = Assert.Throws<RpcException>(() => new RequestValidation().Decimal("amount", text).ThrowIfInvalid())!;

        Assert.That(refusal.BadRequest()!.FieldViolations.Single().Description, Has.Length.LessThan(100));
    }

    [TestCase("0")]
    [TestCase("0.0")]
    [TestCase("000.00000")]
    public void Decimal_Zero_IsRefusedWhenPositive_AndAcceptedOtherwise(string text)
    {
        var positive = Assert.Throws<RpcException>(() => new RequestValidation().Decimal("amount", text).ThrowIfInvalid())!;

        Assert.That(positive.BadRequest()!.FieldViolations.Single().Description, Is.EqualTo("must be greater than zero"));
        Assert.DoesNotThrow(() => new RequestValidation().Decimal("amount", text, positive: false).ThrowIfInvalid());
    }

    [TestCase(64, true)]
    [TestCase(65, false)]
    public void IsDecimalText_LengthLimit_HoldsAtTheEdge(int length, bool accepted)
    {
        // A long fraction still fits System.Decimal (rounded past 28 places); only the length decides here.
        var text = "1." + new string('5', length - 2);

        Assert.That(RequestValidation.IsDecimalText(text), Is.EqualTo(accepted));
    }

    [Test]
    public void Decimal_LargestSystemDecimal_IsAccepted_AndOneMore_IsRefused()
    {
        Assert.Multiple(() =>
        {
            Assert.That(RequestValidation.IsDecimalText(decimal.MaxValue.ToString(CultureInfo.InvariantCulture)), Is.True);
            Assert.That(RequestValidation.IsDecimalText("79228162514264337593543950336"), Is.False);
        });
    }

    private static void AssertRefusedField(RpcException refusal, string field, string rpc)
    {
        Assert.That(refusal.StatusCode, Is.EqualTo(StatusCode.InvalidArgument), rpc);
        Assert.That(refusal.ErrorInfo().Reason, Is.EqualTo(RequestValidation.Reason), rpc);
        Assert.That(refusal.BadRequest()?.FieldViolations.Select(v => v.Field), Does.Contain(field), rpc);
    }

    private static bool HasLoneSurrogate(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                return true;
            }
        }
        return false;
    }
}
