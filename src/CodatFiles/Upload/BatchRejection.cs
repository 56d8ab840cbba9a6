using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using CodatFiles.Client;

namespace CodatFiles.Upload
{
    /// <summary>
    /// The files of a batch that Codat's 400 named in its validation errors (their itemId is the uploaded file
    /// name). Codat stores a request whole or not at all, so the files it did not name were refused only
    /// because they shared the request with those.
    /// </summary>
    internal sealed class BatchRejection
    {
        private readonly ILookup<string, CodatErrorValidationItem> _reasonsByName;

        private BatchRejection(CodatApiException exception, IReadOnlyList<CodatErrorValidationItem> namedItems)
        {
            Exception = exception;
            // Ordinal: Codat echoes the name exactly as it was sent.
            _reasonsByName = namedItems.ToLookup(item => item.ItemId!, StringComparer.Ordinal);
            RejectedNames = namedItems.Select(item => item.ItemId!).Distinct(StringComparer.Ordinal).ToList();
            Reasons = namedItems;
        }

        /// <summary>The 400 answer.</summary>
        public CodatApiException Exception { get; }

        /// <summary>Names of the batch's files that Codat rejected, in the order Codat listed them.</summary>
        public IReadOnlyList<string> RejectedNames { get; }

        /// <summary>Codat's validation errors for the rejected files.</summary>
        public IReadOnlyList<CodatErrorValidationItem> Reasons { get; }

        /// <summary>
        /// The rejection within <paramref name="exception"/>, or null when it is not a 400 or none of its
        /// validation errors names a file of <paramref name="files"/> (then nothing can be attributed).
        /// </summary>
        public static BatchRejection? Find(Exception exception, IReadOnlyList<FileInfo> files)
        {
            if (!(exception is CodatApiException api) || api.Kind != CodatErrorKind.BadRequest) return null;
            var items = api.Error?.Validation?.Errors;
            if (items == null) return null;

            var names = new HashSet<string>(files.Select(file => file.Name), StringComparer.Ordinal);
            var named = items.Where(item => item?.ItemId != null && names.Contains(item.ItemId)).ToList();
            return named.Count == 0 ? null : new BatchRejection(api, named);
        }

        /// <summary>Codat's reasons for rejecting <paramref name="file"/>; empty when Codat did not name it.</summary>
        public IReadOnlyList<CodatErrorValidationItem> ReasonsFor(FileInfo file) => _reasonsByName[file.Name].ToList();
    }
}
