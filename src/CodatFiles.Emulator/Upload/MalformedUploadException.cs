namespace CodatFiles.Emulator.Upload;

/// <summary>
/// A multipart body that cannot be read as parts at all. Carries the emulator's own, client-facing wording:
/// MultipartReader's messages describe its internals ("the content may have already been read by another
/// component"), not what is wrong with the request.
/// </summary>
internal sealed class MalformedUploadException(string message, Exception innerException)
    : Exception("The multipart/form-data body is malformed: " + message, innerException);
