namespace CodatFiles.Emulator.Control;

/// <summary>
/// The time uploads are stamped with, read from the emulator's <see cref="TimeProvider"/>. Tests move it
/// (POST /_emulator/clock) to upload "on another day"; once moved it keeps ticking with the provider from the chosen
/// instant (in real time from the command line) so successive uploads stay ordered.
/// </summary>
internal sealed class EmulatorClock(TimeProvider time)
{
    private readonly object _gate = new();
    private DateTimeOffset? _overrideStart;
    private long _overrideSetAtTimestamp;

    public DateTimeOffset UtcNow
    {
        get
        {
            lock (_gate)
            {
                return _overrideStart is { } start
                    ? start + time.GetElapsedTime(_overrideSetAtTimestamp)
                    : time.GetUtcNow();
            }
        }
    }

    public void Set(DateTimeOffset now)
    {
        lock (_gate)
        {
            _overrideStart = now.ToUniversalTime();
            _overrideSetAtTimestamp = time.GetTimestamp();
        }
    }

    /// <summary>Drops a time set through <see cref="Set"/>: the clock reads the provider's time again.</summary>
    public void UseProviderTime()
    {
        lock (_gate)
        {
            _overrideStart = null;
        }
    }
}
