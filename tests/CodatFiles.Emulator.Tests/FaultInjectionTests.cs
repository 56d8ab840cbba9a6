using System.Net;
using System.Net.Http.Json;
using CodatFiles.Emulator.Tests.Support;

namespace CodatFiles.Emulator.Tests;

public sealed class FaultInjectionTests
{
    [Fact]
    public async Task Status_fault_answers_with_codat_body_verbatim_retry_after_and_rate_limit_headers()
    {
        await using var host = await EmulatorTestHost.StartAsync();
        await host.AddFaultAsync(new { operation = "list-files", count = 2, kind = "status", status = 503, retryAfter = "2" });

        using var first = await host.Anonymous.GetAsync(TestIds.ListPath()); // faults come before auth
        using var second = await host.Client.GetAsync(TestIds.ListPath());
        using var third = await host.Client.GetAsync(TestIds.ListPath());

        await CodatErrorAssert.HasCodatErrorAsync(first, HttpStatusCode.ServiceUnavailable);
        await CodatErrorAssert.HasCodatErrorAsync(second, HttpStatusCode.ServiceUnavailable);
        Assert.Equal("2", Assert.Single(second.Headers.GetValues("Retry-After")));
        Assert.True(second.Headers.Contains("X-Rate-Limit-Remaining"));
        Assert.Equal(HttpStatusCode.OK, third.StatusCode); // count used up
    }

    [Fact]
    public async Task Status_fault_passes_an_http_date_retry_after_unchanged()
    {
        await using var host = await EmulatorTestHost.StartAsync();
        const string httpDate = "Wed, 21 Oct 2015 07:28:00 GMT";
        await host.AddFaultAsync(new { kind = "status", status = 429, retryAfter = httpDate });

        using var response = await host.Client.GetAsync(TestIds.DownloadPath());

        await CodatErrorAssert.HasCodatErrorAsync(response, HttpStatusCode.TooManyRequests);
        Assert.Equal(httpDate, Assert.Single(response.Headers.GetValues("Retry-After")));
    }

    [Fact]
    public async Task Fault_for_one_operation_leaves_the_others_alone()
    {
        await using var host = await EmulatorTestHost.StartAsync();
        await host.AddFaultAsync(new { operation = "upload-files", kind = "status", status = 500 });

        using var list = await host.Client.GetAsync(TestIds.ListPath());
        using var upload = await host.UploadAsync(("file", "a.pdf", [1]));

        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        await CodatErrorAssert.HasCodatErrorAsync(upload, HttpStatusCode.InternalServerError);
        Assert.Empty(await host.ListAsync());
    }

    [Theory]
    [InlineData("reset-before-body")]
    [InlineData("reset-after-body")]
    public async Task Reset_faults_fail_the_client_call_store_nothing_and_log_status_0(string kind)
    {
        await using var host = await EmulatorTestHost.StartAsync();
        await host.AddFaultAsync(new { operation = "upload-files", kind });

        await Assert.ThrowsAsync<HttpRequestException>(() => host.UploadAsync(("file", "a.pdf", new byte[200_000])));

        Assert.Empty(await host.ListAsync());
        var log = await host.RequestLogAsync();
        Assert.Equal(0, log[0].GetProperty("status").GetInt32());
        Assert.Equal("upload-files", log[0].GetProperty("operation").GetString());
        using var retry = await host.UploadAsync(("file", "a.pdf", [1]));
        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
    }

    [Fact]
    public async Task Store_then_drop_stores_the_upload_and_cuts_the_connection_without_an_answer()
    {
        await using var host = await EmulatorTestHost.StartAsync();
        await host.AddFaultAsync(new { operation = "upload-files", kind = "store-then-drop" });

        await Assert.ThrowsAsync<HttpRequestException>(() => host.UploadAsync(("file", "lost-answer.pdf", new byte[50_000])));

        var stored = await host.ListAsync();
        Assert.Equal("lost-answer.pdf", Assert.Single(stored).GetProperty("fileName").GetString());
        Assert.Equal(0, (await host.RequestLogAsync())[0].GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task Store_then_delay_stores_the_upload_before_the_late_answer()
    {
        await using var host = await EmulatorTestHost.StartAsync();
        await host.AddFaultAsync(new { operation = "upload-files", kind = "store-then-delay", delayMs = 1500 });

        var upload = host.UploadAsync(("file", "late-answer.pdf", new byte[1_000]));
        // Stored before the answer comes: a client that times out meanwhile cannot know it was.
        await host.Clock.WaitForTimerAsync(TimeSpan.FromMilliseconds(1500));
        var storedBeforeAnswer = (await host.ListAsync()).Length;
        host.Clock.Advance(TimeSpan.FromMilliseconds(1499));
        await host.AssertHeldAsync(upload, logIndex: 0);
        host.Clock.Advance(TimeSpan.FromMilliseconds(1));
        using var response = await upload.WaitAsync(EmulatorTestClock.RealPatience);

        Assert.Equal(1, storedBeforeAnswer);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Late_commit_stores_the_upload_only_after_the_client_gave_up_and_never_answers()
    {
        await using var host = await EmulatorTestHost.StartAsync();
        await host.AddFaultAsync(new { operation = "upload-files", kind = "late-commit", delayMs = 1500 });
        using var form = new MultipartFormDataContent { { new ByteArrayContent(new byte[1_000]), "file", "late-commit.pdf" } };
        using var giveUp = new CancellationTokenSource();

        var sent = host.Client.PostAsync(TestIds.UploadPath(), form, giveUp.Token);
        await host.Clock.WaitForTimerAsync(TimeSpan.FromMilliseconds(1500)); // the body is read, the commit waits
        // The client gives up first; a list taken then shows nothing, as a lost-answer check would see.
        await giveUp.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => sent);
        Assert.Empty(await host.ListAsync());
        host.Clock.Advance(TimeSpan.FromMilliseconds(1499));
        Assert.Empty(await host.ListAsync());
        host.Clock.Advance(TimeSpan.FromMilliseconds(1));

        // The commit lands anyway (written to disk after the wait, so looked for with real-time patience).
        await EmulatorTestHost.WaitUntilAsync(async () => (await host.ListAsync()).Length > 0);
        Assert.Equal("late-commit.pdf", Assert.Single(await host.ListAsync()).GetProperty("fileName").GetString());
        var upload = (await host.RequestLogAsync()).Single(e => e.GetProperty("operation").GetString() == "upload-files");
        Assert.Equal("late-commit", upload.GetProperty("fault").GetString());
    }

    [Fact]
    public async Task A_fault_with_a_probability_faults_about_that_share_of_requests()
    {
        await using var host = await EmulatorTestHost.StartAsync();
        await host.AddFaultAsync(new { operation = "list-files", count = 1000, kind = "status", status = 503, probability = 0.5 });

        var faulted = 0;
        for (var i = 0; i < 200; i++)
        {
            using var response = await host.Client.GetAsync(TestIds.ListPath());
            if (response.StatusCode == HttpStatusCode.ServiceUnavailable) faulted++;
        }

        Assert.InRange(faulted, 60, 140); // binomial(200, 0.5): outside this is a 1-in-10^8 chance
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.5)]
    public async Task A_probability_outside_0_to_1_is_refused(double probability)
    {
        await using var host = await EmulatorTestHost.StartAsync();
        using var response = await host.Control.PostAsJsonAsync("/_emulator/faults", new { kind = "status", probability });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Reset_fault_on_a_get_fails_the_client_call()
    {
        await using var host = await EmulatorTestHost.StartAsync();
        await host.AddFaultAsync(new { operation = "download-files", kind = "reset-before-body" });

        await Assert.ThrowsAsync<HttpRequestException>(() => host.Client.GetAsync(TestIds.DownloadPath()));
    }

    [Fact]
    public async Task Delay_fault_waits_then_serves_normally()
    {
        await using var host = await EmulatorTestHost.StartAsync();
        await host.AddFaultAsync(new { kind = "delay", delayMs = 400 });

        using var response = await host.AnsweredAfterAsync(host.Client.GetAsync(TestIds.ListPath()), 400);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Status_fault_with_delay_waits_first()
    {
        await using var host = await EmulatorTestHost.StartAsync();
        await host.AddFaultAsync(new { kind = "status", status = 500, delayMs = 300 });

        using var response = await host.AnsweredAfterAsync(host.Client.GetAsync(TestIds.ListPath()), 300);

        await CodatErrorAssert.HasCodatErrorAsync(response, HttpStatusCode.InternalServerError);
    }

    [Fact]
    public async Task Deleting_faults_clears_pending_ones()
    {
        await using var host = await EmulatorTestHost.StartAsync();
        await host.AddFaultAsync(new { count = 5, kind = "status", status = 500 });

        await host.ControlAsync(HttpMethod.Delete, "faults", expected: HttpStatusCode.NoContent);

        using var response = await host.Client.GetAsync(TestIds.ListPath());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData(101)]
    [InlineData(200)]
    [InlineData(204)]
    [InlineData(304)]
    [InlineData(399)]
    [InlineData(600)]
    public async Task Status_faults_outside_400_to_599_are_refused_and_not_applied(int status)
    {
        await using var host = await EmulatorTestHost.StartAsync();

        using var response = await host.Control.PostAsJsonAsync("_emulator/faults", new { kind = "status", status });

        var body = await CodatErrorAssert.HasCodatErrorAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal($"status must be an error status between 400 and 599, not {status}.", body.GetProperty("error").GetString());
        using var list = await host.Client.GetAsync(TestIds.ListPath());
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
    }

    [Theory]
    [InlineData(400)]
    [InlineData(599)]
    public async Task Status_faults_at_the_edges_of_the_range_are_answered(int status)
    {
        await using var host = await EmulatorTestHost.StartAsync();
        await host.AddFaultAsync(new { kind = "status", status });

        using var response = await host.Client.GetAsync(TestIds.ListPath());

        await CodatErrorAssert.HasCodatErrorAsync(response, (HttpStatusCode)status);
    }

    [Theory]
    [InlineData("{\"kind\":\"explode\"}")]
    [InlineData("{\"kind\":\"status\",\"operation\":\"delete-files\"}")]
    [InlineData("{\"kind\":\"status\",\"count\":0}")]
    [InlineData("not json")]
    [InlineData("{\"kind\":\"raw-body\"}")]
    [InlineData("{\"kind\":\"raw-body\",\"bodyBase64\":\"not base64!\"}")]
    public async Task Invalid_fault_requests_get_400(string json)
    {
        await using var host = await EmulatorTestHost.StartAsync();

        using var response = await host.Control.PostAsync("_emulator/faults",
            new StringContent(json, System.Text.Encoding.UTF8, "application/json"));

        var body = await CodatErrorAssert.HasCodatErrorAsync(response, HttpStatusCode.BadRequest);
        Assert.NotEmpty(body.GetProperty("error").GetString()!);
    }

    [Theory]
    [InlineData("PGh0bWw+PGJvZHk+U2lnbiBpbjwvYm9keT48L2h0bWw+")] // <html><body>Sign in</body></html>
    [InlineData("")]
    public async Task Raw_body_fault_answers_200_octet_stream_with_the_given_bytes_before_auth_once(string bodyBase64)
    {
        await using var host = await EmulatorTestHost.StartAsync();
        await host.AddFaultAsync(new { operation = "download-files", kind = "raw-body", bodyBase64 });

        using var faulted = await host.Anonymous.GetAsync(TestIds.DownloadPath());
        using var next = await host.Client.GetAsync(TestIds.DownloadPath());

        Assert.Equal(HttpStatusCode.OK, faulted.StatusCode);
        Assert.Equal("application/octet-stream", faulted.Content.Headers.ContentType?.MediaType);
        Assert.Equal(Convert.FromBase64String(bodyBase64), await faulted.Content.ReadAsByteArrayAsync());
        Assert.Equal(bodyBase64.Length == 0 ? 0 : Convert.FromBase64String(bodyBase64).Length, faulted.Content.Headers.ContentLength);
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
        Assert.Equal("PK"u8.ToArray(), (await next.Content.ReadAsByteArrayAsync())[..2]); // the real zip again
        Assert.Equal("raw-body", (await host.RequestLogAsync())[0].GetProperty("fault").GetString());
    }
}
