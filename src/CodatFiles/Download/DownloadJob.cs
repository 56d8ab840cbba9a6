using System;
using System.Collections.Generic;
using System.Linq;

namespace CodatFiles.Download
{
    /// <summary>One download: a company's archive, optionally of one UTC day, and which of its entries to write where.</summary>
    internal sealed class DownloadJob
    {
        public DownloadJob(Guid companyId, DateTime? day, IReadOnlyList<ArchiveTarget>? targets = null, CompanyFileCatalog? catalog = null,
            string destination = "")
        {
            Destination = destination;
            CompanyId = companyId;
            Day = day;
            Targets = targets;
            Catalog = catalog;
        }

        /// <summary>The full path of the folder the job saves into (its -DestinationPath).</summary>
        public string Destination { get; }

        /// <summary>The company's list the targets come from; null for -AsArchive.</summary>
        public CompanyFileCatalog? Catalog { get; }

        /// <summary>The whole-company archive, for files a day's archive lacked: each written where it was to go.</summary>
        public DownloadJob WholeCompanyFor(IEnumerable<CatalogFile> files) =>
            new DownloadJob(CompanyId, null, files.Select(file => Catalog!.TargetIn(null, file)).ToList(), Catalog, Destination);

        /// <summary>
        /// The whole-company archive, every entry written under its own name; <paramref name="catalog"/> (null when
        /// listing failed) tells what each entry is, by its whole-archive name.
        /// </summary>
        public static DownloadJob WholeCompany(Guid companyId, CompanyFileCatalog? catalog, string destination) =>
            new DownloadJob(companyId, null, destination: destination)
            {
                _facts = catalog?.Files.ToDictionary(file => file.WholeArchiveName, file => file, StringComparer.Ordinal),
                Listed = catalog?.Files.Select(file => catalog.TargetIn(null, file)).ToList(),
            };

        private Dictionary<string, CatalogFile>? _facts;

        /// <summary>
        /// For the whole-company archive: every file the list just read, as that archive holds it, so that each one
        /// the archive lacks is reported (CodatFiles.FileNotInArchive) as for piped files. Null otherwise.
        /// </summary>
        public IReadOnlyList<ArchiveTarget>? Listed { get; private set; }

        public Guid CompanyId { get; }

        /// <summary>The UTC calendar day (Kind Utc, midnight), or null for every file of the company.</summary>
        public DateTime? Day { get; }

        /// <summary>
        /// The files to write, in upload order, each saved under its <see cref="CatalogFile.WholeArchiveName"/>;
        /// null writes every entry under its own name (only right for the whole-company archive).
        /// </summary>
        public IReadOnlyList<ArchiveTarget>? Targets { get; }

        /// <summary>How many listed files the job stands for (0 when the list is not known).</summary>
        public int ListedFileCount => Targets?.Count ?? _facts?.Count ?? 0;

        /// <summary>
        /// For the whole-company archive, whose entries are written under their own names: the listed file an entry
        /// holds (its upload time and source type), or null when the list did not name it.
        /// </summary>
        public CatalogFile? FileAt(string entryName) =>
            _facts != null && _facts.TryGetValue(entryName, out var file) ? file : null;

        /// <summary>&lt;companyId&gt;[_&lt;yyyy-MM-dd&gt;].zip, the name used with -AsArchive.</summary>
        public string ArchiveFileName =>
            CompanyId.ToString("D") + (Day is DateTime day ? "_" + CodatTimes.FormatDay(day) : string.Empty) + ".zip";

        public string Describe() =>
            $"files of company {CompanyId}" +
            (Day is DateTime day ? " uploaded on " + CodatTimes.FormatDay(day) : string.Empty);
    }
}
