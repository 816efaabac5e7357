using System;
using System.Threading.Tasks;
using Microsoft.Extensions.Time.Testing;

namespace Baseten.Aot.Tests;

/// <summary>
/// The tests' one fake clock: a <see cref="FakeTimeProvider"/> that can also be moved forward until
/// a call waiting on it ends. It steps in fake time while short real pauses let loopback I/O run,
/// and the number of steps is bounded, so a call that hangs fails its test instead of stalling it.
/// </summary>
internal sealed class FakeClock : FakeTimeProvider
{
    public FakeClock()
    {
    }

    public FakeClock(DateTimeOffset start)
        : base(start)
    {
    }

    /// <summary>
    /// Advances the clock by <paramref name="step"/> at most <paramref name="maxSteps"/> times,
    /// pausing <paramref name="realPause"/> of real time after each, until <paramref name="call"/>
    /// has completed; fails the test if it has not by then. The caller awaits the call for its outcome.
    /// </summary>
    public async Task AdvanceUntilCompletedAsync(Task call, TimeSpan step, int maxSteps, TimeSpan realPause)
    {
        for (int i = 0; i < maxSteps && !call.IsCompleted; i++)
        {
            Advance(step);
            await Task.WhenAny(call, Task.Delay(realPause));
        }

        Assert.True(call.IsCompleted, $"the call did not end within {(step * maxSteps).TotalSeconds:0} s of fake time");
    }
}
