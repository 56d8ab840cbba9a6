using System;
using System.Collections.Generic;
using System.Linq;

namespace CodatFiles.Client.Internal
{
    /// <summary>
    /// Tracks one upload call's files across attempts so that an attempt with an unknown outcome (its whole body
    /// sent, then no answer) is not simply re-sent: before the next attempt the company's files are listed once,
    /// and the files that now appear under their name, uploaded at or after the attempt began, are dropped from
    /// the batch. Codat keeps no idempotency key, so name and upload time are all there is to go by.
    /// </summary>
    internal sealed class AmbiguousUploads
    {
        /// <summary>
        /// How far Codat's clock may be behind ours: a file stamped up to this long before the attempt began still
        /// counts as stored by it. Codat stamps whole seconds, so even equal clocks need some allowance.
        /// </summary>
        public static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(2);

        private readonly List<string> _foundStored = new List<string>();
        private DateTimeOffset? _unknownOutcomeSince;
        private int _unknownOutcomeAttempt;

        public AmbiguousUploads(IReadOnlyList<UploadFile> files)
        {
            Pending = files;
        }

        /// <summary>The files the next attempt sends.</summary>
        public IReadOnlyList<UploadFile> Pending { get; private set; }

        /// <summary>Files not re-sent because a list showed them stored by an earlier attempt of this call.</summary>
        public IReadOnlyList<string> FoundStored => _foundStored;

        /// <summary>Whether the last attempt's outcome is unknown, so the next one must list first.</summary>
        public bool MustCheckBeforeResending => _unknownOutcomeSince != null;

        /// <summary>The attempt that began at <paramref name="began"/> sent its whole body and then failed without an answer.</summary>
        public void OutcomeUnknown(int attempt, DateTimeOffset began)
        {
            _unknownOutcomeSince = began;
            _unknownOutcomeAttempt = attempt;
        }

        /// <summary>Drops from <see cref="Pending"/> what <paramref name="listed"/> shows stored since the unknown attempt began.</summary>
        public CodatAmbiguousAttempt Resolve(IReadOnlyList<CodatFile> listed)
        {
            var since = _unknownOutcomeSince!.Value - ClockSkew;
            // Each listed file accounts for at most one pending file of its name (two inputs may share a name).
            var storedByName = listed
                .Where(f => f.FileName != null && f.UploadedAt is DateTimeOffset at && at >= since)
                .GroupBy(f => f.FileName!, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);

            var resend = new List<UploadFile>();
            var stored = new List<string>();
            foreach (var file in Pending)
            {
                if (storedByName.TryGetValue(file.FileName, out var left) && left > 0)
                {
                    storedByName[file.FileName] = left - 1;
                    stored.Add(file.FileName);
                }
                else
                {
                    resend.Add(file);
                }
            }

            _foundStored.AddRange(stored);
            return Finish(stored, resend, null);
        }

        /// <summary>The list failed: every pending file is re-sent, and may end up stored twice.</summary>
        public CodatAmbiguousAttempt ListFailed(string reason) => Finish(new List<string>(), Pending.ToList(), reason);

        private CodatAmbiguousAttempt Finish(List<string> stored, List<UploadFile> resend, string? listFailure)
        {
            var report = new CodatAmbiguousAttempt(_unknownOutcomeAttempt, stored.AsReadOnly(),
                resend.Select(f => f.FileName).ToList().AsReadOnly(), listFailure);
            Pending = resend.AsReadOnly();
            _unknownOutcomeSince = null;
            return report;
        }
    }
}
