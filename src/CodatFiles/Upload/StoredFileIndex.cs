using System;
using System.Collections.Generic;
using CodatFiles.Client;
using CodatFiles.FileSystem;

namespace CodatFiles.Upload
{
    /// <summary>
    /// One company's stored files reduced to what a re-run needs, so a list of any size costs a few bytes per name:
    /// per exact name, how many entries (the lost-answer baseline counts those); per name in NFC, how many entries
    /// and the newest upload time (the re-run rule compares those with local files, whose names may be NFD).
    /// </summary>
    internal sealed class StoredFileIndex
    {
        private readonly Dictionary<string, int> _entriesByExactName = new Dictionary<string, int>(StringComparer.Ordinal);
        private readonly Dictionary<string, StoredName> _byNfcName = new Dictionary<string, StoredName>(StringComparer.Ordinal);

        /// <summary>Takes in one listed entry (entries without a name are not files a local file can match).</summary>
        public void Add(CodatFile file)
        {
            if (!(file.FileName is string name)) return;
            _entriesByExactName[name] = EntriesNamedExactly(name) + 1;
            var key = NfcName.Of(name);
            _byNfcName[key] = _byNfcName.TryGetValue(key, out var known) ? known.With(file.UploadedAt) : StoredName.First(name, file.UploadedAt);
        }

        /// <summary>Entries stored under exactly <paramref name="name"/> (ordinal).</summary>
        public int EntriesNamedExactly(string name) => _entriesByExactName.TryGetValue(name, out var count) ? count : 0;

        /// <summary>What the company holds under <paramref name="localName"/>, compared in NFC; null when nothing.</summary>
        public StoredName? Find(string localName) => _byNfcName.TryGetValue(NfcName.Of(localName), out var stored) ? stored : null;

        /// <summary>A new baseline for the client's lost-answer check, counting these entries.</summary>
        public CodatUploadBaseline ToBaseline() => CodatUploadBaseline.FromCounts(_entriesByExactName);
    }

    /// <summary>What a company holds under one name: how many entries, and the newest upload time Codat gave.</summary>
    internal sealed class StoredName
    {
        private StoredName(string name, int entries, DateTimeOffset? newestUploadedAt)
        {
            Name = name;
            Entries = entries;
            NewestUploadedAt = newestUploadedAt;
        }

        /// <summary>The name as Codat stores it (the first spelling listed).</summary>
        public string Name { get; }

        public int Entries { get; }

        /// <summary>The newest upload time among the entries, on Codat's clock; null when none has a readable one.</summary>
        public DateTimeOffset? NewestUploadedAt { get; }

        public static StoredName First(string name, DateTimeOffset? uploadedAt) =>
            new StoredName(name, 1, uploadedAt);

        public StoredName With(DateTimeOffset? uploadedAt) => new StoredName(Name, Entries + 1,
            uploadedAt > NewestUploadedAt || NewestUploadedAt is null ? uploadedAt ?? NewestUploadedAt : NewestUploadedAt);
    }
}
