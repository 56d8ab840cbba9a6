using System.Net;
using System.Text.Json;
using CodatFiles.Emulator.Tests.Support;

namespace CodatFiles.Emulator.Tests;

/// <summary>Error bodies against the spec's "Error message" schema, read from spec/ at test time.</summary>
public sealed class SpecConformanceTests
{
    [Fact]
    public async Task Error_bodies_carry_every_spec_property_and_nothing_else()
    {
        await using var host = await EmulatorTestHost.StartAsync(o => o.DailyQuota = 3);
        var expected = SpecSchemas.PropertyNames(SpecSchemas.ErrorMessage).Order().ToArray();
        Assert.Contains("validation", expected); // guards against reading the wrong schema

        using var unauthorized = await host.Anonymous.GetAsync(TestIds.ListPath());
        using var notFound = await host.Client.GetAsync(TestIds.ListPath(TestIds.UnknownCompany));
        using var invalid = await host.UploadAsync(("file", "x.exe", [1]));
        using var badDate = await host.Client.GetAsync(TestIds.DownloadPath(date: "never"));
        using var quota = await host.Client.GetAsync(TestIds.ListPath());

        var bodies = new[]
        {
            await CodatErrorAssert.HasCodatErrorAsync(unauthorized, HttpStatusCode.Unauthorized),
            await CodatErrorAssert.HasCodatErrorAsync(notFound, HttpStatusCode.NotFound),
            await CodatErrorAssert.HasCodatErrorAsync(invalid, HttpStatusCode.BadRequest),
            await CodatErrorAssert.HasCodatErrorAsync(badDate, HttpStatusCode.BadRequest),
            await CodatErrorAssert.HasCodatErrorAsync(quota, HttpStatusCode.TooManyRequests),
        };
        foreach (var body in bodies)
        {
            Assert.Equal(expected, body.EnumerateObject().Select(p => p.Name).Order().ToArray());
        }
        // The validation object, where present, goes down to the spec's errorValidationItem.
        var item = bodies[2].GetProperty("validation").GetProperty("errors")[0];
        var itemSchema = SpecSchemas.Resolve(SpecSchemas.Resolve(SpecSchemas.ErrorMessage.GetProperty("properties").GetProperty("validation"))
            .GetProperty("properties").GetProperty("errors").GetProperty("items"));
        Assert.Equal(SpecSchemas.PropertyNames(itemSchema).Order(), item.EnumerateObject().Select(p => p.Name).Order());
        Assert.Equal(JsonValueKind.Null, bodies[0].GetProperty("validation").ValueKind);
    }

    [Fact]
    public void Schema_check_rejects_extra_properties_and_wrong_types()
    {
        // The checker itself must be able to fail, or the tests above would prove nothing.
        var extra = JsonDocument.Parse("""{"fileName":"a","displayName":"a","sourceType":"x","uploaded":"2024-01-01T00:00:00Z","size":1}""").RootElement;
        var wrongType = JsonDocument.Parse("""{"statusCode":"400"}""").RootElement;
        var nullNotAllowed = JsonDocument.Parse("""{"error":null}""").RootElement;

        Assert.ThrowsAny<Exception>(() => SpecSchemas.AssertConforms(extra, SpecSchemas.File_));
        Assert.ThrowsAny<Exception>(() => SpecSchemas.AssertConforms(wrongType, SpecSchemas.ErrorMessage));
        Assert.ThrowsAny<Exception>(() => SpecSchemas.AssertConforms(nullNotAllowed, SpecSchemas.ErrorMessage));
    }
}
