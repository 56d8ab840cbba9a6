namespace CodatFiles.Emulator.Limits;

/// <summary>
/// Codat's per-client daily request quota, reset at 00:00 UTC. Runs on the emulator's <see cref="TimeProvider"/> (the
/// system clock from the command line), not the upload clock of the control endpoint, so moving upload time around
/// in a test never refills or drains the quota by surprise.
/// </summary>
internal sealed class DailyQuota
{
    private readonly Func<int> _limit;
    private readonly TimeProvider _time;
    private readonly object _gate = new();
    private DateOnly _day;
    private int _used;

    // Set through PUT /_emulator/quota: what is left, counted down per request, until _setResetsAt.
    private int _setRemaining;
    private DateTimeOffset? _setResetsAt;

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
            bool allowed;
            if (_setResetsAt is not null)
            {
                allowed = _setRemaining > 0;
                if (allowed) _setRemaining--;
            }
            else
            {
                allowed = _used < limit;
            }
            if (allowed)
            {
                _used++;
            }
            state = StateLocked(limit);
            return allowed;
        }
    }

    /// <summary>The state without counting, for answers given before the quota stage (faults, 401).</summary>
    public RateLimitState Peek()
    {
        lock (_gate)
        {
            RollOverIfNewDay();
            return StateLocked(_limit());
        }
    }

    /// <summary>
    /// For tests (PUT /_emulator/quota): from now on exactly <paramref name="remaining"/> requests are left, counted down
    /// by each request as usual and whatever companies are added, until <paramref name="resetsAt"/> (default the next
    /// 00:00 UTC), when the quota is full again.
    /// </summary>
    public RateLimitState SetRemaining(int remaining, DateTimeOffset? resetsAt)
    {
        lock (_gate)
        {
            RollOverIfNewDay();
            _setRemaining = remaining;
            _setResetsAt = resetsAt ?? NextResetLocked();
            return StateLocked(_limit());
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
            _setResetsAt = null;
        }
    }

    private void RollOverIfNewDay()
    {
        if (_setResetsAt is { } setResetsAt && _time.GetUtcNow() >= setResetsAt)
        {
            _setResetsAt = null;
            _used = 0;
        }
        var today = Today();
        if (today != _day)
        {
            _day = today;
            _used = 0;
        }
    }

    private RateLimitState StateLocked(int limit) => _setResetsAt is { } setResetsAt
        ? new RateLimitState(limit, _setRemaining, setResetsAt)
        : new RateLimitState(limit, Math.Max(0, limit - _used), NextResetLocked());

    private DateTimeOffset NextResetLocked() =>
        new(_day.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

    private DateOnly Today() => DateOnly.FromDateTime(_time.GetUtcNow().UtcDateTime);
}
