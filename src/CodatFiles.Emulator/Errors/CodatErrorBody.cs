using System.Text.Json.Serialization;

namespace CodatFiles.Emulator.Errors;

/// <summary>
/// Codat's "Error message" schema (components.responses.*.content.application/json.schema), field for field.
/// Nothing more is added: clients generated from the spec may reject unknown properties.
/// </summary>
internal sealed record CodatErrorBody(
    [property: JsonPropertyName("statusCode")] int StatusCode,
    [property: JsonPropertyName("service")] string Service,
    [property: JsonPropertyName("error")] string Error,
    [property: JsonPropertyName("correlationId")] string CorrelationId,
    [property: JsonPropertyName("validation")] CodatValidation? Validation,
    [property: JsonPropertyName("canBeRetried")] string CanBeRetried,
    [property: JsonPropertyName("detailedErrorCode")] int DetailedErrorCode);

/// <summary>The spec's errorValidation object.</summary>
internal sealed record CodatValidation(
    [property: JsonPropertyName("errors")] IReadOnlyList<CodatValidationItem> Errors,
    [property: JsonPropertyName("warnings")] IReadOnlyList<CodatValidationItem> Warnings);

/// <summary>The spec's errorValidationItem object.</summary>
internal sealed record CodatValidationItem(
    [property: JsonPropertyName("itemId")] string? ItemId,
    [property: JsonPropertyName("message")] string Message,
    [property: JsonPropertyName("validatorName")] string ValidatorName);
