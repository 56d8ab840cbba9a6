using System;

namespace CodatFiles.Upload
{
    /// <summary>How Send-CodatFile treats a file whose name the company already holds.</summary>
    internal enum ReRunMode
    {
        /// <summary>The default: send new names and local files newer than the newest stored entry of their name.</summary>
        SendNewer,

        /// <summary>-SkipExisting: never send a name the company holds, whatever the times (newer files are warned about).</summary>
        SkipStoredNames,

        /// <summary>-Force: send every file.</summary>
        SendAll,
    }

    /// <summary>What the rule says of one local file.</summary>
    internal enum ReRunVerdict
    {
        /// <summary>The company holds no file of that name.</summary>
        SendNew,

        /// <summary>Written more than the tie band after the newest stored entry of its name.</summary>
        SendNewer,

        /// <summary>The name is stored, but no entry has an upload time to compare with: sent, with a warning.</summary>
        SendTimeUnknown,

        /// <summary>-Force: the name is stored, and the file is sent anyway.</summary>
        SendForced,

        /// <summary>Not written later than the newest stored entry plus the tie band: already stored.</summary>
        SkipStored,

        /// <summary>-SkipExisting: the name is stored and the file looks newer; not sent, with a warning.</summary>
        SkipStoredNameNewer,
    }

    /// <summary>
    /// The re-run rule of Send-CodatFile, azcopy's --overwrite=ifSourceNewer: a local file is newer than what Codat
    /// holds only when its last write time, on Codat's clock, is more than <see cref="TieBand"/> after the newest
    /// upload time of its name. Codat's upload times have whole seconds and the server-clock estimate is good to
    /// about a second, so inside the band the file counts as stored: a file exported and uploaded in the same second
    /// is not sent again on the re-run.
    /// </summary>
    internal static class ReRunRule
    {
        public static readonly TimeSpan TieBand = TimeSpan.FromSeconds(2);

        /// <param name="stored">What the company holds under the file's name; null when nothing.</param>
        /// <param name="lastWriteOnServerClock">The local file's last write time, converted to Codat's clock.</param>
        /// <param name="mode">The call's mode.</param>
        public static ReRunVerdict Decide(StoredName? stored, DateTimeOffset lastWriteOnServerClock, ReRunMode mode)
        {
            if (stored is null) return ReRunVerdict.SendNew;
            if (mode == ReRunMode.SendAll) return ReRunVerdict.SendForced;

            var newer = stored.NewestUploadedAt is DateTimeOffset newest ? lastWriteOnServerClock > newest + TieBand : (bool?)null;
            if (mode == ReRunMode.SkipStoredNames) return newer == true ? ReRunVerdict.SkipStoredNameNewer : ReRunVerdict.SkipStored;
            return newer switch
            {
                null => ReRunVerdict.SendTimeUnknown,
                true => ReRunVerdict.SendNewer,
                false => ReRunVerdict.SkipStored,
            };
        }

        public static bool Sends(this ReRunVerdict verdict) =>
            verdict == ReRunVerdict.SendNew || verdict == ReRunVerdict.SendNewer || verdict == ReRunVerdict.SendTimeUnknown || verdict == ReRunVerdict.SendForced;
    }
}
