using System;

namespace CodatFiles.Client.Internal
{
    /// <summary>
    /// CancelAfter and timer-based delays take at most int.MaxValue milliseconds (about 24.8 days); a longer
    /// timeout or wait would throw instead of waiting, so every one the client sets is clamped here.
    /// </summary>
    internal static class TimerLimits
    {
        public static readonly TimeSpan Longest = TimeSpan.FromMilliseconds(int.MaxValue);

        public static TimeSpan Clamp(TimeSpan value) =>
            value < TimeSpan.Zero ? TimeSpan.Zero : value > Longest ? Longest : value;
    }
}
