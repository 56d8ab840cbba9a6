using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using CodatFiles.Client;
using CodatFiles.Errors;
using CodatFiles.Pipeline;

namespace CodatFiles.Download
{
    /// <summary>
    /// Save-CodatFiles' plan, record by record: turns each <see cref="SaveRequest"/> into the steps to confirm
    /// and, once confirmed, into the <see cref="DownloadPlanner"/> (or the list of archives to keep with
    /// -AsArchive). A company's file list is read at most once per call, when a step first needs it.
    /// </summary>
    internal sealed class SavePlan
    {
        private readonly bool _asArchive;
        private readonly Func<Guid, IReadOnlyList<CodatFile>?> _listFiles;
        private readonly DownloadPlanner _planner = new DownloadPlanner();
        private readonly List<DownloadJob> _archives = new List<DownloadJob>();
        private readonly HashSet<(Guid Company, DateTime? Day, string Destination)> _offeredArchives = new HashSet<(Guid Company, DateTime? Day, string Destination)>();
        private readonly HashSet<(Guid Company, int Rank)> _offeredFiles = new HashSet<(Guid Company, int Rank)>();
        private readonly Dictionary<Guid, CompanyFileCatalog?> _catalogs = new Dictionary<Guid, CompanyFileCatalog?>();

        private readonly LocalCopies? _copies;

        /// <summary>
        /// <paramref name="listFiles"/> lists a company's files in upload order; null when that failed (and was
        /// reported). <paramref name="copies"/> tells which files the destination lacks; null with -AsArchive.
        /// </summary>
        public SavePlan(LocalCopies? copies, Func<Guid, IReadOnlyList<CodatFile>?> listFiles)
        {
            _asArchive = copies == null;
            _copies = copies;
            _listFiles = listFiles;
        }

        /// <summary>The downloads to run at the end of input.</summary>
        public IReadOnlyList<DownloadJob> Jobs() => _asArchive ? _archives : _planner.Jobs();

        /// <summary>The steps of one record, produced one by one (a step may list the company's files when reached).</summary>
        public IEnumerable<SaveStep> StepsFor(SaveRequest request)
        {
            if (_asArchive)
            {
                // The archive holds the whole day; a piped file only tells which day.
                var step = ArchiveStep(request.CompanyId, request.File != null && request.UploadDay != null ? request.UploadDay : request.Day, request.Destination);
                return step == null ? Enumerable.Empty<SaveStep>() : new[] { step };
            }
            if (request.File != null) return FileSteps(request.CompanyId, request.File, request.Destination);
            if (request.Day is DateTime day) return WholeDayStep(request.CompanyId, day, request.Destination);
            return WholeCompanyStep(request.CompanyId, request.Destination);
        }

        private SaveStep? ArchiveStep(Guid companyId, DateTime? day, string destination)
        {
            // Piped files of one day share one archive: it is offered once, whatever the answer was.
            if (!_offeredArchives.Add((companyId, day, destination))) return null;
            var job = new DownloadJob(companyId, day, destination: destination);
            // The archive is the one output: declined, it counts as one file skipped.
            return SaveStep.ToConfirm(Path.Combine(destination, job.ArchiveFileName), $"Save the {job.Describe()} as an archive", () =>
            {
                _archives.Add(job);
                return null;
            }, fileCount: 1);
        }

        private IEnumerable<SaveStep> WholeCompanyStep(Guid companyId, string destination)
        {
            // Listed first, also under -WhatIf, for which files the destination lacks and how many files a declined
            // step skips, and for the upload times and source types of the saved files (the archive's own times are
            // local times with two-second steps). When listing failed, that error (an unknown company, a refused key)
            // is the company's one error: the download of the same company with the same key is not tried.
            var catalog = CatalogOf(companyId);
            if (catalog == null) yield break;
            var missing = catalog.Files.Where(file => _copies!.NeedsDownload(file, destination)).ToList();
            var whole = new DownloadJob(companyId, null).Describe();
            if (missing.Count == 0 && catalog.Files.Count > 0)
            {
                yield return SaveStep.Note($"The {Counted.Files(catalog.Files.Count)} of company {companyId} are in '{destination}' already; nothing to download.");
                yield break;
            }
            var action = missing.Count == catalog.Files.Count ? $"Save the {whole}" : $"Save {missing.Count} of the {whole} (the other {catalog.Files.Count - missing.Count} are saved already)";
            yield return SaveStep.ToConfirm(destination, action, () =>
            {
                // Every file missing: the whole-company archive, one request. Some: only the days that hold them.
                if (missing.Count == catalog.Files.Count) _planner.AddWholeCompany(companyId, catalog, destination);
                else _planner.AddFiles(catalog, missing, destination);
                return null;
            }, fileCount: missing.Count);
        }

        private IEnumerable<SaveStep> WholeDayStep(Guid companyId, DateTime day, string destination)
        {
            // A day's archive numbers repeated names within that day only; the list gives each file its
            // whole-company name, so saving day after day into one folder never clashes.
            var catalog = CatalogOf(companyId);
            if (catalog == null) yield break;
            var files = catalog.UploadedOn(day).ToList();
            var missing = files.Where(file => _copies!.NeedsDownload(file, destination)).ToList();
            var ofDay = new DownloadJob(companyId, day).Describe();
            if (files.Count > 0 && missing.Count == 0)
            {
                yield return SaveStep.Note($"The {Counted.Files(files.Count)} of the {ofDay} are in '{destination}' already; nothing to download.");
                yield break;
            }
            yield return SaveStep.ToConfirm(destination, missing.Count == files.Count ? $"Save the {ofDay}" : $"Save {missing.Count} of the {ofDay}", () =>
            {
                _planner.AddFiles(catalog, missing, destination);
                // Nothing is downloaded for an empty day, so say why the command ends with no output.
                return files.Count == 0 ? $"Company {companyId} has no files uploaded on {CodatTimes.FormatDay(day)} (UTC); nothing to save." : null;
            }, fileCount: missing.Count);
        }

        private IEnumerable<SaveStep> FileSteps(Guid companyId, FileSelection selection, string destination)
        {
            var catalog = CatalogOf(companyId);
            if (catalog == null) yield break;

            // Files offered already (whatever the answer, -WhatIf included) are passed over, so the second record of
            // two uploads with one name in one second means the second file, and -WhatIf names its real target.
            var files = catalog.Find(selection, WasOffered);
            if (files.Count == 0)
            {
                yield return SaveStep.Failed(ErrorRecordFactory.FileNotInArchive(selection.Describe(), companyId));
                yield break;
            }
            foreach (var file in files)
            {
                var askedAlready = WasOffered(file);
                _offeredFiles.Add((companyId, file.Rank));
                if (askedAlready || !_copies!.NeedsDownload(file, destination)) continue;
                var target = LocalCopies.PathOf(file, destination);
                yield return SaveStep.ToConfirm(target, $"Save Codat file '{file.Describe()}' of company {companyId}", () =>
                {
                    _planner.AddFiles(catalog, new[] { file }, destination);
                    return null;
                }, fileCount: 1);
            }
        }

        /// <summary>True once the file was offered for confirmation or planned (its whole day was asked for).</summary>
        private bool WasOffered(CatalogFile file) => _planner.IsPlanned(file) || _offeredFiles.Contains((file.CompanyId, file.Rank));

        /// <summary>The company's catalog, listed once per call; its order decides each file's entry names. Null when listing failed.</summary>
        private CompanyFileCatalog? CatalogOf(Guid companyId)
        {
            if (_catalogs.TryGetValue(companyId, out var known)) return known;
            var listed = _listFiles(companyId);
            var catalog = listed == null ? null : new CompanyFileCatalog(companyId, listed);
            _catalogs.Add(companyId, catalog);
            return catalog;
        }
    }
}
