using System;
using System.IO;
using System.Management.Automation;
using System.Runtime.CompilerServices;

namespace CodatFiles.Upload
{
    /// <summary>
    /// The company and connection a resolved upload file is bound for, as CompanyId and ConnectionId note
    /// properties on its FileInfo. Every upload error targets that FileInfo (a whole-call error, a list of them), so
    /// <c>$error.TargetObject | Send-CodatFile</c> binds -LiteralPath (FullName), -CompanyId and -ConnectionId by
    /// property name and sends each file again where it was going, also from a call to several companies. The
    /// resolver makes a new FileInfo for each input record, so one FileInfo is never bound for two companies.
    /// </summary>
    internal static class UploadTargetNotes
    {
        // The same facts for C# readers on any thread, without going through PowerShell's member lookup.
        private static readonly ConditionalWeakTable<FileInfo, Destination> Destinations = new ConditionalWeakTable<FileInfo, Destination>();

        /// <summary>Adds the notes (pipeline thread, before the file is handed to any worker); returns the file.</summary>
        public static FileInfo Attach(FileInfo file, Guid companyId, Guid connectionId)
        {
            var wrapped = PSObject.AsPSObject(file);
            wrapped.Properties.Add(new PSNoteProperty("CompanyId", companyId));
            wrapped.Properties.Add(new PSNoteProperty("ConnectionId", connectionId));
            Destinations.Remove(file);
            Destinations.Add(file, new Destination(companyId, connectionId));
            return file;
        }

        /// <summary>The company the file is bound for; null for a FileInfo that was not given one.</summary>
        public static Guid? CompanyOf(FileInfo file) => Destinations.TryGetValue(file, out var destination) ? destination.CompanyId : (Guid?)null;

        private sealed class Destination
        {
            public Destination(Guid companyId, Guid connectionId)
            {
                CompanyId = companyId;
                ConnectionId = connectionId;
            }

            public Guid CompanyId { get; }

            public Guid ConnectionId { get; }
        }
    }
}
