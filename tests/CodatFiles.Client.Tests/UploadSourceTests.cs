using CodatFiles.Client;
using Xunit;
using static CodatFiles.Client.Tests.EmulatorHarness;

namespace CodatFiles.Client.Tests;

/// <summary>
/// One file of a request whose source fails (cannot be read, or changes while it is sent) stops the call with
/// CodatUploadSourceException naming that file, is not retried, and leaves nothing stored: the request is cut off
/// before its end. The other files can then be sent in a request of their own.
/// </summary>
public sealed class UploadSourceTests
{
    [Fact]
    public async Task A_read_failure_in_the_middle_of_a_file_names_that_file_and_is_not_retried()
    {
        await using var emulator = await StartAsync();
        var client = emulator.CreateClient(FastRetry());
        var good = OperationTests.InMemory("good.pdf", 50_000);
        var breaking = new UploadFile("breaking.pdf", 200_000, () => new BreakingStream(new MemoryStream(new byte[100_000]), 100_000, new IOException("simulated: input/output error")));

        var error = await Assert.ThrowsAsync<CodatUploadSourceException>(() => client.UploadFilesAsync(Company, Connection, new[] { good, breaking }));

        Assert.Same(breaking, error.File);
        Assert.False(error.ChangedWhileSent);
        Assert.Equal(1, error.Attempts);
        Assert.Equal("simulated: input/output error", error.InnerException!.Message);
        Assert.Empty(await client.ListFilesAsync(Company));

        var rest = await client.UploadFilesAsync(Company, Connection, new[] { good });
        Assert.Equal(new[] { "good.pdf" }, (await client.ListFilesAsync(Company)).Select(f => f.FileName));
        Assert.Equal(1, rest.Attempts);
    }

    [Theory]
    [InlineData(1_000, 1_001)]
    [InlineData(300_000, 1_000_000)]
    [InlineData(300_000, 100)]
    public async Task A_source_longer_or_shorter_than_declared_is_a_change_not_a_network_failure(int declared, int actual)
    {
        await using var emulator = await StartAsync();
        var client = emulator.CreateClient(FastRetry());
        var content = TempFolder.RandomBytes(actual, seed: 3);
        var changing = new UploadFile("changing.csv", declared, () => new MemoryStream(content, writable: false));

        var error = await Assert.ThrowsAsync<CodatUploadSourceException>(() => client.UploadFilesAsync(Company, Connection, new[] { changing }));

        Assert.True(error.ChangedWhileSent);
        Assert.Equal(1, error.Attempts);
        Assert.Contains($"was {declared:N0} bytes when it was checked", error.InnerException!.Message);
        Assert.Empty(await client.ListFilesAsync(Company));
    }

    [Fact]
    public async Task A_local_file_rewritten_after_its_check_is_a_change()
    {
        await using var emulator = await StartAsync();
        using var folder = new TempFolder();
        var client = emulator.CreateClient(FastRetry());
        var path = folder.CreateFile("ledger.csv", 4_000);
        var info = new FileInfo(path);
        var file = UploadFile.FromFile(info);
        File.WriteAllBytes(path, TempFolder.RandomBytes(4_000, seed: 9));
        File.SetLastWriteTimeUtc(path, info.LastWriteTimeUtc.AddSeconds(5));

        var error = await Assert.ThrowsAsync<CodatUploadSourceException>(() => client.UploadFilesAsync(Company, Connection, new[] { file }));

        Assert.True(error.ChangedWhileSent);
        Assert.Contains("was rewritten while it was sent", error.InnerException!.Message);
        Assert.Empty(await client.ListFilesAsync(Company));
    }

    [Fact]
    public async Task FromFile_takes_the_length_it_was_given_and_sends_an_unchanged_file()
    {
        await using var emulator = await StartAsync();
        using var folder = new TempFolder();
        var client = emulator.CreateClient();
        var info = new FileInfo(folder.CreateFile("same.pdf", 12_345));
        _ = info.Length; // the FileInfo has looked once, as the module's resolver does

        var result = await client.UploadFilesAsync(Company, Connection, new[] { UploadFile.FromFile(info) });

        Assert.Equal(12_345, result.Bytes);
        Assert.Equal("same.pdf", Assert.Single(await client.ListFilesAsync(Company)).FileName);
    }
}
