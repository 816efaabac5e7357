using System;
using System.IO;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using Baseten.Aot.Tests.GeneratedWebhooks;

namespace Baseten.Aot.Tests;

/// <summary>
/// GeneratedWebhooks/couriers.openapi.yaml: two webhooks (one a discriminated union) and one
/// operation's callback, read from exact bytes through the generated <c>CouriersWebhooks</c>.
/// </summary>
public sealed class GeneratedWebhooksTests
{
    private static readonly byte[] s_delivered = Encoding.UTF8.GetBytes(
        """{"parcel_id":"pcl_81","delivered_at":"2026-03-04T05:06:07+02:00","signed_by":"R. Okafor","weight_grams":1250}""");

    [Fact]
    public void ParcelDelivered_IsReadFromBytes_EveryMember()
    {
        ParcelDelivered payload = CouriersWebhooks.ParseParcelDelivered(s_delivered);

        Assert.Equal("pcl_81", payload.ParcelId);
        Assert.Equal(new DateTimeOffset(2026, 3, 4, 5, 6, 7, TimeSpan.FromHours(2)), payload.DeliveredAt);
        Assert.Equal(TimeSpan.FromHours(2), payload.DeliveredAt.Offset);
        Assert.Equal("R. Okafor", payload.SignedBy);
        Assert.Equal(1250L, payload.WeightGrams);
    }

    [Fact]
    public async Task ParcelDelivered_IsReadFromAStream_AsFromBytes()
    {
        using var body = new MemoryStream(s_delivered);
        ParcelDelivered payload = await CouriersWebhooks.ParseParcelDeliveredAsync(body);

        Assert.Equal("pcl_81", payload.ParcelId);
        Assert.Equal(new DateTimeOffset(2026, 3, 4, 5, 6, 7, TimeSpan.FromHours(2)), payload.DeliveredAt);
        Assert.Equal("R. Okafor", payload.SignedBy);
        Assert.Equal(1250L, payload.WeightGrams);
        Assert.Equal(s_delivered.Length, body.Position);
    }

    [Fact]
    public void ParcelDelivered_OptionalMembersLeftOut_AreNull()
    {
        ParcelDelivered payload = CouriersWebhooks.ParseParcelDelivered("""{"delivered_at":"2026-01-02T00:00:00Z","parcel_id":"p"}"""u8);

        Assert.Equal("p", payload.ParcelId);
        Assert.Equal(new DateTimeOffset(2026, 1, 2, 0, 0, 0, TimeSpan.Zero), payload.DeliveredAt);
        Assert.Null(payload.SignedBy);
        Assert.Null(payload.WeightGrams);
    }

    [Fact]
    public void TrackingEvent_IsReadAsTheVariantItsDiscriminatorNames()
    {
        TrackingEvent scanned = CouriersWebhooks.ParseTrackingEvent("""{"kind":"scanned","depot":"Leeds 2"}"""u8);
        TrackingEvent delayed = CouriersWebhooks.ParseTrackingEvent("""{"minutes":45,"kind":"delayed","reason":"snow"}"""u8);

        Scanned scan = Assert.IsType<Scanned>(scanned);
        Assert.Equal("scanned", scan.Kind);
        Assert.Equal("Leeds 2", scan.Depot);
        Delayed delay = Assert.IsType<Delayed>(delayed);
        Assert.Equal("delayed", delay.Kind);
        Assert.Equal(45L, delay.Minutes);
        Assert.Equal("snow", delay.Reason);
    }

    [Fact]
    public void TrackingEvent_OfAKindThisClientDoesNotKnow_IsKeptAsUnknown()
    {
        TrackingEvent payload = CouriersWebhooks.ParseTrackingEvent("""{"kind":"lost","at":"depot"}"""u8);

        TrackingEvent.Unknown unknown = Assert.IsType<TrackingEvent.Unknown>(payload);
        Assert.Equal("lost", unknown.DiscriminatorValue);
        Assert.Equal("depot", unknown.Json.GetProperty("at").GetString());
    }

    [Fact]
    public async Task StatusChangedCallback_IsReadFromBytesAndStream()
    {
        byte[] bytes = Encoding.UTF8.GetBytes("""{"parcel_id":"pcl_9","status":"returned"}""");

        CreateSubscriptionStatusChangedPayload fromBytes = CouriersWebhooks.ParseCreateSubscriptionStatusChanged(bytes);
        using var body = new MemoryStream(bytes);
        CreateSubscriptionStatusChangedPayload fromStream = await CouriersWebhooks.ParseCreateSubscriptionStatusChangedAsync(body);

        foreach (CreateSubscriptionStatusChangedPayload payload in new[] { fromBytes, fromStream })
        {
            Assert.Equal("pcl_9", payload.ParcelId);
            Assert.Equal(CreateSubscriptionStatusChangedPayloadStatus.Returned, payload.Status);
            Assert.Equal(CreateSubscriptionStatusChangedPayloadStatus.Known.Returned, payload.Status.KnownValue);
        }
    }

    [Fact]
    public void InvalidJson_IsAJsonException()
    {
        Assert.Throws<JsonException>(() => CouriersWebhooks.ParseParcelDelivered("""{"parcel_id":"p","""u8));
        Assert.Throws<JsonException>(() => CouriersWebhooks.ParseTrackingEvent("not json"u8));
        Assert.Throws<JsonException>(() => CouriersWebhooks.ParseParcelDelivered(ReadOnlySpan<byte>.Empty));
    }

    [Fact]
    public async Task InvalidJson_FromAStream_IsAJsonException()
    {
        using var body = new MemoryStream(Encoding.UTF8.GetBytes("""{"parcel_id":"""));

        await Assert.ThrowsAsync<JsonException>(async () => await CouriersWebhooks.ParseParcelDeliveredAsync(body));
    }

    [Fact]
    public void AMissingRequiredMember_IsAJsonException_ThatNamesIt()
    {
        JsonException missing = Assert.Throws<JsonException>(() => CouriersWebhooks.ParseParcelDelivered("""{"parcel_id":"p"}"""u8));
        JsonException missingInVariant = Assert.Throws<JsonException>(() => CouriersWebhooks.ParseTrackingEvent("""{"kind":"scanned"}"""u8));

        Assert.Contains("delivered_at", missing.Message, StringComparison.Ordinal);
        Assert.Contains("depot", missingInVariant.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WrongShape_IsAJsonException()
    {
        Assert.Throws<JsonException>(() => CouriersWebhooks.ParseParcelDelivered("""[1,2]"""u8));
        Assert.Throws<JsonException>(() => CouriersWebhooks.ParseParcelDelivered("""{"parcel_id":7,"delivered_at":"2026-01-02T00:00:00Z"}"""u8));
        Assert.Throws<JsonException>(() => CouriersWebhooks.ParseCreateSubscriptionStatusChanged("\"returned\""u8));
    }

    [Fact]
    public async Task JsonNull_IsAJsonException_NotANullPayload()
    {
        JsonException fromBytes = Assert.Throws<JsonException>(() => CouriersWebhooks.ParseParcelDelivered("null"u8));
        using var body = new MemoryStream("null"u8.ToArray());
        JsonException fromStream = await Assert.ThrowsAsync<JsonException>(async () => await CouriersWebhooks.ParseTrackingEventAsync(body));

        Assert.Contains("parcelDelivered", fromBytes.Message, StringComparison.Ordinal);
        Assert.Contains("trackingEvent", fromStream.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ANullStream_IsAnArgumentNullException()
    {
        ArgumentNullException thrown = await Assert.ThrowsAsync<ArgumentNullException>(async () => await CouriersWebhooks.ParseParcelDeliveredAsync(null!));

        Assert.Equal("utf8Json", thrown.ParamName);
    }
}
