using System;
using System.Collections.Generic;
using System.IO;
using CodatFiles.Pipeline;

namespace CodatFiles.Upload
{
    /// <summary>Files bound for one company and connection, sent together in one upload request.</summary>
    internal sealed class UploadBatch
    {
        public UploadBatch(int number, Guid companyId, Guid connectionId, IReadOnlyList<FileInfo> files)
        {
            Number = number;
            CompanyId = companyId;
            ConnectionId = connectionId;
            Files = files;
            foreach (var file in files) TotalBytes += file.Length;
        }

        /// <summary>1 for the first batch of the call, for messages.</summary>
        public int Number { get; }

        public Guid CompanyId { get; }

        public Guid ConnectionId { get; }

        public IReadOnlyList<FileInfo> Files { get; }

        public long TotalBytes { get; }

        public string Describe() =>
            $"Upload batch {Number} ({Counted.Files(Files.Count)})";
    }

    /// <summary>
    /// Groups approved files into batches of up to <c>batchSize</c> per (company, connection), handing out a
    /// batch as soon as it is full so its upload can start while more input arrives; <see cref="Flush"/> hands
    /// out the partly filled ones at the end of input.
    /// </summary>
    internal sealed class UploadBatcher
    {
        private readonly int _batchSize;
        private readonly Dictionary<(Guid Company, Guid Connection), List<FileInfo>> _open =
            new Dictionary<(Guid Company, Guid Connection), List<FileInfo>>();
        private readonly List<(Guid Company, Guid Connection)> _order = new List<(Guid Company, Guid Connection)>();
        private int _batchCount;

        public UploadBatcher(int batchSize)
        {
            _batchSize = batchSize;
        }

        /// <summary>Adds a file; returns the batch it completed, if any.</summary>
        public UploadBatch? Add(Guid companyId, Guid connectionId, FileInfo file)
        {
            var key = (companyId, connectionId);
            if (!_open.TryGetValue(key, out var files))
            {
                files = new List<FileInfo>(_batchSize);
                _open.Add(key, files);
                _order.Add(key);
            }
            // Two files of one name never share a request (two folders under -Recurse): the open batch goes as it
            // is, and the new one waits for its answer (NamesInFlight), so a lost answer cannot be credited twice.
            if (files.Exists(f => string.Equals(f.Name, file.Name, StringComparison.Ordinal)))
            {
                var sameName = new UploadBatch(++_batchCount, companyId, connectionId, files);
                _open[key] = new List<FileInfo>(_batchSize) { file };
                return sameName;
            }

            files.Add(file);
            if (files.Count < _batchSize) return null;

            _open.Remove(key);
            _order.Remove(key);
            return new UploadBatch(++_batchCount, companyId, connectionId, files);
        }

        /// <summary>The batches not yet full, in the order they were opened.</summary>
        public IEnumerable<UploadBatch> Flush()
        {
            var keys = _order.ToArray();
            _order.Clear();
            foreach (var key in keys)
            {
                var files = _open[key];
                _open.Remove(key);
                yield return new UploadBatch(++_batchCount, key.Company, key.Connection, files);
            }
        }
    }
}
