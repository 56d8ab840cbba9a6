using System.Diagnostics;

namespace CodatFiles.Emulator.Control;

/// <summary>
/// The time uploads are stamped with. Tests move it (POST /_emulator/clock) to upload "on another day";
/// once moved it keeps ticking in real time from the chosen instant so successive uploads stay ordered.
/// </summary>
internal sealed class EmulatorClock
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
                    ? start + Stopwatch.GetElapsedTime(_overrideSetAtTimestamp)
                    : DateTimeOffset.UtcNow;
            }
        }
    }

    public void Set(DateTimeOffset now)
    {
        lock (_gate)
        {
            _overrideStart = now.ToUniversalTime();
            _overrideSetAtTimestamp = Stopwatch.GetTimestamp();
        }
    }

    public void UseRealTime()
    {
        lock (_gate)
        {
            _overrideStart = null;
        }
    }
}
