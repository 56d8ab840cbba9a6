namespace CodatFiles.Errors
{
    /// <summary>
    /// The API operation ids the client reports (CodatException.Operation, CodatHttpExchange.Operation): the spec's
    /// operationIds. Each cmdlet's requests are known by them: only Send-CodatFile uploads.
    /// </summary>
    internal static class OperationNames
    {
        public const string ListFiles = "list-files";
        public const string UploadFiles = "upload-files";
        public const string DownloadFiles = "download-files";
    }
}
