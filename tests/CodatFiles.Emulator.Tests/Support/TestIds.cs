namespace CodatFiles.Emulator.Tests.Support;

/// <summary>The ids the emulator is seeded with (the spec's examples) and a few that it does not know.</summary>
internal static class TestIds
{
    public const string Company = "8a210b68-6988-11ed-a1eb-0242ac120002";
    public const string Connection = "2e9d2c44-f675-40ba-8049-353bfcb5e171";
    public const string UnknownCompany = "846ed55c-974b-4e7a-8d4b-7dc1d1a1a1a1";
    public const string UnknownConnection = "a22dd66b-0000-4f0a-9c1d-1234567890ab";

    public static string UploadPath(string company = Company, string connection = Connection) =>
        $"companies/{company}/connections/{connection}/files";

    public static string ListPath(string company = Company) => $"companies/{company}/files";

    public static string DownloadPath(string company = Company, string? date = null) =>
        $"companies/{company}/files/download" + (date is null ? "" : "?date=" + Uri.EscapeDataString(date));
}
