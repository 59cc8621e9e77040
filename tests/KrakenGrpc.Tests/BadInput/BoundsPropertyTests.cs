using CsCheck;
using Grpc.Core;
using KrakenGrpc.Contracts.Spot.V1;
using KrakenGrpc.Server.Mapping;
using KrakenGrpc.Server.Validation;
using KrakenGrpc.Tests.Support;

namespace KrakenGrpc.Tests.BadInput;

/// <summary>
/// The range, length, count and enum checks hold exactly at their edges, for any bounds and values: a value is
/// refused if and only if it lies outside, and a refusal names its field. The builders' own limits (50 txids, 2 to
/// 15 batch orders) hold at theirs.
/// </summary>
public class BoundsPropertyTests
{
    private const int Iterations = 2_000;

    /// <summary>Bounds and a value near them (or anywhere), so the edges come up often.</summary>
    private static readonly Gen<(int Min, int Max, int Value)> RangeAndValue =
        Gen.Select(Gen.Int, Gen.Int, Gen.Int[-2, 2], Gen.Int, Gen.Bool)
            .Select((a, b, offset, anywhere, nearMin) =>
            {
                var (min, max) = a <= b ? (a, b) : (b, a);
                var edge = nearMin ? min : max;
                var value = anywhere % 4 == 0 ? anywhere : (int)Math.Clamp((long)edge + offset, int.MinValue, int.MaxValue);
                return (min, max, value);
            });

    private static bool Refused(RequestValidation validation, string field)
    {
        try
        {
            validation.ThrowIfInvalid();
            return false;
        }
        catch (RpcException refusal)
        {
            Assert.That(refusal.StatusCode, Is.EqualTo(StatusCode.InvalidArgument));
            Assert.That(refusal.BadRequest()!.FieldViolations.Select(v => v.Field), Is.EqualTo(new[] { field }));
            return true;
        }
    }

    [Test]
    public void InRange_RefusesExactlyTheValuesOutsideTheBounds()
    {
        RangeAndValue.Sample((min, max, value) =>
            Assert.That(Refused(new RequestValidation().InRange("count", value, min, max), "count"), Is.EqualTo(value < min || value > max),
                $"{value} in [{min}, {max}]"),
            iter: Iterations, threads: 1);
    }

    [Test]
    public void InRange_UnsetValue_IsNeverRefused()
    {
        Gen.Select(Gen.Int, Gen.Int).Sample((min, max) =>
            Assert.That(Refused(new RequestValidation().InRange("count", null, Math.Min(min, max), Math.Max(min, max)), "count"), Is.False),
            iter: Iterations, threads: 1);
    }

    [Test]
    public void Length_RefusesExactlyNonEmptyTextOutsideTheBounds()
    {
        Gen.Select(Gen.Int[0, 40], Gen.Int[0, 40], Gen.String[0, 60]).Sample((a, b, text) =>
        {
            var (min, max) = (Math.Min(a, b), Math.Max(a, b));
            var outside = text.Length > 0 && (text.Length < min || text.Length > max);
            Assert.That(Refused(new RequestValidation().Length("name", text, min, max), "name"), Is.EqualTo(outside), $"{text.Length} in [{min}, {max}]");
        }, iter: Iterations, threads: 1);
    }

    [Test]
    public void MaxCount_RefusesExactlyListsLongerThanTheLimit()
    {
        Gen.Select(Gen.Int[0, 60], Gen.Int[0, 60]).Sample((max, count) =>
            Assert.That(Refused(new RequestValidation().MaxCount("txid", Enumerable.Repeat("T", count).ToList(), max), "txid"), Is.EqualTo(count > max),
                $"{count} entries, at most {max}"),
            iter: Iterations, threads: 1);
    }

    [Test]
    public void Defined_RefusesExactlyNumbersTheEnumDoesNotDefine()
    {
        Gen.Frequency<int>((3, Gen.Int[-3, 12]), (1, Gen.Int)).Sample(number =>
        {
            var side = (OrderSide)number;
            var defined = System.Enum.IsDefined(side);
            Assert.That(Refused(new RequestValidation().Defined("type", side), "type"), Is.EqualTo(!defined), $"{number}");
            Assert.That(Refused(new RequestValidation().Defined("type", side, required: true), "type"), Is.EqualTo(!defined || number == 0), $"{number}");
        }, iter: Iterations, threads: 1);
    }

    [Test]
    public void GetOrders_TxidCount_IsAcceptedUpTo50_AndRefusedBeyond()
    {
        Gen.Int[0, 120].Sample(count =>
        {
            var request = new GetOrdersRequest { Txid = { Enumerable.Range(0, count).Select(i => $"O{i:D5}-AAAAA-BBBBBB") } };
            var valid = count is >= 1 and <= OrdersMapping.MaxQueriedTxids;
            if (valid)
            {
                Assert.That(OrdersMapping.Parameters(request).Text("txid")!.Split(','), Has.Length.EqualTo(count));
            }
            else
            {
                var refusal = Assert.Throws<RpcException>(() => OrdersMapping.Parameters(request))!;
                Assert.That(refusal.BadRequest()!.FieldViolations.Select(v => v.Field), Does.Contain("txid"));
            }
        }, iter: 300, threads: 1);
    }

    [Test]
    public void SubmitBatchOrders_OrderCount_IsAcceptedFrom2To15_AndRefusedOutside()
    {
        Gen.Int[0, 40].Sample(count =>
        {
            var request = new SubmitBatchOrdersRequest { Pair = "XBTUSD" };
            request.Orders.Add(Enumerable.Range(0, count).Select(_ =>
                new BatchOrder { Type = OrderSide.Buy, Ordertype = OrderType.Limit, Volume = "0.5", Price = "1000" }));
            var valid = count is >= OrdersMapping.MinBatchOrders and <= OrdersMapping.MaxBatchOrders;
            if (valid)
            {
                Assert.That(OrdersMapping.Parameters(request).Objects("orders"), Has.Count.EqualTo(count));
            }
            else
            {
                var refusal = Assert.Throws<RpcException>(() => OrdersMapping.Parameters(request))!;
                Assert.That(refusal.BadRequest()!.FieldViolations.Select(v => v.Field), Does.Contain("orders"));
            }
        }, iter: 200, threads: 1);
    }

    [Test]
    public void CancelAllOrdersAfter_Timeout_IsAcceptedFrom0To86399Seconds_AndRefusedOutside()
    {
        Gen.Frequency<long>((3, Gen.Long[-3, 3]), (3, Gen.Long[86_396, 86_403]), (1, Gen.Long)).Sample(seconds =>
        {
            var request = new CancelAllOrdersAfterRequest { Timeout = new Google.Protobuf.WellKnownTypes.Duration { Seconds = seconds } };
            if (seconds is >= 0 and < OrdersMapping.DeadMansSwitchLimitSeconds)
            {
                Assert.That(OrdersMapping.Parameters(request).Text("timeout"), Is.EqualTo(seconds.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            }
            else
            {
                var refusal = Assert.Throws<RpcException>(() => OrdersMapping.Parameters(request))!;
                Assert.That(refusal.BadRequest()!.FieldViolations.Select(v => v.Field), Does.Contain("timeout"));
            }
        }, iter: Iterations, threads: 1);
    }
}
