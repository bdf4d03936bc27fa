namespace Keywarden.Bench.AuditHistory;

/// <summary>The random draws the generator needs, from one seeded <see cref="Random"/> (deterministic across runs and machines).</summary>
internal sealed class Rand(int seed)
{
    private const string Hex = "0123456789abcdef";
    private readonly Random _random = new(seed);

    public double Uniform() => _random.NextDouble();

    public double Uniform(double min, double max) => min + ((max - min) * _random.NextDouble());

    public int Int(int min, int maxExclusive) => _random.Next(min, maxExclusive);

    public long Long(long min, long maxExclusive) => _random.NextInt64(min, maxExclusive);

    public bool Chance(double p) => _random.NextDouble() < p;

    public T Pick<T>(IReadOnlyList<T> items) => items[_random.Next(items.Count)];

    public double Normal()
    {
        var u1 = 1.0 - _random.NextDouble();
        var u2 = _random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    /// <summary>A multiplicative noise factor with median 1: e^(σ·z).</summary>
    public double LogNormal(double sigma) => Math.Exp(sigma * Normal());

    public int Poisson(double lambda)
    {
        if (lambda <= 0)
        {
            return 0;
        }

        if (lambda > 30)
        {
            return Math.Max(0, (int)Math.Round(lambda + (Math.Sqrt(lambda) * Normal())));
        }

        var limit = Math.Exp(-lambda);
        var count = 0;
        var product = _random.NextDouble();
        while (product > limit)
        {
            count++;
            product *= _random.NextDouble();
        }

        return count;
    }

    public string HexString(int length) => string.Create(length, _random, static (span, random) =>
    {
        for (var i = 0; i < span.Length; i++)
        {
            span[i] = Hex[random.Next(16)];
        }
    });

    /// <summary>An accessor id shaped like Keywarden's (<c>tok_</c> + 12 of Crockford base32).</summary>
    public string TokenId() => "tok_" + string.Create(12, _random, static (span, random) =>
    {
        const string alphabet = "0123456789abcdefghjkmnpqrstvwxyz";
        for (var i = 0; i < span.Length; i++)
        {
            span[i] = alphabet[random.Next(alphabet.Length)];
        }
    });
}
