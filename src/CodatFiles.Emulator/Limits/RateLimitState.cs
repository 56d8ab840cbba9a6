using System.Globalization;

namespace CodatFiles.Emulator.Limits;

/// <summary>What the X-Rate-Limit-* headers report.</summary>
internal sealed record RateLimitState(int Limit, int Remaining, DateTimeOffset ResetsAt)
{
    public void WriteHeaders(IHeaderDictionary headers)
    {
        headers["X-Rate-Limit-Limit"] = Limit.ToString(CultureInfo.InvariantCulture);
        headers["X-Rate-Limit-Remaining"] = Remaining.ToString(CultureInfo.InvariantCulture);
        headers["X-Rate-Limit-Reset"] = ResetsAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
    }
}
