using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CodatFiles.Emulator.Tests.Support;

namespace CodatFiles.Emulator.Tests;

public sealed class CommandLineTests
{
    [Fact]
    public void Parses_every_option_in_both_spellings()
    {
        var company = Guid.NewGuid();
        var first = Guid.NewGuid();
        var second = Guid.NewGuid();

        var parsed = EmulatorCommandLine.Parse([
            "--urls", "http://127.0.0.1:5123", "--api-key=secret", "--data-dir", "/tmp/x", "--daily-quota", "7",
            "--max-concurrent=3", "--company", $"{company}:{first}=banking,{second}", "--ready-file", "ready.txt",
        ]);

        Assert.Equal("http://127.0.0.1:5123", parsed.Urls);
        Assert.Equal("secret", parsed.Options.ApiKey);
        Assert.True(parsed.ApiKeyGiven);
        Assert.Equal("/tmp/x", parsed.Options.DataDirectory);
        Assert.Equal(7, parsed.Options.DailyQuota);
        Assert.Equal(3, parsed.Options.MaxConcurrentRequestsPerCompany);
        Assert.Equal("ready.txt", parsed.ReadyFile);
        Assert.Equal(2, parsed.Options.Companies.Count); // the seed stays
        var added = parsed.Options.Companies[1];
        Assert.Equal(company, added.CompanyId);
        Assert.Equal([new EmulatorConnection(first, "Banking"), new EmulatorConnection(second, "Accounting")], added.Connections);
    }

    [Fact]
    public void Defaults_to_the_development_key_and_a_free_loopback_port()
    {
        var parsed = EmulatorCommandLine.Parse([]);

        Assert.Equal(EmulatorOptions.DevelopmentApiKey, parsed.Options.ApiKey);
        Assert.False(parsed.ApiKeyGiven);
        Assert.Equal("http://127.0.0.1:0", parsed.Urls);
        Assert.Null(parsed.Options.DailyQuota);
        var seed = Assert.Single(parsed.Options.Companies);
        Assert.Equal(Guid.Parse(TestIds.Company), seed.CompanyId);
        Assert.Equal(Guid.Parse(TestIds.Connection), Assert.Single(seed.Connections).ConnectionId);
    }

    [Theory]
    [InlineData("--bogus")]
    [InlineData("--daily-quota", "-1")]
    [InlineData("--max-concurrent", "0")]
    [InlineData("--company", "not-a-guid:also-not")]
    [InlineData("--company", "8a210b68-6988-11ed-a1eb-0242ac120002:2e9d2c44-f675-40ba-8049-353bfcb5e171=Payroll")]
    [InlineData("--api-key")]
    public void Rejects_bad_arguments_with_a_message(params string[] args)
    {
        var error = Assert.Throws<FormatException>(() => EmulatorCommandLine.Parse(args));
        Assert.False(string.IsNullOrWhiteSpace(error.Message));
    }

    [Fact]
    public async Task The_built_emulator_prints_its_address_writes_the_ready_file_and_serves()
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "CodatFiles.Emulator.dll");
        var readyFile = Path.Combine(Path.GetTempPath(), "codatfiles-ready-" + Guid.NewGuid().ToString("N"));
        var company = Guid.NewGuid();
        var connection = Guid.NewGuid();
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { dll, "--urls", "http://127.0.0.1:0", "--api-key", "proc-key", "--ready-file", readyFile,
                     "--company", $"{company}:{connection}=BusinessDocuments" })
        {
            start.ArgumentList.Add(arg);
        }
        using var process = Process.Start(start)!;
        try
        {
            var deadline = DateTime.UtcNow.AddSeconds(20);
            while (!File.Exists(readyFile))
            {
                if (process.HasExited) // read stderr only then: reading it from a live process would wait for its end
                {
                    Assert.Fail("emulator exited: " + await process.StandardError.ReadToEndAsync());
                }
                Assert.True(DateTime.UtcNow < deadline, "no ready file within 20 s");
                await Task.Delay(50);
            }
            var baseUrl = await File.ReadAllTextAsync(readyFile);
            Assert.Matches(@"^http://127\.0\.0\.1:\d+$", baseUrl);
            var output = "";
            while (!output.Contains("listening") && await process.StandardOutput.ReadLineAsync() is { } line)
            {
                output += line + "\n";
            }
            Assert.Contains($"CodatFiles emulator listening on {baseUrl}", output);

            using var client = new HttpClient { BaseAddress = new Uri(baseUrl + "/") };
            client.DefaultRequestHeaders.Authorization = EmulatorTestHost.BasicAuth("proc-key");
            Assert.Equal("ok", (await client.GetFromJsonAsync<JsonElement>("_emulator/health")).GetProperty("status").GetString());
            using var list = await client.GetAsync(TestIds.ListPath(company.ToString()));
            Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            File.Delete(readyFile);
        }
    }
}
