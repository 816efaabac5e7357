using System;

namespace Baseten.Aot.Http;

/// <summary>
/// One event of a <c>text/event-stream</c>, as the WHATWG HTML standard's parsing rules produce it:
/// a value type, so a stream of events allocates only their text.
/// </summary>
/// <param name="EventType">The <c>event:</c> field; null when the event had none, which the standard calls <c>message</c>.</param>
/// <param name="Data">The <c>data:</c> lines, joined with <c>\n</c>.</param>
/// <param name="Id">The last event id the stream has set with an <c>id:</c> field, as of this event (it carries over to later events); null if none.</param>
public readonly record struct ServerSentEvent(string? EventType, string Data, string? Id)
{
    /// <summary>
    /// The reconnection time the stream last asked for with a <c>retry:</c> field, as of this event;
    /// null if none. The transport does not reconnect by itself: this is for a caller that does.
    /// </summary>
    public TimeSpan? Retry { get; init; }
}
