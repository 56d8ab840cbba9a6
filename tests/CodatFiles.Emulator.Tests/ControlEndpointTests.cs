using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CodatFiles.Emulator.Tests.Support;

namespace CodatFiles.Emulator.Tests;

public sealed class ControlEndpointTests
{
    [Fact]
    public async Task Health_answers_ok_without_auth()
    {
        await using var host = await EmulatorTestHost.StartAsync();

        var health = await host.Anonymous.GetFromJsonAsync<JsonElement>("_emulator/health");

        Assert.Equal("ok", health.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Request_log_records_api_requests_in_order_with_final_status_and_not_control_requests()
    {
        await using var host = await EmulatorTestHost.StartAsync();
        (await host.UploadAsync(("file", "a.pdf", [1]))).Dispose();
        (await host.Anonymous.GetAsync(TestIds.ListPath())).Dispose();
        (await host.Client.GetAsync(TestIds.DownloadPath(TestIds.UnknownCompany))).Dispose();
        (await host.Anonymous.GetAsync("_emulator/health")).Dispose();

        var log = await host.RequestLogAsync();

        Assert.Equal(["upload-files", "list-files", "download-files"], log.Select(e => e.GetProperty("operation").GetString()));
        Assert.Equal(["POST", "GET", "GET"], log.Select(e => e.GetProperty("method").GetString()));
        Assert.Equal([200, 401, 404], log.Select(e => e.GetProperty("status").GetInt32()));
        Assert.Equal($"/{TestIds.UploadPath()}", log[0].GetProperty("path").GetString());
        Assert.Equal(TestIds.Company, log[0].GetProperty("companyId").GetString());
        Assert.Equal(TestIds.UnknownCompany, log[2].GetProperty("companyId").GetString());
        Assert.Equal(host.Clock.GetUtcNow(), log[0].GetProperty("receivedAt").GetDateTimeOffset()); // the emulator's clock, unmoved

        await host.ControlAsync(HttpMethod.Delete, "requests", expected: HttpStatusCode.NoContent);
        Assert.Empty(await host.RequestLogAsync());
    }

    [Fact]
    public async Task Clock_moves_the_date_header_of_every_answer_with_the_uploaded_times_and_ticks_on_from_there()
    {
        await using var host = await EmulatorTestHost.StartAsync();
        var skewed = host.Clock.GetUtcNow().AddMinutes(-150);
        await host.SetClockAsync(skewed.ToString("o"));
        await host.AddFaultAsync(new { operation = "list-files", kind = "status", status = 500 });

        using var failed = await host.Client.GetAsync(TestIds.ListPath());
        host.Clock.Advance(TimeSpan.FromSeconds(90)); // the emulator's clock moves on, and the set time with it
        using var upload = await host.UploadAsync(("file", "a.pdf", [1]));
        using var listed = await host.Client.GetAsync(TestIds.ListPath());
        var uploaded = (await host.ListAsync())[0].GetProperty("uploaded").GetDateTimeOffset();

        Assert.Equal(EmulatorTestClock.WholeSeconds(skewed), failed.Headers.Date);
        Assert.Equal(EmulatorTestClock.WholeSeconds(skewed.AddSeconds(90)), upload.Headers.Date);
        Assert.Equal(EmulatorTestClock.WholeSeconds(skewed.AddSeconds(90)), listed.Headers.Date);
        Assert.Equal(EmulatorTestClock.WholeSeconds(skewed.AddSeconds(90)), uploaded);

        await host.ControlAsync(HttpMethod.Delete, "clock", expected: System.Net.HttpStatusCode.NoContent);
        using var unskewed = await host.Client.GetAsync(TestIds.ListPath());
        Assert.Equal(EmulatorTestClock.WholeSeconds(host.Clock.GetUtcNow()), unskewed.Headers.Date);
    }

    [Fact]
    public async Task Reset_clears_files_faults_log_and_clock()
    {
        await using var host = await EmulatorTestHost.StartAsync();
        await host.SetClockAsync("2020-01-01T00:00:00Z");
        (await host.UploadAsync(("file", "a.pdf", [1]))).EnsureSuccessStatusCode();
        await host.AddFaultAsync(new { kind = "status", status = 500, count = 3 });

        await host.ControlAsync(HttpMethod.Post, "reset");

        Assert.Empty(await host.RequestLogAsync());
        Assert.Empty(await host.ListAsync()); // no fault left, no file left
        (await host.UploadAsync(("file", "b.pdf", [1]))).EnsureSuccessStatusCode();
        var uploaded = (await host.ListAsync())[0].GetProperty("uploaded").GetDateTimeOffset();
        Assert.Equal(EmulatorTestClock.WholeSeconds(host.Clock.GetUtcNow()), uploaded); // the emulator's own time again
        Assert.Equal(["list-files", "upload-files", "list-files"], (await host.RequestLogAsync()).Select(e => e.GetProperty("operation").GetString()));
    }

    [Fact]
    public async Task Companies_endpoint_adds_a_company_usable_at_once_and_rejects_bad_input()
    {
        await using var host = await EmulatorTestHost.StartAsync();
        var company = Guid.NewGuid();
        var connection = Guid.NewGuid();

        using var created = await host.Control.PostAsJsonAsync("_emulator/companies",
            new { companyId = company, connections = new[] { new { connectionId = connection } } });
        using var badIntegration = await host.Control.PostAsJsonAsync("_emulator/companies",
            new { companyId = Guid.NewGuid(), connections = new[] { new { connectionId = Guid.NewGuid(), integration = "Payroll" } } });
        using var missingId = await host.Control.PostAsJsonAsync("_emulator/companies", new { connections = Array.Empty<object>() });

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        await CodatErrorAssert.HasCodatErrorAsync(badIntegration, HttpStatusCode.BadRequest);
        await CodatErrorAssert.HasCodatErrorAsync(missingId, HttpStatusCode.BadRequest);
        using var upload = await host.UploadAsync(TestIds.UploadPath(company.ToString(), connection.ToString()), ("file", "a.pdf", [1]));
        Assert.Equal(HttpStatusCode.OK, upload.StatusCode);
        Assert.Equal("Accounting", Assert.Single(await host.ListAsync(company.ToString())).GetProperty("sourceType").GetString());
    }

    [Fact]
    public async Task Companies_option_replaces_or_extends_the_seed()
    {
        var company = Guid.NewGuid();
        var connection = Guid.NewGuid();
        await using var host = await EmulatorTestHost.StartAsync(o =>
            o.Companies.Add(new EmulatorCompany(company, [new EmulatorConnection(connection, Integrations.Banking)])));

        using var seeded = await host.Client.GetAsync(TestIds.ListPath());
        using var upload = await host.UploadAsync(TestIds.UploadPath(company.ToString(), connection.ToString()), ("file", "s.pdf", [1]));

        Assert.Equal(HttpStatusCode.OK, seeded.StatusCode);
        Assert.Equal(HttpStatusCode.OK, upload.StatusCode);
        Assert.Equal("Banking", Assert.Single(await host.ListAsync(company.ToString())).GetProperty("sourceType").GetString());
    }

    [Fact]
    public async Task Unknown_paths_answer_404_in_codat_shape_and_are_not_logged()
    {
        await using var host = await EmulatorTestHost.StartAsync();

        using var response = await host.Client.GetAsync("companies/" + TestIds.Company + "/something");

        await CodatErrorAssert.HasCodatErrorAsync(response, HttpStatusCode.NotFound);
        Assert.Empty(await host.RequestLogAsync());
    }
}
