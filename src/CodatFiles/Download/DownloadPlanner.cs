using System;
using System.Collections.Generic;
using System.Linq;

namespace CodatFiles.Download
{
    /// <summary>
    /// Collects what Save-CodatFiles is to extract across all input records and turns it into as few downloads as
    /// possible, taking each file from exactly one archive so no file is written twice: one per (company, UTC day),
    /// or only the whole-company archive when that was asked for (it holds every file of the company). Requests for
    /// one company into two destination folders are planned apart.
    /// </summary>
    internal sealed class DownloadPlanner
    {
        private readonly Dictionary<(Guid Company, string Destination), CompanyRequest> _companies = new Dictionary<(Guid Company, string Destination), CompanyRequest>();
        private readonly HashSet<(Guid Company, int Rank)> _planned = new HashSet<(Guid Company, int Rank)>();
        private readonly List<CompanyRequest> _order = new List<CompanyRequest>();

        /// <summary>Every file of the company, as the whole-company archive names them; the catalog (null when listing failed) tells what each is.</summary>
        public void AddWholeCompany(Guid companyId, CompanyFileCatalog? catalog, string destination)
        {
            var request = GetOrAdd(companyId, destination);
            request.WholeCompany = true;
            request.Catalog ??= catalog;
        }

        /// <summary>Listed files of a company (one piped file, or every file of a -Date day).</summary>
        public void AddFiles(CompanyFileCatalog catalog, IEnumerable<CatalogFile> files, string destination)
        {
            var request = GetOrAdd(catalog.CompanyId, destination);
            request.Catalog = catalog;
            foreach (var file in files)
            {
                request.Files[file.Rank] = file;
                _planned.Add((file.CompanyId, file.Rank));
            }
        }

        /// <summary>True when the file is planned already (the same record piped twice, or its day asked for whole).</summary>
        public bool IsPlanned(CatalogFile file) => _planned.Contains((file.CompanyId, file.Rank));

        public IReadOnlyList<DownloadJob> Jobs()
        {
            var jobs = new List<DownloadJob>();
            foreach (var request in _order)
            {
                if (request.WholeCompany)
                {
                    jobs.Add(DownloadJob.WholeCompany(request.CompanyId, request.Catalog, request.Destination));
                }
                else if (request.Files.Values.Any(file => file.UploadDay == null))
                {
                    // A file without a known upload day is only found in the whole-company archive; take all from there.
                    jobs.Add(JobFor(request, null, request.Files.Values));
                }
                else
                {
                    jobs.AddRange(request.Files.Values
                        .GroupBy(file => file.UploadDay!.Value)
                        .OrderBy(day => day.Key)
                        .Select(day => JobFor(request, day.Key, day)));
                }
            }
            return jobs;
        }

        private static DownloadJob JobFor(CompanyRequest request, DateTime? day, IEnumerable<CatalogFile> files) =>
            new DownloadJob(request.CompanyId, day, files.Select(file => request.Catalog!.TargetIn(day, file)).ToList(), request.Catalog, request.Destination);

        private CompanyRequest GetOrAdd(Guid companyId, string destination)
        {
            if (!_companies.TryGetValue((companyId, destination), out var request))
            {
                request = new CompanyRequest(companyId, destination);
                _companies.Add((companyId, destination), request);
                _order.Add(request);
            }
            return request;
        }

        private sealed class CompanyRequest
        {
            public CompanyRequest(Guid companyId, string destination)
            {
                CompanyId = companyId;
                Destination = destination;
            }

            public Guid CompanyId { get; }

            public string Destination { get; }

            public bool WholeCompany { get; set; }

            public CompanyFileCatalog? Catalog { get; set; }

            /// <summary>By rank: a file is planned once however often it is asked for.</summary>
            public SortedDictionary<int, CatalogFile> Files { get; } = new SortedDictionary<int, CatalogFile>();
        }
    }
}
