namespace CodatFiles.Emulator.Faults;

/// <summary>
/// Set on a request that took a late-commit fault: upload-files reads the body, then waits <see cref="Delay"/>
/// before storing it. The wait ignores the client going away, as a buffering load balancer or a slow Codat would.
/// </summary>
internal sealed record LateCommit(TimeSpan Delay)
{
    /// <summary>Waits, on the emulator's clock, the delay of the request's late-commit fault, if it took one.</summary>
    public static Task WaitAsync(HttpContext context, TimeProvider time) =>
        context.Features.Get<LateCommit>() is { } late ? Task.Delay(late.Delay, time, CancellationToken.None) : Task.CompletedTask;
}
