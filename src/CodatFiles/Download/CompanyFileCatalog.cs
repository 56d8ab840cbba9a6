using System;
using System.Collections.Generic;
using System.Linq;
using CodatFiles.Client;
using CodatFiles.FileSystem;

namespace CodatFiles.Download
{
    /// <summary>One file of a company's list, with what its place in the upload order decides.</summary>
    internal sealed class CatalogFile
    {
        public CatalogFile(Guid companyId, int rank, CodatFile file, string wholeArchiveName, string localPath)
        {
            LocalPath = localPath;
            CompanyId = companyId;
            Rank = rank;
            FileName = file.FileName;
            SourceType = file.SourceType;
            UploadedUtc = CodatTimes.UploadTimeInUtc(file.UploadedAt);
            UploadDay = UploadedUtc is DateTime uploaded ? CodatTimes.DayOfUpload(uploaded) : (DateTime?)null;
            WholeArchiveName = wholeArchiveName;
        }

        public Guid CompanyId { get; }

        /// <summary>Position in the company's upload order (0 = first upload).</summary>
        public int Rank { get; }

        public string? FileName { get; }

        public string? SourceType { get; }

        public DateTime? UploadedUtc { get; }

        /// <summary>The UTC day whose archive holds the file; null when Codat sent no parsable time.</summary>
        public DateTime? UploadDay { get; }

        /// <summary>
        /// The entry name in the archive of all the company's files, e.g. <c>Accounting/v (2).csv</c>. It is the
        /// file's path under -DestinationPath whichever archive it is taken from, so that each file has one name
        /// however it is saved, and two files never get the same one.
        /// </summary>
        public string WholeArchiveName { get; }

        /// <summary>
        /// Where the file is saved under -DestinationPath ('/'-separated): <see cref="WholeArchiveName"/> as
        /// <see cref="LocalNamer"/> makes it valid and unique on the local file system.
        /// </summary>
        public string LocalPath { get; }

        /// <summary>True when the local name is not the name Codat stores (a character or name the system cannot hold, or a collision).</summary>
        public bool IsRenamedLocally =>
            !string.Equals(LocalPath.Substring(LocalPath.LastIndexOf('/') + 1), FileName, StringComparison.Ordinal);

        public string Describe() =>
            (SourceType == null ? FileName : SourceType + "/" + FileName) +
            (UploadedUtc is DateTime uploaded ? " uploaded " + CodatTimes.FormatUtc(uploaded) : string.Empty);
    }

    /// <summary>
    /// A company's files as Get-CodatFileList lists them, in upload order. That order fixes every entry name:
    /// the name in the whole-company archive, and the (differently numbered) name in each day's archive.
    /// </summary>
    internal sealed class CompanyFileCatalog
    {
        private readonly Dictionary<DateTime, Dictionary<int, ArchiveTarget>> _dayArchives = new Dictionary<DateTime, Dictionary<int, ArchiveTarget>>();
        private readonly Dictionary<int, ArchiveTarget> _wholeArchive;

        /// <summary><paramref name="rules"/> decide the local names (default: the running system's).</summary>
        public CompanyFileCatalog(Guid companyId, IReadOnlyList<CodatFile> filesInUploadOrder, LocalNameRules? rules = null)
        {
            CompanyId = companyId;
            var namer = new ArchiveEntryNamer();
            var localNamer = new LocalNamer(rules ?? LocalNameRules.Current);
            Files = filesInUploadOrder
                .Select((file, rank) =>
                {
                    var wholeArchiveName = namer.NameFor(file.SourceType, file.FileName);
                    return new CatalogFile(companyId, rank, file, wholeArchiveName, localNamer.PathFor(wholeArchiveName));
                })
                .ToList();
            _wholeArchive = Layout(Files);
        }

        public Guid CompanyId { get; }

        public IReadOnlyList<CatalogFile> Files { get; }

        public IEnumerable<CatalogFile> UploadedOn(DateTime day) => Files.Where(file => file.UploadDay == day);

        /// <summary>The file as the archive of <paramref name="day"/> (null: the whole-company archive) holds it.</summary>
        public ArchiveTarget TargetIn(DateTime? day, CatalogFile file)
        {
            var archive = _wholeArchive;
            if (day != null && !_dayArchives.TryGetValue(day.Value, out archive))
            {
                // A day's archive numbers repeats among that day's files only.
                archive = Layout(UploadedOn(day.Value));
                _dayArchives.Add(day.Value, archive);
            }
            return archive.TryGetValue(file.Rank, out var target)
                ? target
                : throw new ArgumentException($"'{file.Describe()}' was not uploaded on {CodatTimes.FormatDay(day!.Value)}.", nameof(file));
        }

        /// <summary>Each file of one archive (given in upload order) as that archive holds it, by rank.</summary>
        private static Dictionary<int, ArchiveTarget> Layout(IEnumerable<CatalogFile> filesOfArchive)
        {
            var namer = new ArchiveEntryNamer();
            var seen = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
            var layout = new Dictionary<int, ArchiveTarget>();
            foreach (var file in filesOfArchive)
            {
                var name = ArchiveEntryNamer.SafeSegment(file.FileName);
                seen.TryGetValue(name, out var before);
                seen[name] = before + 1;
                layout.Add(file.Rank, new ArchiveTarget(file, namer.NameFor(file.SourceType, file.FileName), before));
            }
            return layout;
        }

        /// <summary>
        /// The listed files an input record means. With an upload time, one file: the first not yet planned of those
        /// with that name, folder and second (two uploads in one second are two files, piped as two records), or an
        /// already planned one when the same record comes twice. Without, every upload of that name (on its day).
        /// </summary>
        public IReadOnlyList<CatalogFile> Find(FileSelection selection, Func<CatalogFile, bool> isPlanned)
        {
            var candidates = Files.Where(selection.Matches).ToList();
            if (selection.UploadedUtc == null) return candidates;
            var file = candidates.FirstOrDefault(f => !isPlanned(f)) ?? candidates.FirstOrDefault();
            return file == null ? Array.Empty<CatalogFile>() : new[] { file };
        }
    }
}
