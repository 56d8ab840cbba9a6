using System.Text.Json;
using CodatFiles.Emulator.Api;
using CodatFiles.Emulator.Tests.Support;

namespace CodatFiles.Emulator.Tests;

/// <summary>The in-repo spec that the other tests read.</summary>
public sealed class SpecCopyTests
{
    [Fact]
    public void In_repo_spec_declares_the_three_operations_and_matches_the_shared_one_byte_for_byte_where_present()
    {
        var operationIds = SpecSchemas.Document.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject())
            .Where(member => member.Value.ValueKind == JsonValueKind.Object && member.Value.TryGetProperty("operationId", out _))
            .Select(member => member.Value.GetProperty("operationId").GetString())
            .Order()
            .ToArray();
        Assert.Equal(ApiOperation.All.Order(), operationIds);

        // ../shared exists only in the original workspace; a fresh clone relies on the check above alone.
        if (File.Exists(SpecSchemas.SharedSpecPath))
        {
            Assert.True(File.ReadAllBytes(SpecSchemas.SharedSpecPath).AsSpan().SequenceEqual(File.ReadAllBytes(SpecSchemas.SpecPath)),
                $"{SpecSchemas.SpecPath} differs from {SpecSchemas.SharedSpecPath}; copy the shared spec into spec/ again.");
        }
    }
}
