using System.Globalization;

namespace KrakenGrpc.Client.Tests;

public class KrakenDecimalTests
{
    [TestCase("0.00010", 5)]
    [TestCase("87654.32100", 5)]
    [TestCase("-24.5000", 4)]
    [TestCase("30300", 0)]
    [TestCase("0", 0)]
    [TestCase("0.0000000000000000000000000001", 28)]
    [TestCase("7922816251426433759354395033.5", 1)]
    public void Parse_KrakensText_KeepsEveryDigit_AndFormatGivesTheSameTextBack(string text, int scale)
    {
        var value = KrakenDecimal.Parse(text);

        Assert.Multiple(() =>
        {
            Assert.That(value.Scale, Is.EqualTo(scale));
            Assert.That(KrakenDecimal.Format(value), Is.EqualTo(text));
        });
    }

    [Test]
    public void Parse_TrailingZeros_AreKept_NotNormalisedAway()
    {
        Assert.Multiple(() =>
        {
            Assert.That(KrakenDecimal.Parse("0.00010"), Is.EqualTo(0.0001m));
            Assert.That(KrakenDecimal.Parse("0.00010").Scale, Is.EqualTo(5));
        });
    }

    [TestCase("1e5")]
    [TestCase("1E-3")]
    [TestCase("+1")]
    [TestCase(".5")]
    [TestCase("1.")]
    [TestCase("-")]
    [TestCase("--1")]
    [TestCase("1.2.3")]
    [TestCase("1,000")]
    [TestCase("1,5")]
    [TestCase(" 1")]
    [TestCase("1 ")]
    [TestCase("")]
    [TestCase("NaN")]
    [TestCase("Infinity")]
    [TestCase("0x10")]
    [TestCase("\u0661")]
    public void Parse_TextKrakenDoesNotWrite_IsRefused(string text)
    {
        Assert.Multiple(() =>
        {
            Assert.That(KrakenDecimal.TryParse(text, out _), Is.False);
            Assert.That(() => KrakenDecimal.Parse(text), Throws.InstanceOf<FormatException>());
        });
    }

    [TestCase("0.00000000000000000000000000001", TestName = "Parse_MoreFractionDigitsThanDecimalHolds_IsRefusedRatherThanRounded")]
    [TestCase("10.0000000000000000000000000001", TestName = "Parse_MoreSignificantDigitsThanDecimalHolds_IsRefusedRatherThanRounded")]
    [TestCase("79228162514264337593543950336", TestName = "Parse_ANumberBeyondDecimalsRange_IsRefused")]
    public void Parse_TextDecimalCannotHoldExactly(string text)
    {
        Assert.That(KrakenDecimal.TryParse(text, out _), Is.False);
    }

    [Test]
    public void TryParse_Null_IsFalse()
    {
        Assert.That(KrakenDecimal.TryParse(null, out _), Is.False);
    }

    [Test]
    public void Format_WritesExactlyTheDigitsTheValueHas()
    {
        Assert.Multiple(() =>
        {
            Assert.That(KrakenDecimal.Format(1.5m), Is.EqualTo("1.5"));
            Assert.That(KrakenDecimal.Format(1.50m), Is.EqualTo("1.50"));
            Assert.That(KrakenDecimal.Format(30300m), Is.EqualTo("30300"));
            Assert.That(KrakenDecimal.Format(-0.0002m), Is.EqualTo("-0.0002"));
            Assert.That(KrakenDecimal.Format(0.0000000000000000000000000001m), Is.EqualTo("0.0000000000000000000000000001"), "never an exponent");
            Assert.That(KrakenDecimal.Format(12345678901234567890m), Is.EqualTo("12345678901234567890"), "never a group separator");
        });
    }

    [Test]
    public void Format_NegativeZero_IsPlainZero()
    {
        var negativeZero = 0.00m * -1m;

        Assert.That(KrakenDecimal.Format(negativeZero), Is.EqualTo("0.00"));
    }

    [Test]
    public void ParseAndFormat_IgnoreTheCurrentCulture()
    {
        var commaCulture = (CultureInfo)CultureInfo.InvariantCulture.Clone();
        commaCulture.NumberFormat.NumberDecimalSeparator = ",";
        commaCulture.NumberFormat.NumberGroupSeparator = ".";
        var before = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = commaCulture;
        try
        {
            Assert.Multiple(() =>
            {
                Assert.That(KrakenDecimal.Format(1234.5m), Is.EqualTo("1234.5"));
                Assert.That(KrakenDecimal.Parse("1234.5"), Is.EqualTo(1234.5m));
                Assert.That(KrakenDecimal.TryParse("1234,5", out _), Is.False);
            });
        }
        finally
        {
            CultureInfo.CurrentCulture = before;
        }
    }
}
