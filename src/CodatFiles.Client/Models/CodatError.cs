using System.Collections.Generic;

namespace CodatFiles.Client
{
    /// <summary>Codat's error body ("Error message" in the spec), with every field it defines.</summary>
    public sealed class CodatError
    {
        /// <summary>The HTTP status code returned by the error.</summary>
        public int? StatusCode { get; set; }

        /// <summary>Codat's service that returned the error (e.g. PublicApi, ClientsApi).</summary>
        public string? Service { get; set; }

        /// <summary>A brief description of the error.</summary>
        public string? Error { get; set; }

        /// <summary>Identifier to quote to Codat support when tracing the error.</summary>
        public string? CorrelationId { get; set; }

        /// <summary>Validation decisions, when an operation failed on validation.</summary>
        public CodatErrorValidation? Validation { get; set; }

        /// <summary>"True" if the error was transient and can be retried (Codat sends a string, often "Unknown").</summary>
        public string? CanBeRetried { get; set; }

        /// <summary>Machine-readable error code.</summary>
        public int? DetailedErrorCode { get; set; }
    }

    /// <summary>The spec's errorValidation object.</summary>
    public sealed class CodatErrorValidation
    {
        /// <summary>Validation errors.</summary>
        public IList<CodatErrorValidationItem>? Errors { get; set; }

        /// <summary>Validation warnings.</summary>
        public IList<CodatErrorValidationItem>? Warnings { get; set; }
    }

    /// <summary>The spec's errorValidationItem object.</summary>
    public sealed class CodatErrorValidationItem
    {
        /// <summary>Unique identifier for a validation item.</summary>
        public string? ItemId { get; set; }

        /// <summary>A message outlining the item's issue.</summary>
        public string? Message { get; set; }

        /// <summary>Name of the validator.</summary>
        public string? ValidatorName { get; set; }
    }
}
