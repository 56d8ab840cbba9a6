using System;
using System.Collections.Generic;

namespace CodatFiles.Client
{
    /// <summary>
    /// What a company is known to hold under each file name, for telling whether an upload attempt that got no
    /// answer stored its files: the company's list taken at the start of the caller's work, plus every upload the
    /// client has confirmed since (an answered 200, or an entry the client found and credited). Give one instance
    /// per company to every upload call of that work through <see cref="CodatCallOptions.UploadBaseline"/>; the
    /// client adds to it as it confirms uploads. Thread-safe.
    /// </summary>
    /// <remarks>
    /// After an attempt with no answer the client lists the company's files and credits a file as stored only when
    /// its name now has more entries than this baseline expects, and one of them was uploaded after the attempt
    /// began (on Codat's clock). The count is what tells the call's own earlier uploads of a name apart from a new
    /// one, so a caller should never have two uploads of one name for one company unanswered at once. A name whose
    /// earlier attempt was re-sent unproven (it may be stored twice, or land late) is never credited again in this
    /// baseline: its count can no longer be trusted.
    /// </remarks>
    public sealed class CodatUploadBaseline
    {
        private readonly object _gate = new object();
        private readonly Dictionary<string, int> _expected = new Dictionary<string, int>(StringComparer.Ordinal);
        private readonly HashSet<string> _inDoubt = new HashSet<string>(StringComparer.Ordinal);

        /// <summary>Starts from the company's files as listed before any upload of this work.</summary>
        public CodatUploadBaseline(IEnumerable<CodatFile> listedAtStart)
        {
            if (listedAtStart is null) throw new ArgumentNullException(nameof(listedAtStart));
            foreach (var file in listedAtStart)
            {
                if (file?.FileName is string name) _expected[name] = Expected(name) + 1;
            }
        }

        /// <summary>
        /// Starts from the company's entries per file name (exact, ordinal names), as counted from a list read
        /// before any upload of this work: for a caller that keeps counts rather than the listed files.
        /// </summary>
        public static CodatUploadBaseline FromCounts(IEnumerable<KeyValuePair<string, int>> entriesByName)
        {
            if (entriesByName is null) throw new ArgumentNullException(nameof(entriesByName));
            var baseline = new CodatUploadBaseline(Array.Empty<CodatFile>());
            foreach (var pair in entriesByName)
            {
                if (pair.Key is null || pair.Value < 0) throw new ArgumentException("Names must not be null, counts not negative.", nameof(entriesByName));
                if (pair.Value > 0) baseline._expected[pair.Key] = baseline.Expected(pair.Key) + pair.Value;
            }
            return baseline;
        }

        /// <summary>Entries of <paramref name="fileName"/> the company is known to hold.</summary>
        public int Expected(string fileName)
        {
            lock (_gate)
            {
                return _expected.TryGetValue(fileName, out var count) ? count : 0;
            }
        }

        /// <summary>Whether an unproven re-send of this name means no list can credit an upload of it any more.</summary>
        public bool IsInDoubt(string fileName)
        {
            lock (_gate)
            {
                return _inDoubt.Contains(fileName);
            }
        }

        /// <summary>Counts one more stored entry of <paramref name="fileName"/>: an upload confirmed since the list.</summary>
        public void AddConfirmed(string fileName)
        {
            lock (_gate)
            {
                _expected[fileName] = (_expected.TryGetValue(fileName, out var count) ? count : 0) + 1;
            }
        }

        /// <summary>Marks <paramref name="fileName"/> as possibly stored by an attempt that could not be proven.</summary>
        public void MarkInDoubt(string fileName)
        {
            lock (_gate)
            {
                _inDoubt.Add(fileName);
            }
        }
    }
}
