using System.Collections.Concurrent;

namespace CodatFiles.Emulator.Storage;

/// <summary>
/// Entries that a company's list-files answer carries after its stored files without being stored: made up while
/// the body is written, so a list of hundreds of megabytes costs the emulator neither disk nor memory. For memory
/// benchmarks and for lists that break part-way (PUT /_emulator/synthetic-list). Download and upload ignore them.
/// </summary>
internal sealed class SyntheticLists
{
    private readonly ConcurrentDictionary<Guid, SyntheticList> _byCompany = new();

    public void Set(Guid companyId, SyntheticList list) => _byCompany[companyId] = list;

    public void Clear() => _byCompany.Clear();

    /// <summary>The company's synthetic entries, or null.</summary>
    public SyntheticList? Of(Guid companyId) => _byCompany.TryGetValue(companyId, out var list) ? list : null;
}

/// <summary>
/// <paramref name="Count"/> entries named <c>synthetic-0000001-xxx.pdf</c> padded to <paramref name="NameLength"/>
/// characters, uploaded at <paramref name="Uploaded"/>. With <paramref name="AbortAfter"/>, the next answer alone
/// drops its connection once that many synthetic entries have been sent.
/// </summary>
internal sealed class SyntheticList(int count, int nameLength, DateTimeOffset uploaded, int? abortAfter)
{
    private int _abortAfter = abortAfter ?? -1;

    public int Count { get; } = count;

    public DateTimeOffset Uploaded { get; } = uploaded;

    /// <summary>The i-th entry's name (0-based): a fixed prefix with the number, padded with 'x' before ".pdf".</summary>
    public string NameOf(int index)
    {
        var stem = $"synthetic-{index + 1:D7}-";
        var padding = Math.Max(0, nameLength - stem.Length - ".pdf".Length);
        return stem + new string('x', padding) + ".pdf";
    }

    /// <summary>How many entries this answer sends before it drops the connection, or -1; a break is used up by one answer.</summary>
    public int TakeAbortAfter() => Interlocked.Exchange(ref _abortAfter, -1);
}
