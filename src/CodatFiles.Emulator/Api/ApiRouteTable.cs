using Microsoft.AspNetCore.Routing.Template;

namespace CodatFiles.Emulator.Api;

/// <summary>
/// The API's route templates with their methods, so the fallback can tell "wrong method on a known path" (405)
/// from "no such path" (404): routing hands both to the fallback.
/// </summary>
internal sealed class ApiRouteTable
{
    private readonly List<(TemplateMatcher Matcher, string Method)> _routes = new();

    public void Add(string method, string template) =>
        _routes.Add((new TemplateMatcher(TemplateParser.Parse(template), new RouteValueDictionary()), method));

    /// <summary>The methods served on this path; empty when no template matches it.</summary>
    public IReadOnlyList<string> MethodsFor(PathString path) =>
        _routes.Where(route => route.Matcher.TryMatch(path, new RouteValueDictionary()))
            .Select(route => route.Method)
            .Distinct()
            .ToArray();
}
