using CodatFiles.Pipeline;
using Microsoft.Extensions.Time.Testing;

namespace CodatFiles.Tests;

/// <summary>The per-company limit: AIMD on 429s and successes, one decrease per congestion episode, on a fake clock.</summary>
public sealed class AdaptiveConcurrencyLimitTests
{
    private readonly FakeTimeProvider _clock = new();

    [Fact]
    public async Task Admits_up_to_the_cap_and_queues_the_next_until_one_leaves()
    {
        var limit = new AdaptiveConcurrencyLimit(10, _clock);
        for (var i = 0; i < 10; i++) await limit.EnterAsync(CancellationToken.None);

        var eleventh = limit.EnterAsync(CancellationToken.None);
        Assert.False(eleventh.IsCompleted);

        limit.Leave();
        await eleventh.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void A_burst_of_429s_halves_the_limit_once_until_the_servers_wait_has_passed()
    {
        var limit = new AdaptiveConcurrencyLimit(10, _clock);

        Assert.Equal(5, limit.RecordThrottled(TimeSpan.FromSeconds(2)));
        Assert.Null(limit.RecordThrottled(TimeSpan.FromSeconds(2)));   // same episode
        _clock.Advance(TimeSpan.FromMilliseconds(1999));
        Assert.Null(limit.RecordThrottled(TimeSpan.FromSeconds(2)));
        _clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(2, limit.RecordThrottled(TimeSpan.Zero));         // a new episode: 5 / 2, whole requests
        Assert.Null(limit.RecordThrottled(TimeSpan.Zero));             // a zero wait still spans 100 ms
        _clock.Advance(TimeSpan.FromMilliseconds(100));
        Assert.Equal(1, limit.RecordThrottled(TimeSpan.Zero));
        _clock.Advance(TimeSpan.FromMilliseconds(100));
        Assert.Equal(1, limit.RecordThrottled(TimeSpan.Zero));         // never below 1
    }

    [Fact]
    public void Successes_raise_the_limit_by_one_per_limits_worth_up_to_the_cap()
    {
        var limit = new AdaptiveConcurrencyLimit(4, _clock);
        Assert.Equal(2, limit.RecordThrottled(TimeSpan.Zero));

        limit.RecordSuccess(); // 2.5
        limit.RecordSuccess(); // 2.9
        Assert.Equal(2, limit.CurrentLimit);
        limit.RecordSuccess(); // 3.24
        Assert.Equal(3, limit.CurrentLimit);
        for (var i = 0; i < 10; i++) limit.RecordSuccess();
        Assert.Equal(4, limit.CurrentLimit);
    }

    [Fact]
    public async Task A_lower_limit_holds_back_new_requests_without_cutting_off_those_in_flight()
    {
        var limit = new AdaptiveConcurrencyLimit(4, _clock);
        for (var i = 0; i < 4; i++) await limit.EnterAsync(CancellationToken.None);
        limit.RecordThrottled(TimeSpan.Zero); // limit 2, four still in flight

        var next = limit.EnterAsync(CancellationToken.None);
        limit.Leave();
        limit.Leave();
        Assert.False(next.IsCompleted); // two in flight: at the limit
        limit.Leave();
        await next.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task A_cancelled_wait_gives_up_its_turn_to_the_next()
    {
        var limit = new AdaptiveConcurrencyLimit(1, _clock);
        await limit.EnterAsync(CancellationToken.None);
        using var cancel = new CancellationTokenSource();
        var cancelled = limit.EnterAsync(cancel.Token);
        var next = limit.EnterAsync(CancellationToken.None);

        cancel.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        limit.Leave();
        await next.WaitAsync(TimeSpan.FromSeconds(10));
    }
}
