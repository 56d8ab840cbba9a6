using System.Threading.Channels;
using Microsoft.Extensions.Time.Testing;

namespace CodatFiles.Client.Tests;

/// <summary>
/// A fake clock that shows the test every timer the client starts (retry waits, per-attempt timeouts, the call's
/// budget), so a test can wait until the client is waiting, check what for, and move time past it: retries and
/// timeouts run without any real waiting, and the assertions are about counts and states, never wall time.
/// A test may share it with the emulator (<c>EmulatorOptions.TimeProvider</c>): then the emulator's waits show up
/// here too, and end only when the test moves the clock.
/// </summary>
internal sealed class TestClock : FakeTimeProvider
{
    /// <summary>How long, in real time, a test waits for the client to start a timer before it fails instead of hanging.</summary>
    private static readonly TimeSpan RealPatience = TimeSpan.FromSeconds(20);

    /// <summary>The longest wait a clock made with passShortWaits passes by itself (timeouts are never passed by themselves).</summary>
    public static readonly TimeSpan ShortWait = TimeSpan.FromSeconds(10);

    private readonly Channel<TimeSpan> _started = Channel.CreateUnbounded<TimeSpan>();
    private readonly List<TimeSpan> _seen = new();
    private readonly bool _passShortWaits;

    /// <param name="passShortWaits">
    /// Move time past every one-shot timer of up to <see cref="ShortWait"/> as soon as it starts, so the retries
    /// of tests that are not about time cost nothing; a test about time leaves it off and calls <see cref="PassAsync"/>.
    /// An emulator sharing the clock has its waits of up to <see cref="ShortWait"/> passed too.
    /// </param>
    public TestClock(bool passShortWaits = false)
        // Starts at the real time: the emulator stamps uploads from its clock, which is real unless a test shares this one with it.
        : base(DateTimeOffset.UtcNow)
    {
        _passShortWaits = passShortWaits;
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        // A timer whose state is a CancellationTokenSource is a timeout (an attempt's, or the budget's), never a wait.
        var isWait = !(state is CancellationTokenSource) && period == Timeout.InfiniteTimeSpan;
        if (_passShortWaits && isWait && dueTime > TimeSpan.Zero && dueTime <= ShortWait)
        {
            // Not on the creator's thread: the timer's owner has not finished setting up its wait yet.
            _ = Task.Run(() => Advance(dueTime));
        }
        else
        {
            _started.Writer.TryWrite(dueTime);
        }

        return timer;
    }

    /// <summary>
    /// Waits until the client starts a timer of <paramref name="dueTime"/> (skipping the others it starts
    /// meanwhile, such as an attempt's timeout), then moves the clock by that much, which fires it.
    /// </summary>
    public async Task PassAsync(TimeSpan dueTime)
    {
        await WaitForTimerAsync(dueTime);
        Advance(dueTime);
    }

    /// <summary>Waits until the client starts a timer of <paramref name="dueTime"/>, skipping the others it starts meanwhile.</summary>
    public async Task WaitForTimerAsync(TimeSpan dueTime)
    {
        using var patience = new CancellationTokenSource(RealPatience);
        try
        {
            while (true)
            {
                var started = await _started.Reader.ReadAsync(patience.Token);
                _seen.Add(started);
                if (started == dueTime) break;
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"Nothing started a timer of {dueTime}; timers seen: {string.Join(", ", _seen)}.");
        }
    }

    /// <summary>Timers the client started that no <see cref="PassAsync"/> has looked at yet.</summary>
    public IReadOnlyList<TimeSpan> PendingTimers()
    {
        var pending = new List<TimeSpan>();
        while (_started.Reader.TryRead(out var dueTime)) pending.Add(dueTime);
        _seen.AddRange(pending);
        return pending;
    }

    /// <summary>Fails the test, in real time, if <paramref name="call"/> does not end: a call that waits on this clock never does by itself.</summary>
    public static Task<T> Bounded<T>(Task<T> call) => call.WaitAsync(RealPatience);
}
