using CodatFiles.Emulator.Errors;

namespace CodatFiles.Emulator.Api;

/// <summary>Maps the spec's three operations onto the pipeline. Ids are taken as text so a malformed GUID gets Codat's 400, not a routing 404.</summary>
internal static class ApiEndpoints
{
    public static void MapCodatFilesApi(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/companies/{companyId}/connections/{connectionId}/files",
            (HttpContext context, string companyId, string connectionId, ApiRequestPipeline pipeline, UploadFilesEndpoint endpoint) =>
                pipeline.RunAsync(context, ApiOperation.UploadFiles, companyId, connectionId, endpoint.HandleAsync));

        routes.MapGet("/companies/{companyId}/files",
            (HttpContext context, string companyId, ApiRequestPipeline pipeline, ListFilesEndpoint endpoint) =>
                pipeline.RunAsync(context, ApiOperation.ListFiles, companyId, null, endpoint.HandleAsync));

        routes.MapGet("/companies/{companyId}/files/download",
            (HttpContext context, string companyId, ApiRequestPipeline pipeline, DownloadFilesEndpoint endpoint) =>
                pipeline.RunAsync(context, ApiOperation.DownloadFiles, companyId, null, endpoint.HandleAsync));

        // Anything else still answers in Codat's error shape, so a client bug in a path reads like Codat's reply.
        routes.MapFallback((HttpContext context) =>
            CodatErrors.WriteAsync(context, StatusCodes.Status404NotFound,
                $"No resource matches {context.Request.Method} {context.Request.Path}."));
    }
}
