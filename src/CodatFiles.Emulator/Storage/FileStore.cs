using System.Text.Json;

namespace CodatFiles.Emulator.Storage;

/// <summary>
/// Uploaded files on disk: <c>files/&lt;companyId&gt;/&lt;id&gt;.bin</c>, and one <c>&lt;requestId&gt;.json</c> manifest per
/// upload request listing its files, plus an in-memory index rebuilt from the manifests at start, so a restart on
/// the same directory keeps the files. One manifest per request rather than a sidecar per file: creating files is
/// most of what storing small uploads costs, and the manifest, written last, makes a request count whole or not at all.
/// </summary>
internal sealed class FileStore
{
    private const string ContentExtension = ".bin";
    private const string SidecarExtension = ".json";

    private static readonly JsonSerializerOptions s_sidecarJson = new();

    private readonly string _filesRoot;
    private readonly object _gate = new();
    private readonly Dictionary<Guid, List<StoredFile>> _filesByCompany = new();
    private long _lastSequence;

    public FileStore(string dataDirectory)
    {
        _filesRoot = Path.Combine(dataDirectory, "files");
        StagingDirectory = Path.Combine(dataDirectory, "staging");
        Directory.CreateDirectory(_filesRoot);
        // Anything left in staging belongs to a request that never committed (e.g. the process was killed).
        if (Directory.Exists(StagingDirectory))
        {
            Directory.Delete(StagingDirectory, recursive: true);
        }
        Directory.CreateDirectory(StagingDirectory);
        LoadIndex();
    }

    /// <summary>Where upload parts are written until the request is known to be valid.</summary>
    public string StagingDirectory { get; }

    public string NewStagingPath() => Path.Combine(StagingDirectory, Guid.NewGuid().ToString("N") + ".part");

    /// <summary>
    /// Moves all staged files into the store as one unit: if any step fails, the files already moved are removed
    /// again, so a request stores all of its files or none.
    /// </summary>
    public async Task CommitAsync(Guid companyId, Guid connectionId, string sourceType, DateTimeOffset uploaded,
        IReadOnlyList<StagedFile> staged, CancellationToken cancellationToken)
    {
        var companyFolder = Path.Combine(_filesRoot, companyId.ToString("D"));
        Directory.CreateDirectory(companyFolder);

        var committed = new List<StoredFile>(staged.Count);
        var manifestPath = Path.Combine(companyFolder, Guid.NewGuid().ToString("N") + SidecarExtension);
        try
        {
            foreach (var part in staged)
            {
                var file = new StoredFile(Guid.NewGuid(), companyId, connectionId, part.FileName, sourceType,
                    uploaded, Interlocked.Increment(ref _lastSequence), part.Length);
                File.Move(part.TempPath, ContentPath(file));
                committed.Add(file);
            }
            // The manifest is written last: content without a manifest is ignored at load, never half-listed.
            await using var manifest = File.Create(manifestPath);
            await JsonSerializer.SerializeAsync(manifest, committed, s_sidecarJson, cancellationToken);
        }
        catch
        {
            TryDelete(manifestPath);
            foreach (var file in committed)
            {
                TryDelete(ContentPath(file));
            }
            throw;
        }

        lock (_gate)
        {
            if (!_filesByCompany.TryGetValue(companyId, out var files))
            {
                _filesByCompany[companyId] = files = new List<StoredFile>();
            }
            files.AddRange(committed);
        }
    }

    /// <summary>The company's files in upload order.</summary>
    public IReadOnlyList<StoredFile> List(Guid companyId)
    {
        lock (_gate)
        {
            return _filesByCompany.TryGetValue(companyId, out var files)
                ? files.OrderBy(f => f.Sequence).ToArray()
                : [];
        }
    }

    public Stream OpenRead(StoredFile file) =>
        new FileStream(ContentPath(file), FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete,
            bufferSize: 81920, useAsync: true);

    /// <summary>Forgets and deletes every stored file (POST /_emulator/reset).</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _filesByCompany.Clear();
            foreach (var folder in Directory.EnumerateDirectories(_filesRoot))
            {
                try
                {
                    Directory.Delete(folder, recursive: true);
                }
                catch (IOException)
                {
                    // A download may still hold a file open on Windows; the index no longer lists it anyway.
                }
            }
        }
    }

    private void LoadIndex()
    {
        foreach (var sidecarPath in Directory.EnumerateFiles(_filesRoot, "*" + SidecarExtension, SearchOption.AllDirectories))
        {
            foreach (var file in ReadManifest(sidecarPath))
            {
                if (!File.Exists(ContentPath(file)))
                {
                    continue;
                }
                if (!_filesByCompany.TryGetValue(file.CompanyId, out var files))
                {
                    _filesByCompany[file.CompanyId] = files = new List<StoredFile>();
                }
                files.Add(file);
                _lastSequence = Math.Max(_lastSequence, file.Sequence);
            }
        }
        foreach (var files in _filesByCompany.Values)
        {
            files.Sort((a, b) => a.Sequence.CompareTo(b.Sequence));
        }
    }

    /// <summary>A request's manifest (a JSON array), or the one-file sidecar (an object) that data directories of
    /// earlier emulator versions hold; nothing when it is damaged, which loses its files rather than stopping.</summary>
    private static IReadOnlyList<StoredFile> ReadManifest(string path)
    {
        try
        {
            var text = File.ReadAllText(path);
            var list = text.TrimStart().StartsWith('[')
                ? JsonSerializer.Deserialize<List<StoredFile>>(text, s_sidecarJson)
                : JsonSerializer.Deserialize<StoredFile>(text, s_sidecarJson) is { } single ? [single] : null;
            return list is null ? [] : list.Where(f => f is not null).ToList();
        }
        catch (JsonException)
        {
            return [];
        }
    }

    private string ContentPath(StoredFile file) =>
        Path.Combine(_filesRoot, file.CompanyId.ToString("D"), file.Id.ToString("N") + ContentExtension);

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
    }
}
