using System;
using System.Buffers;
using System.Collections.Generic;
using System.Text.Json;

namespace Baseten.Aot.Benchmarks;

/// <summary>
/// The floor: the seed request written and the ChainEnvironmentV1 response read by hand with
/// Utf8JsonWriter and Utf8JsonReader, into the same model types, as a careful person writes them
/// for two known shapes: pre-encoded names, property names matched as UTF-8 bytes, no lookups,
/// known enum values returned as their cached instances, and the writer and its buffer reused.
/// It knows nothing it was not told: an unknown property is skipped, as the serializers do.
/// </summary>
internal sealed class HandWrittenJson
{
    private static readonly JsonEncodedText s_name = JsonEncodedText.Encode("name");
    private static readonly JsonEncodedText s_promotionSettings = JsonEncodedText.Encode("promotion_settings");
    private static readonly JsonEncodedText s_chainletSettings = JsonEncodedText.Encode("chainlet_settings");
    private static readonly JsonEncodedText s_redeployOnPromotion = JsonEncodedText.Encode("redeploy_on_promotion");
    private static readonly JsonEncodedText s_rollingDeploy = JsonEncodedText.Encode("rolling_deploy");
    private static readonly JsonEncodedText s_promotionCleanupStrategy = JsonEncodedText.Encode("promotion_cleanup_strategy");
    private static readonly JsonEncodedText s_rollingDeployConfig = JsonEncodedText.Encode("rolling_deploy_config");
    private static readonly JsonEncodedText s_rampUpWhilePromoting = JsonEncodedText.Encode("ramp_up_while_promoting");
    private static readonly JsonEncodedText s_rampUpDurationSeconds = JsonEncodedText.Encode("ramp_up_duration_seconds");
    private static readonly JsonEncodedText s_rollingDeployStrategy = JsonEncodedText.Encode("rolling_deploy_strategy");
    private static readonly JsonEncodedText s_maxSurgePercent = JsonEncodedText.Encode("max_surge_percent");
    private static readonly JsonEncodedText s_maxUnavailablePercent = JsonEncodedText.Encode("max_unavailable_percent");
    private static readonly JsonEncodedText s_stabilizationTimeSeconds = JsonEncodedText.Encode("stabilization_time_seconds");
    private static readonly JsonEncodedText s_replicaOverheadPercent = JsonEncodedText.Encode("replica_overhead_percent");
    private static readonly JsonEncodedText s_chainletName = JsonEncodedText.Encode("chainlet_name");
    private static readonly JsonEncodedText s_autoscalingSettings = JsonEncodedText.Encode("autoscaling_settings");
    private static readonly JsonEncodedText s_instanceTypeId = JsonEncodedText.Encode("instance_type_id");
    private static readonly JsonEncodedText s_minReplica = JsonEncodedText.Encode("min_replica");
    private static readonly JsonEncodedText s_maxReplica = JsonEncodedText.Encode("max_replica");
    private static readonly JsonEncodedText s_autoscalingWindow = JsonEncodedText.Encode("autoscaling_window");
    private static readonly JsonEncodedText s_scaleDownDelay = JsonEncodedText.Encode("scale_down_delay");
    private static readonly JsonEncodedText s_concurrencyTarget = JsonEncodedText.Encode("concurrency_target");
    private static readonly JsonEncodedText s_targetUtilizationPercentage = JsonEncodedText.Encode("target_utilization_percentage");
    private static readonly JsonEncodedText s_targetInFlightTokens = JsonEncodedText.Encode("target_in_flight_tokens");

    private readonly ArrayBufferWriter<byte> _buffer = new(1024);
    private readonly Utf8JsonWriter _writer;

    public HandWrittenJson() => _writer = new Utf8JsonWriter(_buffer);

    /// <summary>Writes the request into the reused buffer and returns the bytes written (valid until the next call).</summary>
    public ReadOnlySpan<byte> Write(CreateChainEnvironmentRequestV1 request)
    {
        _buffer.ResetWrittenCount();
        _writer.Reset(_buffer);
        Utf8JsonWriter w = _writer;
        w.WriteStartObject();
        w.WriteString(s_name, request.Name);
        if (request.PromotionSettings is { } promotion)
        {
            w.WriteStartObject(s_promotionSettings);
            WriteBool(w, s_redeployOnPromotion, promotion.RedeployOnPromotion);
            WriteBool(w, s_rollingDeploy, promotion.RollingDeploy);
            if (promotion.PromotionCleanupStrategy is { } cleanup)
            {
                w.WriteString(s_promotionCleanupStrategy, cleanup.Value);
            }

            if (promotion.RollingDeployConfig is { } rolling)
            {
                w.WriteStartObject(s_rollingDeployConfig);
                if (rolling.RollingDeployStrategy is { } strategy)
                {
                    w.WriteString(s_rollingDeployStrategy, strategy.Value);
                }

                WriteLong(w, s_maxSurgePercent, rolling.MaxSurgePercent);
                WriteLong(w, s_maxUnavailablePercent, rolling.MaxUnavailablePercent);
                WriteLong(w, s_stabilizationTimeSeconds, rolling.StabilizationTimeSeconds);
                WriteLong(w, s_replicaOverheadPercent, rolling.ReplicaOverheadPercent);
                w.WriteEndObject();
            }

            WriteBool(w, s_rampUpWhilePromoting, promotion.RampUpWhilePromoting);
            WriteLong(w, s_rampUpDurationSeconds, promotion.RampUpDurationSeconds);
            w.WriteEndObject();
        }

        if (request.ChainletSettings is { } chainlets)
        {
            w.WriteStartArray(s_chainletSettings);
            for (int i = 0; i < chainlets.Count; i++)
            {
                ChainletEnvironmentSettingsRequestV1 chainlet = chainlets[i];
                w.WriteStartObject();
                w.WriteString(s_chainletName, chainlet.ChainletName);
                if (chainlet.AutoscalingSettings is { } a)
                {
                    w.WriteStartObject(s_autoscalingSettings);
                    WriteLong(w, s_minReplica, a.MinReplica);
                    WriteLong(w, s_maxReplica, a.MaxReplica);
                    WriteLong(w, s_autoscalingWindow, a.AutoscalingWindow);
                    WriteLong(w, s_scaleDownDelay, a.ScaleDownDelay);
                    WriteLong(w, s_concurrencyTarget, a.ConcurrencyTarget);
                    WriteLong(w, s_targetUtilizationPercentage, a.TargetUtilizationPercentage);
                    WriteLong(w, s_targetInFlightTokens, a.TargetInFlightTokens);
                    w.WriteEndObject();
                }

                if (chainlet.InstanceTypeId is { } instanceTypeId)
                {
                    w.WriteString(s_instanceTypeId, instanceTypeId);
                }

                w.WriteEndObject();
            }

            w.WriteEndArray();
        }

        w.WriteEndObject();
        w.Flush();
        return _buffer.WrittenSpan;
    }

    private static void WriteBool(Utf8JsonWriter w, JsonEncodedText name, bool? value)
    {
        if (value is { } v)
        {
            w.WriteBoolean(name, v);
        }
    }

    private static void WriteLong(Utf8JsonWriter w, JsonEncodedText name, long? value)
    {
        if (value is { } v)
        {
            w.WriteNumber(name, v);
        }
    }

    /// <summary>Reads a ChainEnvironmentV1.</summary>
    public static ChainEnvironmentV1 ReadChainEnvironment(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        reader.Read();
        return ReadChainEnvironment(ref reader);
    }

    private static ChainEnvironmentV1 ReadChainEnvironment(ref Utf8JsonReader reader)
    {
        Expect(ref reader, JsonTokenType.StartObject);
        string? name = null, chainId = null;
        DateTimeOffset createdAt = default;
        PromotionSettingsV1? promotion = null;
        List<ChainletEnvironmentSettingsV1>? chainlets = null;
        ChainDeploymentV1? current = null, candidate = null;
        bool hasCandidate = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("name"u8)) { reader.Read(); name = reader.GetString(); }
            else if (reader.ValueTextEquals("created_at"u8)) { reader.Read(); createdAt = reader.GetDateTimeOffset(); }
            else if (reader.ValueTextEquals("chain_id"u8)) { reader.Read(); chainId = reader.GetString(); }
            else if (reader.ValueTextEquals("promotion_settings"u8)) { reader.Read(); promotion = ReadPromotionSettings(ref reader); }
            else if (reader.ValueTextEquals("chainlet_settings"u8))
            {
                reader.Read();
                Expect(ref reader, JsonTokenType.StartArray);
                chainlets = [];
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    chainlets.Add(ReadChainletSettings(ref reader));
                }
            }
            else if (reader.ValueTextEquals("current_deployment"u8)) { reader.Read(); current = ReadDeployment(ref reader); }
            else if (reader.ValueTextEquals("candidate_deployment"u8)) { reader.Read(); candidate = ReadDeployment(ref reader); hasCandidate = true; }
            else { reader.Read(); reader.Skip(); }
        }

        var environment = new ChainEnvironmentV1
        {
            Name = name ?? throw Missing("name"),
            CreatedAt = createdAt,
            ChainId = chainId ?? throw Missing("chain_id"),
            PromotionSettings = promotion ?? throw Missing("promotion_settings"),
            ChainletSettings = chainlets ?? throw Missing("chainlet_settings"),
            CurrentDeployment = current,
        };
        if (hasCandidate)
        {
            environment.CandidateDeployment = candidate;
        }

        return environment;
    }

    private static PromotionSettingsV1 ReadPromotionSettings(ref Utf8JsonReader reader)
    {
        Expect(ref reader, JsonTokenType.StartObject);
        var settings = new PromotionSettingsV1();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("redeploy_on_promotion"u8)) { reader.Read(); settings.RedeployOnPromotion = ReadBool(ref reader); }
            else if (reader.ValueTextEquals("rolling_deploy"u8)) { reader.Read(); settings.RollingDeploy = ReadBool(ref reader); }
            else if (reader.ValueTextEquals("promotion_cleanup_strategy"u8)) { reader.Read(); settings.PromotionCleanupStrategy = ReadCleanup(ref reader); }
            else if (reader.ValueTextEquals("rolling_deploy_config"u8)) { reader.Read(); settings.RollingDeployConfig = ReadRollingDeployConfig(ref reader); }
            else if (reader.ValueTextEquals("ramp_up_while_promoting"u8)) { reader.Read(); settings.RampUpWhilePromoting = ReadBool(ref reader); }
            else if (reader.ValueTextEquals("ramp_up_duration_seconds"u8)) { reader.Read(); settings.RampUpDurationSeconds = ReadLong(ref reader); }
            else { reader.Read(); reader.Skip(); }
        }

        return settings;
    }

    private static RollingDeployConfigV1? ReadRollingDeployConfig(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        Expect(ref reader, JsonTokenType.StartObject);
        RollingDeployStrategyV1? strategy = null;
        long? surge = null, unavailable = null, stabilization = null, overhead = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("rolling_deploy_strategy"u8)) { reader.Read(); strategy = ReadStrategy(ref reader); }
            else if (reader.ValueTextEquals("max_surge_percent"u8)) { reader.Read(); surge = ReadLong(ref reader); }
            else if (reader.ValueTextEquals("max_unavailable_percent"u8)) { reader.Read(); unavailable = ReadLong(ref reader); }
            else if (reader.ValueTextEquals("stabilization_time_seconds"u8)) { reader.Read(); stabilization = ReadLong(ref reader); }
            else if (reader.ValueTextEquals("replica_overhead_percent"u8)) { reader.Read(); overhead = ReadLong(ref reader); }
            else { reader.Read(); reader.Skip(); }
        }

        return new RollingDeployConfigV1
        {
            RollingDeployStrategy = strategy,
            MaxSurgePercent = surge,
            MaxUnavailablePercent = unavailable,
            StabilizationTimeSeconds = stabilization,
            ReplicaOverheadPercent = overhead,
        };
    }

    private static ChainletEnvironmentSettingsV1 ReadChainletSettings(ref Utf8JsonReader reader)
    {
        Expect(ref reader, JsonTokenType.StartObject);
        string? name = null;
        AutoscalingSettingsV1? autoscaling = null;
        InstanceTypeV1? instanceType = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("chainlet_name"u8)) { reader.Read(); name = reader.GetString(); }
            else if (reader.ValueTextEquals("autoscaling_settings"u8)) { reader.Read(); autoscaling = ReadAutoscaling(ref reader); }
            else if (reader.ValueTextEquals("instance_type"u8)) { reader.Read(); instanceType = ReadInstanceType(ref reader); }
            else { reader.Read(); reader.Skip(); }
        }

        return new ChainletEnvironmentSettingsV1
        {
            ChainletName = name ?? throw Missing("chainlet_name"),
            AutoscalingSettings = autoscaling,
            InstanceType = instanceType ?? throw Missing("instance_type"),
        };
    }

    private static AutoscalingSettingsV1? ReadAutoscaling(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        Expect(ref reader, JsonTokenType.StartObject);
        long min = 0, max = 0, concurrency = 0;
        long? window = null, delay = null, utilization = null, tokens = null;
        bool hasTokens = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("min_replica"u8)) { reader.Read(); min = reader.GetInt64(); }
            else if (reader.ValueTextEquals("max_replica"u8)) { reader.Read(); max = reader.GetInt64(); }
            else if (reader.ValueTextEquals("autoscaling_window"u8)) { reader.Read(); window = ReadLong(ref reader); }
            else if (reader.ValueTextEquals("scale_down_delay"u8)) { reader.Read(); delay = ReadLong(ref reader); }
            else if (reader.ValueTextEquals("concurrency_target"u8)) { reader.Read(); concurrency = reader.GetInt64(); }
            else if (reader.ValueTextEquals("target_utilization_percentage"u8)) { reader.Read(); utilization = ReadLong(ref reader); }
            else if (reader.ValueTextEquals("target_in_flight_tokens"u8)) { reader.Read(); tokens = ReadLong(ref reader); hasTokens = true; }
            else { reader.Read(); reader.Skip(); }
        }

        var settings = new AutoscalingSettingsV1
        {
            MinReplica = min,
            MaxReplica = max,
            AutoscalingWindow = window,
            ScaleDownDelay = delay,
            ConcurrencyTarget = concurrency,
            TargetUtilizationPercentage = utilization,
        };
        if (hasTokens)
        {
            settings.TargetInFlightTokens = tokens;
        }

        return settings;
    }

    private static InstanceTypeV1 ReadInstanceType(ref Utf8JsonReader reader)
    {
        Expect(ref reader, JsonTokenType.StartObject);
        string? id = null, name = null, gpuType = null;
        long memory = 0, millicpu = 0, gpuCount = 0;
        long? gpuMemory = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("id"u8)) { reader.Read(); id = reader.GetString(); }
            else if (reader.ValueTextEquals("name"u8)) { reader.Read(); name = reader.GetString(); }
            else if (reader.ValueTextEquals("memory_limit_mib"u8)) { reader.Read(); memory = reader.GetInt64(); }
            else if (reader.ValueTextEquals("millicpu_limit"u8)) { reader.Read(); millicpu = reader.GetInt64(); }
            else if (reader.ValueTextEquals("gpu_count"u8)) { reader.Read(); gpuCount = reader.GetInt64(); }
            else if (reader.ValueTextEquals("gpu_type"u8)) { reader.Read(); gpuType = reader.GetString(); }
            else if (reader.ValueTextEquals("gpu_memory_limit_mib"u8)) { reader.Read(); gpuMemory = ReadLong(ref reader); }
            else { reader.Read(); reader.Skip(); }
        }

        return new InstanceTypeV1
        {
            Id = id ?? throw Missing("id"),
            Name = name ?? throw Missing("name"),
            MemoryLimitMib = memory,
            MillicpuLimit = millicpu,
            GpuCount = gpuCount,
            GpuType = gpuType,
            GpuMemoryLimitMib = gpuMemory,
        };
    }

    private static ChainDeploymentV1? ReadDeployment(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        Expect(ref reader, JsonTokenType.StartObject);
        string? id = null, chainId = null, environment = null;
        DateTimeOffset createdAt = default;
        List<ChainletV1>? chainlets = null;
        DeploymentStatusV1? status = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("id"u8)) { reader.Read(); id = reader.GetString(); }
            else if (reader.ValueTextEquals("created_at"u8)) { reader.Read(); createdAt = reader.GetDateTimeOffset(); }
            else if (reader.ValueTextEquals("chain_id"u8)) { reader.Read(); chainId = reader.GetString(); }
            else if (reader.ValueTextEquals("environment"u8)) { reader.Read(); environment = reader.GetString(); }
            else if (reader.ValueTextEquals("chainlets"u8))
            {
                reader.Read();
                Expect(ref reader, JsonTokenType.StartArray);
                chainlets = [];
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    chainlets.Add(ReadChainlet(ref reader));
                }
            }
            else if (reader.ValueTextEquals("status"u8)) { reader.Read(); status = ReadStatus(ref reader); }
            else { reader.Read(); reader.Skip(); }
        }

        return new ChainDeploymentV1
        {
            Id = id ?? throw Missing("id"),
            CreatedAt = createdAt,
            ChainId = chainId ?? throw Missing("chain_id"),
            Environment = environment,
            Chainlets = chainlets ?? throw Missing("chainlets"),
            Status = status ?? throw Missing("status"),
        };
    }

    private static ChainletV1 ReadChainlet(ref Utf8JsonReader reader)
    {
        Expect(ref reader, JsonTokenType.StartObject);
        string? id = null, name = null, instanceTypeName = null;
        AutoscalingSettingsV1? autoscaling = null;
        long replicas = 0;
        DeploymentStatusV1? status = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("id"u8)) { reader.Read(); id = reader.GetString(); }
            else if (reader.ValueTextEquals("name"u8)) { reader.Read(); name = reader.GetString(); }
            else if (reader.ValueTextEquals("autoscaling_settings"u8)) { reader.Read(); autoscaling = ReadAutoscaling(ref reader); }
            else if (reader.ValueTextEquals("instance_type_name"u8)) { reader.Read(); instanceTypeName = reader.GetString(); }
            else if (reader.ValueTextEquals("active_replica_count"u8)) { reader.Read(); replicas = reader.GetInt64(); }
            else if (reader.ValueTextEquals("status"u8)) { reader.Read(); status = ReadStatus(ref reader); }
            else { reader.Read(); reader.Skip(); }
        }

        return new ChainletV1
        {
            Id = id ?? throw Missing("id"),
            Name = name ?? throw Missing("name"),
            AutoscalingSettings = autoscaling,
            InstanceTypeName = instanceTypeName ?? throw Missing("instance_type_name"),
            ActiveReplicaCount = replicas,
            Status = status ?? throw Missing("status"),
        };
    }

    // The values a response carries most: matched as bytes, returned as the cached instances.
    private static DeploymentStatusV1 ReadStatus(ref Utf8JsonReader reader)
        => reader.ValueTextEquals("ACTIVE"u8) ? DeploymentStatusV1.Active
            : reader.ValueTextEquals("INACTIVE"u8) ? DeploymentStatusV1.Inactive
            : reader.ValueTextEquals("SCALED_TO_ZERO"u8) ? DeploymentStatusV1.ScaledToZero
            : new DeploymentStatusV1(reader.GetString()!);

    private static PromotionCleanupStrategyV1? ReadCleanup(ref Utf8JsonReader reader)
        => reader.TokenType == JsonTokenType.Null ? null
            : reader.ValueTextEquals("SCALE_TO_ZERO"u8) ? PromotionCleanupStrategyV1.ScaleToZero
            : new PromotionCleanupStrategyV1(reader.GetString()!);

    private static RollingDeployStrategyV1? ReadStrategy(ref Utf8JsonReader reader)
        => reader.TokenType == JsonTokenType.Null ? null
            : reader.ValueTextEquals("REPLICA"u8) ? RollingDeployStrategyV1.Replica
            : new RollingDeployStrategyV1(reader.GetString()!);

    private static bool? ReadBool(ref Utf8JsonReader reader) => reader.TokenType == JsonTokenType.Null ? null : reader.GetBoolean();

    private static long? ReadLong(ref Utf8JsonReader reader) => reader.TokenType == JsonTokenType.Null ? null : reader.GetInt64();

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType type)
    {
        if (reader.TokenType != type)
        {
            throw new JsonException($"Expected {type}, found {reader.TokenType}.");
        }
    }

    private static JsonException Missing(string name) => new($"The required property '{name}' is missing.");
}
