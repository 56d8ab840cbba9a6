using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using CodatFiles.Upload;

namespace CodatFiles.Pipeline
{
    /// <summary>
    /// The errors of one call grouped by error id and place, for the summary's "where the failures are": a file's
    /// folder and company (Send-CodatFile), the company (Save-CodatFiles), or a path. Thread-safe.
    /// </summary>
    internal sealed class FailureGroups
    {
        private readonly object _gate = new object();
        private readonly List<CodatFailureGroup> _groups = new List<CodatFailureGroup>();

        public void Add(ErrorRecord error, long files)
        {
            var id = ErrorIdOf(error);
            var place = PlaceOf(error.TargetObject);
            lock (_gate)
            {
                var group = _groups.FirstOrDefault(g => g.ErrorId == id && g.Location == place);
                if (group == null)
                {
                    group = new CodatFailureGroup(id, place);
                    _groups.Add(group);
                }
                group.Errors++;
                group.Files += files;
            }
        }

        /// <summary>The groups in the order their first error was written.</summary>
        public IReadOnlyList<CodatFailureGroup> ToList()
        {
            lock (_gate) return _groups.Select(g => g.Copy()).ToList();
        }

        /// <summary>The id the error was created with ("CodatFiles.Unauthorized"), without the command PowerShell appends.</summary>
        private static string ErrorIdOf(ErrorRecord error)
        {
            var id = error.FullyQualifiedErrorId ?? string.Empty;
            var comma = id.IndexOf(',');
            return comma < 0 ? id : id.Substring(0, comma);
        }

        /// <summary>
        /// Where an error's target is: a file's folder (and the company it was for, when it carries one), one folder
        /// or "n folders" for a list of files, "company &lt;id&gt;" for a company, the folder of a path; null when unknown.
        /// </summary>
        internal static string? PlaceOf(object? target)
        {
            switch (target)
            {
                case FileInfo file:
                    return WithCompany(file.DirectoryName, UploadTargetNotes.CompanyOf(file));
                case Guid company:
                    return "company " + company.ToString("D");
                case string path when Path.IsPathRooted(path):
                    return Path.GetDirectoryName(path) ?? path;
                case string name:
                    return name.Length == 0 ? null : name;
                case IEnumerable items:
                    var files = items.OfType<FileInfo>().ToList();
                    if (files.Count == 0) return null;
                    var folders = files.Select(f => f.DirectoryName).Distinct(StringComparer.Ordinal).ToList();
                    var companies = files.Select(UploadTargetNotes.CompanyOf).Distinct().ToList();
                    var where = folders.Count == 1 ? folders[0] : folders.Count + " folders";
                    return companies.Count == 1 ? WithCompany(where, companies[0]) : where + ", " + companies.Count + " companies";
                default:
                    return null;
            }
        }

        private static string? WithCompany(string? folder, Guid? company) =>
            company is Guid id ? $"{folder}, company {id:D}" : folder;
    }
}
