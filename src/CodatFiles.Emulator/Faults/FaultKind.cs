namespace CodatFiles.Emulator.Faults;

/// <summary>The misbehaviours a test can ask for, named as on the wire ("reset-before-body", …).</summary>
internal enum FaultKind
{
    /// <summary>Answer with a chosen status and a Codat error body.</summary>
    Status,
    /// <summary>Drop the connection before reading the request body.</summary>
    ResetBeforeBody,
    /// <summary>Read the whole request body, then drop the connection: the client cannot know if it was stored.</summary>
    ResetAfterBody,
    /// <summary>Wait, then serve normally: for timeouts and holding requests in flight.</summary>
    Delay,
    /// <summary>Answer 200 with an HTML sign-in page, as a proxy or captive portal would: not Codat, whatever the status.</summary>
    HtmlPage,
    /// <summary>Answer 302 with a Location (a sign-in page of the same host), as a proxy or a moved site would.</summary>
    Redirect,
    /// <summary>Serve the request (an upload is stored), then drop the connection instead of answering: a lost answer.</summary>
    StoreThenDrop,
    /// <summary>Serve the request (an upload is stored), then hold the answer back for the fault's delay: a late answer.</summary>
    StoreThenDelay,
    /// <summary>
    /// Read the whole upload, then store it only after the fault's delay, whether or not the client is still
    /// waiting, and cut the connection instead of answering: a late commit (a buffering load balancer, a slow
    /// Codat) that lands after a client's timeout gave up and after any list it took meanwhile.
    /// </summary>
    LateCommit,
    /// <summary>
    /// Answer 200 <c>application/octet-stream</c> with the bytes the test gave: a download body that is not Codat's zip
    /// (a sign-in page served as a file, JSON, nothing at all) or a hostile zip (an entry that lies about its size, a bomb).
    /// </summary>
    RawBody,
    /// <summary>
    /// Read the whole request body and answer 200 with no body, as a successful upload is answered, storing nothing:
    /// an acceptance Codat does not keep, which only a later list can show (the client's -Verify).
    /// </summary>
    AcceptNotStore,
}

internal static class FaultKinds
{
    private static readonly Dictionary<string, FaultKind> s_byName = new(StringComparer.OrdinalIgnoreCase)
    {
        ["status"] = FaultKind.Status,
        ["reset-before-body"] = FaultKind.ResetBeforeBody,
        ["reset-after-body"] = FaultKind.ResetAfterBody,
        ["delay"] = FaultKind.Delay,
        ["html-page"] = FaultKind.HtmlPage,
        ["redirect"] = FaultKind.Redirect,
        ["store-then-drop"] = FaultKind.StoreThenDrop,
        ["store-then-delay"] = FaultKind.StoreThenDelay,
        ["late-commit"] = FaultKind.LateCommit,
        ["raw-body"] = FaultKind.RawBody,
        ["accept-not-store"] = FaultKind.AcceptNotStore,
    };

    /// <summary>Kinds that fail the request before it is served (before auth), rather than while or after serving it.</summary>
    public static bool FailsBeforeServing(this FaultKind kind) =>
        kind is FaultKind.Status or FaultKind.ResetBeforeBody or FaultKind.ResetAfterBody or FaultKind.HtmlPage or FaultKind.Redirect
            or FaultKind.RawBody or FaultKind.AcceptNotStore;

    public static IEnumerable<string> Names => s_byName.Keys;

    /// <summary>The kind's wire name ("store-then-drop", …).</summary>
    public static string NameOf(FaultKind kind) => s_byName.First(pair => pair.Value == kind).Key;

    public static bool TryParse(string? name, out FaultKind kind) => s_byName.TryGetValue(name ?? "", out kind);
}
