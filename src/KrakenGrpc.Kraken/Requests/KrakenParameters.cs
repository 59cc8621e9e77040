using System.Collections;

namespace KrakenGrpc.Kraken.Requests;

/// <summary>
/// The parameters of one Kraken call, in the order they are added, under Kraken's own names. Values are kept as
/// Kraken wants them on the wire: decimal text stays text, lists stay lists until the encoder joins or nests them.
/// Absent values (null, empty lists) are skipped, so a mapping can add every optional field unconditionally.
/// </summary>
public sealed class KrakenParameters : IEnumerable<KeyValuePair<string, object>>
{
    private readonly List<KeyValuePair<string, object>> _items = [];

    /// <summary>Number of parameters that will be sent.</summary>
    public int Count => _items.Count;

    /// <summary>Adds text (a pair, a decimal, a cursor). Null or empty text is not sent.</summary>
    public KrakenParameters Add(string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            _items.Add(new(name, value));
        }
        return this;
    }

    /// <summary>Adds a boolean, sent as <c>true</c>/<c>false</c>. Null is not sent.</summary>
    public KrakenParameters Add(string name, bool? value)
    {
        if (value is { } flag)
        {
            _items.Add(new(name, flag));
        }
        return this;
    }

    /// <summary>Adds an integer. Null is not sent.</summary>
    public KrakenParameters Add(string name, long? value)
    {
        if (value is { } number)
        {
            _items.Add(new(name, number));
        }
        return this;
    }

    /// <summary>Adds a list: comma-joined in form and query encodings, an array in JSON. Empty lists are not sent.</summary>
    public KrakenParameters Add(string name, IReadOnlyCollection<string>? values)
    {
        if (values is { Count: > 0 })
        {
            _items.Add(new(name, values.ToArray()));
        }
        return this;
    }

    /// <summary>
    /// Adds a list that is sent even when empty: for parameters where an empty list means "clear" rather than
    /// "leave unchanged" (a Fast API key's IP allowlist).
    /// </summary>
    public KrakenParameters AddEvenIfEmpty(string name, IReadOnlyCollection<string> values)
    {
        _items.Add(new(name, values.ToArray()));
        return this;
    }

    /// <summary>Adds a nested object: <c>close[price]=...</c> in form encoding, an object in JSON. Null or empty is not sent.</summary>
    public KrakenParameters Add(string name, KrakenParameters? nested)
    {
        if (nested is { Count: > 0 })
        {
            _items.Add(new(name, nested));
        }
        return this;
    }

    /// <summary>Adds a list of objects (batch orders). Only a JSON body can carry it.</summary>
    public KrakenParameters Add(string name, IReadOnlyList<KrakenParameters>? items)
    {
        if (items is { Count: > 0 })
        {
            _items.Add(new(name, items.ToArray()));
        }
        return this;
    }

    /// <summary>The parameter with the most text (nested objects and lists counted whole): what to name when a request is too large.</summary>
    public string? Largest() => _items.Count == 0 ? null : _items.MaxBy(item => TextLength(item.Value)).Key;

    private static int TextLength(object value) => value switch
    {
        string text => text.Length,
        string[] texts => texts.Sum(t => t.Length + 1),
        KrakenParameters nested => nested._items.Sum(item => item.Key.Length + TextLength(item.Value)),
        KrakenParameters[] objects => objects.Sum(o => TextLength(o)),
        _ => 8,
    };

    /// <summary>The text of a parameter (lists comma-joined), or null when it is not set.</summary>
    public string? Text(string name)
    {
        foreach (var (key, value) in _items)
        {
            if (key == name)
            {
                return value switch
                {
                    string text => text,
                    string[] list => string.Join(',', list),
                    bool flag => flag ? "true" : "false",
                    long number => number.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    _ => null,
                };
            }
        }
        return null;
    }

    /// <summary>The objects of a list-of-objects parameter (batch orders); empty when it is not set.</summary>
    public IReadOnlyList<KrakenParameters> Objects(string name)
    {
        foreach (var (key, value) in _items)
        {
            if (key == name && value is KrakenParameters[] objects)
            {
                return objects;
            }
        }
        return [];
    }

    /// <summary>How many entries a list parameter holds (0 when it is not set).</summary>
    public int CountOf(string name)
    {
        foreach (var (key, value) in _items)
        {
            if (key == name)
            {
                return value switch
                {
                    string[] list => list.Length,
                    KrakenParameters[] objects => objects.Length,
                    _ => 1,
                };
            }
        }
        return 0;
    }

    public IEnumerator<KeyValuePair<string, object>> GetEnumerator() => _items.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
