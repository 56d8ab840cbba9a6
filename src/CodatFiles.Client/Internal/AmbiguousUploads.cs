using System;
using System.Collections.Generic;
using System.Linq;

namespace CodatFiles.Client.Internal
{
    /// <summary>
    /// Tracks one upload call's files across attempts so that an attempt with an unknown outcome (its whole body
    /// sent, then no answer, or a 500, 502 or 504 that a gateway may give while Codat commits) is not simply
    /// re-sent: before the next attempt the company's files are listed once, and a file is dropped from the batch
    /// only when the list proves it stored (<see cref="Resolve"/>). Codat keeps no idempotency key and no file id,
    /// so counts per name and upload times on Codat's clock are all there is to go by.
    /// </summary>
    internal sealed class AmbiguousUploads
    {
        /// <summary>
        /// Codat stamps whole seconds: an entry stored in the second the attempt began may read up to this much
        /// earlier than the attempt's start, so entries that much older still count as possibly the attempt's.
        /// </summary>
        public static readonly TimeSpan StampResolution = TimeSpan.FromSeconds(1);

        private readonly List<string> _foundStored = new List<string>();
        private readonly CodatUploadBaseline? _baseline;
        private readonly ServerClock _clock;
        private DateTimeOffset? _unknownOutcomeSince;
        private int _unknownOutcomeAttempt;

        public AmbiguousUploads(IReadOnlyList<UploadFile> files, CodatUploadBaseline? baseline, ServerClock clock)
        {
            Pending = files;
            _baseline = baseline;
            _clock = clock;
        }

        /// <summary>The files the next attempt sends.</summary>
        public IReadOnlyList<UploadFile> Pending { get; private set; }

        /// <summary>Files not re-sent because a list proved them stored by an earlier attempt of this call.</summary>
        public IReadOnlyList<string> FoundStored => _foundStored;

        /// <summary>The newest upload time (Codat's clock) of the entries credited to this call's files.</summary>
        public DateTimeOffset? FoundStoredAt { get; private set; }

        /// <summary>Whether the last attempt's outcome is unknown, so the next one must list first.</summary>
        public bool MustCheckBeforeResending => _unknownOutcomeSince != null;

        /// <summary>The attempt that began at <paramref name="began"/> (our clock) sent its whole body and got no usable answer.</summary>
        public void OutcomeUnknown(int attempt, DateTimeOffset began)
        {
            _unknownOutcomeSince = began;
            _unknownOutcomeAttempt = attempt;
        }

        /// <summary>The pending files were answered 200: each now counts as stored in the baseline.</summary>
        public void Confirmed()
        {
            foreach (var file in Pending) _baseline?.AddConfirmed(file.FileName);
        }

        /// <summary>
        /// Drops from <see cref="Pending"/> what <paramref name="listed"/> proves stored by the unknown attempt: per
        /// name, entries beyond the baseline's count (the evidence), each uploaded no earlier than the attempt's
        /// start on Codat's clock, less the stamp's resolution (time only excludes older entries by other writers).
        /// Without a baseline only the time is left to go by. Everything not proven is re-sent.
        /// </summary>
        public CodatAmbiguousAttempt Resolve(IReadOnlyList<CodatFile> listed)
        {
            var began = _clock.LatestServerTimeAt(_unknownOutcomeSince!.Value);
            var resend = new List<UploadFile>();
            var stored = new List<string>();
            foreach (var group in Pending.GroupBy(f => f.FileName, StringComparer.Ordinal))
            {
                var proven = began is DateTimeOffset start ? Proven(group.Key, listed, start) : 0;
                foreach (var file in group)
                {
                    if (proven-- > 0) stored.Add(file.FileName);
                    else resend.Add(file);
                }
            }

            foreach (var name in stored) _baseline?.AddConfirmed(name);
            foreach (var file in resend) _baseline?.MarkInDoubt(file.FileName);
            _foundStored.AddRange(stored);
            var doubt = resend.Count == 0 ? null
                : began is null ? "no answer from Codat carried a Date header, so its clock is unknown"
                : "the list shows no new entry of " + (resend.Count == 1 ? "its name" : "their names") + " uploaded since the attempt began";
            return Finish(stored, resend, null, doubt);
        }

        /// <summary>
        /// The call failed right after an attempt with an unknown outcome: the pending files may be stored, so their
        /// names are in doubt for the baseline from now on. Returns those names.
        /// </summary>
        public IReadOnlyList<string> GaveUpUnknown()
        {
            if (!MustCheckBeforeResending) return Array.Empty<string>();
            foreach (var file in Pending) _baseline?.MarkInDoubt(file.FileName);
            return Pending.Select(f => f.FileName).ToList().AsReadOnly();
        }

        /// <summary>The list failed: every pending file is re-sent, and may end up stored twice.</summary>
        public CodatAmbiguousAttempt ListFailed(string reason)
        {
            foreach (var file in Pending) _baseline?.MarkInDoubt(file.FileName);
            return Finish(new List<string>(), Pending.ToList(), reason, "listing the company's files to check failed: " + reason);
        }

        /// <summary>How many entries of <paramref name="name"/> in the list can be credited to the unknown attempt.</summary>
        private int Proven(string name, IReadOnlyList<CodatFile> listed, DateTimeOffset latestStart)
        {
            if (_baseline?.IsInDoubt(name) == true) return 0;
            var since = TruncateToSecond(latestStart) - StampResolution;
            var entries = listed.Where(f => string.Equals(f.FileName, name, StringComparison.Ordinal)).ToList();
            var recent = entries.Where(f => f.UploadedAt is DateTimeOffset at && at >= since).ToList();
            var beyondBaseline = _baseline is null ? recent.Count : entries.Count - _baseline.Expected(name);
            var proven = Math.Min(beyondBaseline, recent.Count);
            if (proven > 0)
            {
                var newest = recent.Max(f => f.UploadedAt!.Value);
                if (FoundStoredAt is null || newest > FoundStoredAt) FoundStoredAt = newest;
            }

            return Math.Max(proven, 0);
        }

        private static DateTimeOffset TruncateToSecond(DateTimeOffset time) =>
            new DateTimeOffset(time.UtcTicks - time.UtcTicks % TimeSpan.TicksPerSecond, TimeSpan.Zero);

        private CodatAmbiguousAttempt Finish(List<string> stored, List<UploadFile> resend, string? listFailure, string? doubt)
        {
            var report = new CodatAmbiguousAttempt(_unknownOutcomeAttempt, stored.AsReadOnly(),
                resend.Select(f => f.FileName).ToList().AsReadOnly(), listFailure, doubt);
            Pending = resend.AsReadOnly();
            _unknownOutcomeSince = null;
            return report;
        }
    }
}
