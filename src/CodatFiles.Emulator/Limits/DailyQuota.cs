namespace CodatFiles.Emulator.Limits;

/// <summary>
/// Codat's per-client daily request quota, reset at 00:00 UTC. Runs on the real clock, not the upload clock of
/// the control endpoint, so moving upload time around in a test never refills or drains the quota by surprise.
/// </summary>
internal sealed class DailyQuota
{
    private readonly Func<int> _limit;
    private readonly TimeProvider _time;
    private readonly object _gate = new();
    private DateOnly _day;
    private int _used;

    /// <param name="limit">Evaluated on every request: the default grows as companies are added.</param>
    public DailyQuota(Func<int> limit, TimeProvider time)
    {
        _limit = limit;
        _time = time;
        _day = Today();
    }

    /// <summary>Counts one request if any quota is left today.</summary>
    public bool TryConsume(out RateLimitState state)
    {
        lock (_gate)
        {
            RollOverIfNewDay();
            var limit = _limit();
            var allowed = _used < limit;
            if (allowed)
            {
                _used++;
            }
            state = new RateLimitState(limit, Math.Max(0, limit - _used), NextResetLocked());
            return allowed;
        }
    }

    /// <summary>The state without counting, for answers given before the quota stage (faults, 401).</summary>
    public RateLimitState Peek()
    {
        lock (_gate)
        {
            RollOverIfNewDay();
            var limit = _limit();
            return new RateLimitState(limit, Math.Max(0, limit - _used), NextResetLocked());
        }
    }

    /// <summary>Whole seconds until the reset, at least 1 so a client never retries at once.</summary>
    public int SecondsUntilReset()
    {
        var seconds = (Peek().ResetsAt - _time.GetUtcNow()).TotalSeconds;
        return Math.Max(1, (int)Math.Ceiling(seconds));
    }

    public void Reset()
    {
        lock (_gate)
        {
            _used = 0;
            _day = Today();
        }
    }

    private void RollOverIfNewDay()
    {
        var today = Today();
        if (today != _day)
        {
            _day = today;
            _used = 0;
        }
    }

    private DateTimeOffset NextResetLocked() =>
        new(_day.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

    private DateOnly Today() => DateOnly.FromDateTime(_time.GetUtcNow().UtcDateTime);
}
