using System.Collections.Generic;
using System.Management.Automation;

namespace CodatFiles.Errors
{
    /// <summary>
    /// The stable error ids of the table in docs/design/contracts.md, each with its one category;
    /// ErrorRecord.FullyQualifiedErrorId starts with one of these. tests/pester/Contracts.Tests.ps1 checks that
    /// this class and the table list the same ids with the same categories.
    /// </summary>
    internal static class ErrorIds
    {
        public const string NoApiKey = "CodatFiles.NoApiKey";
        public const string InvalidServerUrl = "CodatFiles.InvalidServerUrl";
        public const string InvalidProxySettings = "CodatFiles.InvalidProxySettings";
        public const string AmbiguousApiKey = "CodatFiles.AmbiguousApiKey";
        public const string ParameterConflict = "CodatFiles.ParameterConflict";
        public const string BadRequest = "CodatFiles.BadRequest";
        public const string BatchRejected = "CodatFiles.BatchRejected";
        public const string Unauthorized = "CodatFiles.Unauthorized";
        public const string PaymentRequired = "CodatFiles.PaymentRequired";
        public const string Forbidden = "CodatFiles.Forbidden";
        public const string CompanyNotFound = "CodatFiles.CompanyNotFound";
        public const string ConnectionNotFound = "CodatFiles.ConnectionNotFound";
        public const string NotFound = "CodatFiles.NotFound";
        public const string RateLimited = "CodatFiles.RateLimited";
        public const string QuotaExhausted = "CodatFiles.QuotaExhausted";
        public const string ServerError = "CodatFiles.ServerError";
        public const string ServiceUnavailable = "CodatFiles.ServiceUnavailable";
        public const string ConnectionFailed = "CodatFiles.ConnectionFailed";
        public const string Timeout = "CodatFiles.Timeout";
        public const string CertificateRejected = "CodatFiles.CertificateRejected";
        public const string ProxyAuthenticationRequired = "CodatFiles.ProxyAuthenticationRequired";
        public const string FileNotFound = "CodatFiles.FileNotFound";
        public const string NotAFile = "CodatFiles.NotAFile";
        public const string NotFileSystemPath = "CodatFiles.NotFileSystemPath";
        public const string FileTooLarge = "CodatFiles.FileTooLarge";
        public const string FileEmpty = "CodatFiles.FileEmpty";
        public const string FileTypeNotAllowed = "CodatFiles.FileTypeNotAllowed";
        public const string FileExists = "CodatFiles.FileExists";
        public const string CompanyNameClash = "CodatFiles.CompanyNameClash";
        public const string RequestFailed = "CodatFiles.RequestFailed";
        public const string DestinationNotADirectory = "CodatFiles.DestinationNotADirectory";
        public const string UnsafeArchiveEntry = "CodatFiles.UnsafeArchiveEntry";
        public const string FileNotInArchive = "CodatFiles.FileNotInArchive";
        public const string InvalidArchive = "CodatFiles.InvalidArchive";
        public const string UploadNotStored = "CodatFiles.UploadNotStored";
        public const string FileChanged = "CodatFiles.FileChanged";
        public const string FileUnreadable = "CodatFiles.FileUnreadable";
        public const string AccessDenied = "CodatFiles.AccessDenied";
        public const string FileSystemError = "CodatFiles.FileSystemError";
        public const string ClientCreationFailed = "CodatFiles.ClientCreationFailed";
        public const string Unexpected = "CodatFiles.UnexpectedError";

        /// <summary>The category of every id: the one place an id's category is decided.</summary>
        public static IReadOnlyDictionary<string, ErrorCategory> Categories { get; } = new Dictionary<string, ErrorCategory>
        {
            [NoApiKey] = ErrorCategory.AuthenticationError,
            [InvalidServerUrl] = ErrorCategory.InvalidArgument,
            [InvalidProxySettings] = ErrorCategory.InvalidArgument,
            [AmbiguousApiKey] = ErrorCategory.InvalidArgument,
            [ParameterConflict] = ErrorCategory.InvalidArgument,
            [BadRequest] = ErrorCategory.InvalidArgument,
            [BatchRejected] = ErrorCategory.InvalidOperation,
            [Unauthorized] = ErrorCategory.AuthenticationError,
            [PaymentRequired] = ErrorCategory.QuotaExceeded,
            [Forbidden] = ErrorCategory.PermissionDenied,
            [CompanyNotFound] = ErrorCategory.ObjectNotFound,
            [ConnectionNotFound] = ErrorCategory.ObjectNotFound,
            [NotFound] = ErrorCategory.ObjectNotFound,
            [RateLimited] = ErrorCategory.LimitsExceeded,
            [QuotaExhausted] = ErrorCategory.QuotaExceeded,
            [ServerError] = ErrorCategory.ResourceUnavailable,
            [ServiceUnavailable] = ErrorCategory.ResourceUnavailable,
            [ConnectionFailed] = ErrorCategory.ConnectionError,
            [Timeout] = ErrorCategory.OperationTimeout,
            [CertificateRejected] = ErrorCategory.SecurityError,
            [ProxyAuthenticationRequired] = ErrorCategory.AuthenticationError,
            [FileNotFound] = ErrorCategory.ObjectNotFound,
            [NotAFile] = ErrorCategory.InvalidArgument,
            [NotFileSystemPath] = ErrorCategory.InvalidArgument,
            [FileTooLarge] = ErrorCategory.InvalidArgument,
            [FileEmpty] = ErrorCategory.InvalidArgument,
            [FileTypeNotAllowed] = ErrorCategory.InvalidArgument,
            [FileExists] = ErrorCategory.ResourceExists,
            [CompanyNameClash] = ErrorCategory.ResourceExists,
            [RequestFailed] = ErrorCategory.InvalidOperation,
            [DestinationNotADirectory] = ErrorCategory.InvalidArgument,
            [UnsafeArchiveEntry] = ErrorCategory.SecurityError,
            [FileNotInArchive] = ErrorCategory.ObjectNotFound,
            [InvalidArchive] = ErrorCategory.InvalidData,
            [UploadNotStored] = ErrorCategory.ObjectNotFound,
            [FileChanged] = ErrorCategory.ResourceBusy,
            [FileUnreadable] = ErrorCategory.ReadError,
            [AccessDenied] = ErrorCategory.PermissionDenied,
            [FileSystemError] = ErrorCategory.WriteError,
            [ClientCreationFailed] = ErrorCategory.InvalidOperation,
            [Unexpected] = ErrorCategory.NotSpecified,
        };
    }
}
