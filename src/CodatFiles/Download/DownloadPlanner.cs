using System;
using System.Collections.Generic;
using System.Globalization;

namespace CodatFiles.Download
{
    /// <summary>A file the user asked for by name (typically piped from Get-CodatFileList).</summary>
    internal sealed class FileSelection
    {
        public FileSelection(string fileName, string? sourceType, DateTime? uploadedUtc)
        {
            FileName = fileName;
            SourceType = string.IsNullOrWhiteSpace(sourceType) ? null : sourceType;
            UploadedUtc = uploadedUtc;
        }

        public string FileName { get; }

        /// <summary>The archive folder the file is in; null matches any folder.</summary>
        public string? SourceType { get; }

        public DateTime? UploadedUtc { get; }

        public string Describe() => SourceType == null ? FileName : SourceType + "/" + FileName;
    }

    /// <summary>One download request: a company's archive, optionally of one UTC day, and which of its files to keep.</summary>
    internal sealed class DownloadJob
    {
        public DownloadJob(Guid companyId, DateTime? day)
        {
            CompanyId = companyId;
            Day = day;
        }

        public Guid CompanyId { get; }

        /// <summary>The UTC calendar day (Kind Utc, midnight), or null for every file of the company.</summary>
        public DateTime? Day { get; }

        /// <summary>The files to keep; null keeps the whole archive.</summary>
        public List<FileSelection>? Selections { get; set; }

        /// <summary>&lt;companyId&gt;[_&lt;yyyy-MM-dd&gt;].zip, the name used with -AsArchive.</summary>
        public string ArchiveFileName =>
            CompanyId.ToString("D") + (Day is DateTime day ? "_" + day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : string.Empty) + ".zip";

        public string Describe() =>
            $"files of company {CompanyId}" +
            (Day is DateTime day ? " uploaded on " + day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : string.Empty);
    }

    /// <summary>
    /// Collects what Save-CodatFiles was asked for across all input records and turns it into as few downloads
    /// as possible: one per (company, UTC day), the whole archive when any record asked for all of it.
    /// </summary>
    internal sealed class DownloadPlanner
    {
        private readonly Dictionary<(Guid Company, DateTime? Day), DownloadJob> _jobs = new Dictionary<(Guid Company, DateTime? Day), DownloadJob>();
        private readonly List<DownloadJob> _order = new List<DownloadJob>();

        public IReadOnlyList<DownloadJob> Jobs => _order;

        /// <summary>Every file of the company (of the day, when given).</summary>
        public void AddWholeArchive(Guid companyId, DateTime? day)
        {
            GetOrAdd(companyId, day).Selections = null;
        }

        /// <summary>
        /// One file; ignored when its archive is already wanted whole. Not de-duplicated: two list items with the
        /// same name, folder and upload second are two files (Codat stores both), and each needs its own entry.
        /// </summary>
        public void AddFile(Guid companyId, DateTime? day, FileSelection selection)
        {
            var existed = _jobs.ContainsKey((companyId, day));
            var job = GetOrAdd(companyId, day);
            if (existed && job.Selections == null) return;
            (job.Selections ??= new List<FileSelection>()).Add(selection);
        }

        /// <summary>The UTC calendar day of a -Date value: the date as written, whatever its kind.</summary>
        public static DateTime DayOf(DateTime date) => DateTime.SpecifyKind(date.Date, DateTimeKind.Utc);

        /// <summary>The UTC calendar day of an upload time; a time without zone is already UTC (as Codat and Get-CodatFileList give it).</summary>
        public static DateTime UtcDayOf(DateTime uploaded) =>
            DateTime.SpecifyKind((uploaded.Kind == DateTimeKind.Local ? uploaded.ToUniversalTime() : uploaded).Date, DateTimeKind.Utc);

        private DownloadJob GetOrAdd(Guid companyId, DateTime? day)
        {
            if (!_jobs.TryGetValue((companyId, day), out var job))
            {
                job = new DownloadJob(companyId, day) { Selections = new List<FileSelection>() };
                _jobs.Add((companyId, day), job);
                _order.Add(job);
            }
            return job;
        }
    }
}
