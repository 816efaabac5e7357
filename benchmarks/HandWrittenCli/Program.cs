using System;
using System.Collections.Generic;
using System.IO;
using System.Net.Http;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Threading.Tasks;

namespace HandWrittenCli;

// handwritten <CHAIN_ID> <NAME> [body.json] [base-url]
// handwritten predict <MODEL_ID> <input.json> [base-url]
// handwritten embed <MODEL_ID> <input.txt> [base-url] [float|base64]   (Embed.cs)
// handwritten chat <MODEL_SLUG> <message> [base-url], handwritten models [base-url]   (Chat.cs)
// What a careful person writes without a generator, for the same calls the baseten CLI makes.
internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "predict")
        {
            return await PredictAsync(args);
        }

        if (args.Length > 0 && args[0] == "embed")
        {
            return await Embed.RunAsync(args);
        }

        if (args.Length > 0 && args[0] is "chat" or "models")
        {
            return await Chat.RunAsync(args);
        }

        if (args.Length < 2)
        {
            await Console.Error.WriteLineAsync("usage: handwritten <CHAIN_ID> <NAME> [body.json] [base-url]");
            return 2;
        }

        try
        {
            CreateRequest request = args.Length > 2
                ? JsonSerializer.Deserialize(await File.ReadAllTextAsync(args[2]), WireContext.Default.CreateRequest) ?? new CreateRequest()
                : new CreateRequest();
            request.Name = args[1];
            string key = System.Environment.GetEnvironmentVariable("BASETEN_API_KEY") ?? throw new InvalidOperationException("no API key");
            using var http = new HttpClient { BaseAddress = new Uri(args.Length > 3 ? args[3] : "https://api.baseten.co") };
            using var message = new HttpRequestMessage(HttpMethod.Post, "/v1/chains/" + Uri.EscapeDataString(args[0]) + "/environments")
            {
                Content = JsonContent.Create(request, WireContext.Default.CreateRequest),
            };
            message.Headers.TryAddWithoutValidation("Authorization", "Api-Key " + key);
            using HttpResponseMessage response = await http.SendAsync(message);
            if (!response.IsSuccessStatusCode)
            {
                await Console.Error.WriteLineAsync($"error: {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
                return 1;
            }

            Environment? environment = await response.Content.ReadFromJsonAsync(WireContext.Default.Environment);
            Console.WriteLine(JsonSerializer.Serialize(environment!, IndentedContext.Default.Environment));
            return 0;
        }
        catch (Exception exception) when (exception is JsonException or HttpRequestException or IOException or InvalidOperationException)
        {
            await Console.Error.WriteLineAsync("error: " + exception.Message);
            return 2;
        }
    }

    // POST the input to the model's production deployment, and copy the answer to stdout as it arrives.
    private static async Task<int> PredictAsync(string[] args)
    {
        if (args.Length < 3)
        {
            await Console.Error.WriteLineAsync("usage: handwritten predict <MODEL_ID> <input.json> [base-url]");
            return 2;
        }

        try
        {
            byte[] input = await File.ReadAllBytesAsync(args[2]);
            using (JsonDocument.Parse(input))
            {
                // Refuse input that is not JSON before sending it.
            }

            string key = System.Environment.GetEnvironmentVariable("BASETEN_API_KEY") ?? throw new InvalidOperationException("no API key");
            using var http = new HttpClient { BaseAddress = new Uri(args.Length > 3 ? args[3] : "https://model-" + Uri.EscapeDataString(args[1]) + ".api.baseten.co") };
            using var message = new HttpRequestMessage(HttpMethod.Post, "/production/predict") { Content = new ByteArrayContent(input) };
            message.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
            message.Headers.TryAddWithoutValidation("Authorization", "Bearer " + key);
            using HttpResponseMessage response = await http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead);
            if (!response.IsSuccessStatusCode)
            {
                await Console.Error.WriteLineAsync($"error: {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
                return 1;
            }

            await using Stream body = await response.Content.ReadAsStreamAsync();
            await using Stream stdout = Console.OpenStandardOutput();
            byte[] buffer = new byte[16 * 1024];
            int read;
            while ((read = await body.ReadAsync(buffer)) > 0)
            {
                await stdout.WriteAsync(buffer.AsMemory(0, read));
                await stdout.FlushAsync();
            }

            return 0;
        }
        catch (Exception exception) when (exception is JsonException or HttpRequestException or IOException or InvalidOperationException)
        {
            await Console.Error.WriteLineAsync("error: " + exception.Message);
            return 2;
        }
    }
}

internal sealed class CreateRequest
{
    [JsonPropertyName("name")] public string Name { get; set; } = "";
    [JsonPropertyName("promotion_settings")] public PromotionSettingsRequest? PromotionSettings { get; set; }
    [JsonPropertyName("chainlet_settings")] public List<ChainletRequest>? ChainletSettings { get; set; }
}

internal sealed class PromotionSettingsRequest
{
    [JsonPropertyName("redeploy_on_promotion")] public bool? RedeployOnPromotion { get; set; }
    [JsonPropertyName("rolling_deploy")] public bool? RollingDeploy { get; set; }
    [JsonPropertyName("promotion_cleanup_strategy")] public string? PromotionCleanupStrategy { get; set; }
    [JsonPropertyName("rolling_deploy_config")] public RollingConfig? RollingDeployConfig { get; set; }
    [JsonPropertyName("ramp_up_while_promoting")] public bool? RampUpWhilePromoting { get; set; }
    [JsonPropertyName("ramp_up_duration_seconds")] public int? RampUpDurationSeconds { get; set; }
}

internal sealed class RollingConfig
{
    [JsonPropertyName("rolling_deploy_strategy")] public string? RollingDeployStrategy { get; set; }
    [JsonPropertyName("max_surge_percent")] public int? MaxSurgePercent { get; set; }
    [JsonPropertyName("max_unavailable_percent")] public int? MaxUnavailablePercent { get; set; }
    [JsonPropertyName("stabilization_time_seconds")] public int? StabilizationTimeSeconds { get; set; }
    [JsonPropertyName("replica_overhead_percent")] public int? ReplicaOverheadPercent { get; set; }
}

internal sealed class ChainletRequest
{
    [JsonPropertyName("chainlet_name")] public string ChainletName { get; set; } = "";
    [JsonPropertyName("autoscaling_settings")] public Autoscaling? AutoscalingSettings { get; set; }
    [JsonPropertyName("instance_type_id")] public string? InstanceTypeId { get; set; }
}

internal sealed class Autoscaling
{
    [JsonPropertyName("min_replica")] public int? MinReplica { get; set; }
    [JsonPropertyName("max_replica")] public int? MaxReplica { get; set; }
    [JsonPropertyName("autoscaling_window")] public int? AutoscalingWindow { get; set; }
    [JsonPropertyName("scale_down_delay")] public int? ScaleDownDelay { get; set; }
    [JsonPropertyName("concurrency_target")] public int? ConcurrencyTarget { get; set; }
    [JsonPropertyName("target_utilization_percentage")] public int? TargetUtilizationPercentage { get; set; }
    [JsonPropertyName("target_in_flight_tokens")] public int? TargetInFlightTokens { get; set; }
}

internal sealed class Environment
{
    [JsonPropertyName("name")] public string Name { get; set; } = "";
    [JsonPropertyName("created_at")] public DateTimeOffset CreatedAt { get; set; }
    [JsonPropertyName("chain_id")] public string ChainId { get; set; } = "";
    [JsonPropertyName("promotion_settings")] public PromotionSettingsRequest? PromotionSettings { get; set; }
    [JsonPropertyName("chainlet_settings")] public List<ChainletSettings> ChainletSettings { get; set; } = [];
    [JsonPropertyName("current_deployment")] public Deployment? CurrentDeployment { get; set; }
    [JsonPropertyName("candidate_deployment")] public Deployment? CandidateDeployment { get; set; }
}

internal sealed class ChainletSettings
{
    [JsonPropertyName("chainlet_name")] public string ChainletName { get; set; } = "";
    [JsonPropertyName("autoscaling_settings")] public Autoscaling? AutoscalingSettings { get; set; }
    [JsonPropertyName("instance_type")] public InstanceType? InstanceType { get; set; }
}

internal sealed class InstanceType
{
    [JsonPropertyName("id")] public string Id { get; set; } = "";
    [JsonPropertyName("name")] public string Name { get; set; } = "";
    [JsonPropertyName("memory_limit_mib")] public int MemoryLimitMib { get; set; }
    [JsonPropertyName("millicpu_limit")] public int MillicpuLimit { get; set; }
    [JsonPropertyName("gpu_count")] public int GpuCount { get; set; }
    [JsonPropertyName("gpu_type")] public string? GpuType { get; set; }
    [JsonPropertyName("gpu_memory_limit_mib")] public int? GpuMemoryLimitMib { get; set; }
}

internal sealed class Deployment
{
    [JsonPropertyName("id")] public string Id { get; set; } = "";
    [JsonPropertyName("created_at")] public DateTimeOffset CreatedAt { get; set; }
    [JsonPropertyName("chain_id")] public string ChainId { get; set; } = "";
    [JsonPropertyName("environment")] public string? Environment { get; set; }
    [JsonPropertyName("chainlets")] public List<Chainlet> Chainlets { get; set; } = [];
    [JsonPropertyName("status")] public string Status { get; set; } = "";
}

internal sealed class Chainlet
{
    [JsonPropertyName("id")] public string Id { get; set; } = "";
    [JsonPropertyName("name")] public string Name { get; set; } = "";
    [JsonPropertyName("autoscaling_settings")] public Autoscaling? AutoscalingSettings { get; set; }
    [JsonPropertyName("instance_type_name")] public string InstanceTypeName { get; set; } = "";
    [JsonPropertyName("active_replica_count")] public int ActiveReplicaCount { get; set; }
    [JsonPropertyName("status")] public string Status { get; set; } = "";
}

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(CreateRequest))]
[JsonSerializable(typeof(Environment))]
internal sealed partial class WireContext : JsonSerializerContext;

[JsonSourceGenerationOptions(WriteIndented = true)]
[JsonSerializable(typeof(Environment))]
internal sealed partial class IndentedContext : JsonSerializerContext;
