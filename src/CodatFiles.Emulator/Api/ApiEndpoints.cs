using CodatFiles.Emulator.Errors;

namespace CodatFiles.Emulator.Api;

/// <summary>Maps the spec's three operations onto the pipeline. Ids are taken as text so a malformed GUID gets Codat's 400, not a routing 404.</summary>
internal static class ApiEndpoints
{
    public static void MapCodatFilesApi(this IEndpointRouteBuilder routes)
    {
        var table = new ApiRouteTable();
        void Map(string method, string template, Delegate handler)
        {
            table.Add(method, template);
            routes.MapMethods(template, [method], handler);
        }

        Map(HttpMethods.Post, "/companies/{companyId}/connections/{connectionId}/files",
            (HttpContext context, string companyId, string connectionId, ApiRequestPipeline pipeline, UploadFilesEndpoint endpoint) =>
                pipeline.RunAsync(context, ApiOperation.UploadFiles, companyId, connectionId, endpoint.HandleAsync));

        Map(HttpMethods.Get, "/companies/{companyId}/files",
            (HttpContext context, string companyId, ApiRequestPipeline pipeline, ListFilesEndpoint endpoint) =>
                pipeline.RunAsync(context, ApiOperation.ListFiles, companyId, null, endpoint.HandleAsync));

        Map(HttpMethods.Get, "/companies/{companyId}/files/download",
            (HttpContext context, string companyId, ApiRequestPipeline pipeline, DownloadFilesEndpoint endpoint) =>
                pipeline.RunAsync(context, ApiOperation.DownloadFiles, companyId, null, endpoint.HandleAsync));

        // Anything else still answers in Codat's error shape, so a client bug in a path or method reads like Codat's
        // reply. "{*path}" rather than the default fallback, which skips paths that look like file names.
        routes.MapFallback("{*path}", (HttpContext context) => AnswerUnmatchedAsync(context, table));
    }

    private static Task AnswerUnmatchedAsync(HttpContext context, ApiRouteTable table)
    {
        var request = context.Request;
        var allowed = table.MethodsFor(request.Path);
        if (allowed.Count == 0)
        {
            return CodatErrors.WriteAsync(context, StatusCodes.Status404NotFound,
                $"No resource matches {request.Method} {request.Path}.");
        }
        var allow = string.Join(", ", allowed);
        context.Response.Headers.Allow = allow;
        return CodatErrors.WriteAsync(context, StatusCodes.Status405MethodNotAllowed,
            $"{request.Method} is not supported on {request.Path}; use {allow}.");
    }
}
