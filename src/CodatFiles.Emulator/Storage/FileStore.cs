using System.Text.Json;

namespace CodatFiles.Emulator.Storage;

/// <summary>
/// Uploaded files on disk, two files per upload request: <c>files/&lt;companyId&gt;/&lt;requestId&gt;.pack</c> holding
/// the request's files one after another, and <c>&lt;requestId&gt;.json</c>, its manifest, listing each file with its
/// offset in the pack; plus an in-memory index rebuilt from the manifests at start, so a restart on the same
/// directory keeps the files. Two files per request rather than one or two per uploaded file: creating files is most
/// of what storing small uploads costs (the file system's inode allocation took half the emulator's CPU with a file
/// each), and the manifest, written last, makes a request count whole or not at all. Data directories of earlier
/// versions (<c>&lt;id&gt;.bin</c> per file, with a manifest or a one-file sidecar) still load.
/// </summary>
internal sealed class FileStore
{
    private const string ContentExtension = ".bin";
    private const string PackExtension = ".pack";
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
    /// Moves the request's staged pack into the store and writes its manifest, as one unit: if any step fails, the
    /// pack is removed again, so a request stores all of its files or none.
    /// </summary>
    public async Task CommitAsync(Guid companyId, Guid connectionId, string sourceType, DateTimeOffset uploaded,
        string packPath, IReadOnlyList<StagedFile> staged, CancellationToken cancellationToken)
    {
        var companyFolder = Path.Combine(_filesRoot, companyId.ToString("D"));
        Directory.CreateDirectory(companyFolder);

        var requestId = Guid.NewGuid().ToString("N");
        var pack = requestId + PackExtension;
        var storedPack = Path.Combine(companyFolder, pack);
        var manifestPath = Path.Combine(companyFolder, requestId + SidecarExtension);
        var committed = new List<StoredFile>(staged.Count);
        foreach (var part in staged)
        {
            committed.Add(new StoredFile(Guid.NewGuid(), companyId, connectionId, part.FileName, sourceType,
                uploaded, Interlocked.Increment(ref _lastSequence), part.Length, pack, part.Offset));
        }

        try
        {
            File.Move(packPath, storedPack);
            // The manifest is written last: a pack without a manifest is ignored at load, never half-listed.
            await using var manifest = File.Create(manifestPath);
            await JsonSerializer.SerializeAsync(manifest, committed, s_sidecarJson, cancellationToken);
        }
        catch
        {
            TryDelete(manifestPath);
            TryDelete(storedPack);
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

    /// <summary>The file's content: its slice of its request's pack, or its own file in an earlier version's layout.</summary>
    public Stream OpenRead(StoredFile file)
    {
        var stream = new FileStream(ContentPath(file), FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete,
            bufferSize: 81920, useAsync: true);
        if (file.Pack is null) return stream;
        stream.Position = file.Offset;
        return new StreamSlice(stream, file.Length);
    }

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
    private static List<StoredFile> ReadManifest(string path)
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
        Path.Combine(_filesRoot, file.CompanyId.ToString("D"), file.Pack is { } pack
            ? Path.GetFileName(pack) // a name the store made; GetFileName keeps a damaged manifest inside the folder
            : file.Id.ToString("N") + ContentExtension);

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
