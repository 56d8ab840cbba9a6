namespace CodatFiles.Errors
{
    /// <summary>The stable error ids of docs/design/contracts.md; ErrorRecord.FullyQualifiedErrorId starts with one of these.</summary>
    internal static class ErrorIds
    {
        public const string NoApiKey = "CodatFiles.NoApiKey";
        public const string InvalidServerUrl = "CodatFiles.InvalidServerUrl";
        public const string InvalidProxySettings = "CodatFiles.InvalidProxySettings";
        public const string AmbiguousApiKey = "CodatFiles.AmbiguousApiKey";
        public const string BadRequest = "CodatFiles.BadRequest";
        public const string BatchRejected = "CodatFiles.BatchRejected";
        public const string Unauthorized = "CodatFiles.Unauthorized";
        public const string PaymentRequired = "CodatFiles.PaymentRequired";
        public const string Forbidden = "CodatFiles.Forbidden";
        public const string CompanyNotFound = "CodatFiles.CompanyNotFound";
        public const string ConnectionNotFound = "CodatFiles.ConnectionNotFound";
        public const string NotFound = "CodatFiles.NotFound";
        public const string RateLimited = "CodatFiles.RateLimited";
        public const string ServerError = "CodatFiles.ServerError";
        public const string ServiceUnavailable = "CodatFiles.ServiceUnavailable";
        public const string ConnectionFailed = "CodatFiles.ConnectionFailed";
        public const string Timeout = "CodatFiles.Timeout";
        public const string FileNotFound = "CodatFiles.FileNotFound";
        public const string NotAFile = "CodatFiles.NotAFile";
        public const string NotFileSystemPath = "CodatFiles.NotFileSystemPath";
        public const string FileTooLarge = "CodatFiles.FileTooLarge";
        public const string FileTypeNotAllowed = "CodatFiles.FileTypeNotAllowed";
        public const string FileExists = "CodatFiles.FileExists";

        // Not in the contract table: cases the table does not name. Kept in the same family of ids.
        public const string RequestFailed = "CodatFiles.RequestFailed";
        public const string DestinationNotADirectory = "CodatFiles.DestinationNotADirectory";
        public const string UnsafeArchiveEntry = "CodatFiles.UnsafeArchiveEntry";
        public const string FileNotInArchive = "CodatFiles.FileNotInArchive";
        public const string InvalidArchive = "CodatFiles.InvalidArchive";
        public const string AccessDenied = "CodatFiles.AccessDenied";
        public const string FileSystemError = "CodatFiles.FileSystemError";
        public const string ClientCreationFailed = "CodatFiles.ClientCreationFailed";
        public const string Unexpected = "CodatFiles.UnexpectedError";
    }
}
