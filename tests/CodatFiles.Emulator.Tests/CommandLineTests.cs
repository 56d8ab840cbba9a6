using System.Diagnostics;
using System.Globalization;
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
            "--parent-pid=4321", "--latency-ms", "150", "--control-token", "steer-me",
        ]);

        Assert.Equal("http://127.0.0.1:5123", parsed.Urls);
        Assert.Equal("secret", parsed.Options.ApiKey);
        Assert.True(parsed.ApiKeyGiven);
        Assert.Equal("/tmp/x", parsed.Options.DataDirectory);
        Assert.Equal(7, parsed.Options.DailyQuota);
        Assert.Equal(3, parsed.Options.MaxConcurrentRequestsPerCompany);
        Assert.Equal(150, parsed.Options.LatencyMs);
        Assert.Equal("steer-me", parsed.Options.ControlToken);
        Assert.True(parsed.ControlTokenGiven);
        Assert.Contains("--control-token T", EmulatorCommandLine.Usage);
        Assert.Contains("--latency-ms N", EmulatorCommandLine.Usage);
        Assert.Equal("ready.txt", parsed.ReadyFile);
        Assert.Equal(4321, parsed.ParentProcessId);
        Assert.Contains("--parent-pid PID", EmulatorCommandLine.Usage);
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
        Assert.Equal(0, parsed.Options.LatencyMs);
        Assert.Null(parsed.ParentProcessId);
        Assert.False(parsed.ControlTokenGiven);
        Assert.Matches("^[0-9a-f]{32}$", parsed.Options.ControlToken);
        var seed = Assert.Single(parsed.Options.Companies);
        Assert.Equal(Guid.Parse(TestIds.Company), seed.CompanyId);
        Assert.Equal(Guid.Parse(TestIds.Connection), Assert.Single(seed.Connections).ConnectionId);
    }

    [Theory]
    [InlineData("--bogus")]
    [InlineData("--daily-quota", "-1")]
    [InlineData("--max-concurrent", "0")]
    [InlineData("--latency-ms", "-5")]
    [InlineData("--company", "not-a-guid:also-not")]
    [InlineData("--company", "8a210b68-6988-11ed-a1eb-0242ac120002:2e9d2c44-f675-40ba-8049-353bfcb5e171=Payroll")]
    [InlineData("--api-key")]
    [InlineData("--urls", "http://0.0.0.0:5080")]
    [InlineData("--urls", "http://127.0.0.1:5080;http://*:5081")]
    [InlineData("--urls", "http://192.168.1.10:5080")]
    [InlineData("--control-token", "")]
    [InlineData("--control-token", " ")]
    [InlineData("--parent-pid", "0")]
    [InlineData("--parent-pid", "self")]
    public void Rejects_bad_arguments_with_a_message(params string[] args)
    {
        var error = Assert.Throws<FormatException>(() => EmulatorCommandLine.Parse(args));
        Assert.False(string.IsNullOrWhiteSpace(error.Message));
    }

    // End to end: the built emulator as its own process, as scripts and the demo run it, on the system clock (a test
    // cannot hand it a fake one). These tests wait in real time, so they carry the RealTime category and generous bounds.
    [Trait("Category", "RealTime")]
    [Fact]
    public async Task The_built_emulator_prints_its_address_writes_the_ready_file_and_serves()
    {
        var company = Guid.NewGuid();
        var connection = Guid.NewGuid();
        await using var emulator = BuiltEmulatorProcess.Start("--urls", "http://127.0.0.1:0", "--api-key", "proc-key",
            "--company", $"{company}:{connection}=BusinessDocuments", "--control-token", "proc-token");

        var baseUrl = await emulator.WaitUntilListeningAsync();
        Assert.Matches(@"^http://127\.0\.0\.1:\d+$", baseUrl);
        var output = "";
        while (!output.Contains("listening") && await emulator.Process.StandardOutput.ReadLineAsync() is { } line)
        {
            output += line + "\n";
        }
        Assert.Contains($"CodatFiles emulator listening on {baseUrl}", output);

        using var client = new HttpClient { BaseAddress = new Uri(baseUrl + "/") };
        client.DefaultRequestHeaders.Authorization = EmulatorTestHost.BasicAuth("proc-key");
        Assert.Equal("ok", (await client.GetFromJsonAsync<JsonElement>("_emulator/health")).GetProperty("status").GetString());
        using var list = await client.GetAsync(TestIds.ListPath(company.ToString()));
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        Assert.DoesNotContain("--control-token", output); // the token it was given is not printed
        using var control = new HttpClient { BaseAddress = new Uri(baseUrl + "/") };
        control.DefaultRequestHeaders.Authorization = new("Bearer", "proc-token");
        using var log = await control.GetAsync("_emulator/requests");
        Assert.Equal(HttpStatusCode.OK, log.StatusCode);
    }

    [Trait("Category", "RealTime")] // the built process, end to end (see above)
    [Fact]
    public async Task The_built_emulator_without_a_control_token_prints_the_random_one_it_takes()
    {
        await using var emulator = BuiltEmulatorProcess.Start();
        var baseUrl = await emulator.WaitUntilListeningAsync();
        string? tokenLine = null;
        while (tokenLine is null && await emulator.Process.StandardOutput.ReadLineAsync() is { } line)
        {
            tokenLine = line.StartsWith("No --control-token given", StringComparison.Ordinal) ? line : null;
        }
        var token = System.Text.RegularExpressions.Regex.Match(tokenLine ?? "", "Bearer ([0-9a-f]{32})").Groups[1].Value;
        Assert.NotEqual("", token);

        using var control = new HttpClient { BaseAddress = new Uri(baseUrl + "/") };
        using var refused = await control.GetAsync("_emulator/requests");
        control.DefaultRequestHeaders.Authorization = new("Bearer", token);
        using var accepted = await control.GetAsync("_emulator/requests");
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
    }

    [Trait("Category", "RealTime")] // the built process, end to end (see above)
    [Fact]
    public async Task The_built_emulator_exits_soon_after_its_parent_is_killed()
    {
        // A stand-in parent that would outlive the test; it is SIGKILLed, the way a demo's pwsh or a test run dies.
        using var parent = Process.Start(OperatingSystem.IsWindows()
            ? new ProcessStartInfo("cmd.exe", "/c ping -n 60 127.0.0.1 > nul")
            : new ProcessStartInfo("sleep", "60"))!;
        await using var emulator = BuiltEmulatorProcess.Start("--parent-pid", parent.Id.ToString(CultureInfo.InvariantCulture));
        try
        {
            await emulator.WaitUntilListeningAsync();
            await Task.Delay(1500); // past the first checks: it must not stop while the parent lives
            Assert.False(emulator.Process.HasExited, "the emulator stopped while its parent was running");
        }
        finally
        {
            parent.Kill(entireProcessTree: true);
            await parent.WaitForExitAsync();
        }

        using var within = new CancellationTokenSource(BuiltEmulatorProcess.Patience); // it checks every second
        await emulator.Process.WaitForExitAsync(within.Token);
        Assert.Equal(0, emulator.Process.ExitCode);
        Assert.Contains($"Parent process {parent.Id} has exited; stopping.", await emulator.Process.StandardOutput.ReadToEndAsync());
    }

    [Trait("Category", "RealTime")] // the built process, end to end (see above)
    [Fact]
    public async Task The_built_emulator_stops_at_once_when_its_parent_is_already_gone()
    {
        using var parent = Process.Start(new ProcessStartInfo("dotnet", "--version") { RedirectStandardOutput = true })!;
        await parent.WaitForExitAsync();
        await using var emulator = BuiltEmulatorProcess.Start("--parent-pid", parent.Id.ToString(CultureInfo.InvariantCulture));

        using var within = new CancellationTokenSource(BuiltEmulatorProcess.Patience);
        await emulator.Process.WaitForExitAsync(within.Token);
        Assert.Equal(0, emulator.Process.ExitCode);
    }
}
