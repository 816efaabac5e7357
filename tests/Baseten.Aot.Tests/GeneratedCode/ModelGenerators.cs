using System;
using System.Collections.Generic;
using System.Linq;
using CsCheck;

namespace Baseten.Aot.Tests;

/// <summary>
/// Random instances of the generated models. Each optional property is either left unassigned or
/// assigned a value; <paramref name="assignNulls"/> also lets optional nullable ones be assigned null.
/// </summary>
internal static class ModelGenerators
{
    private static readonly Gen<string> s_text = Gen.String[Gen.Char["abcXYZ019 _-\"\\/<>&'\u00e9\u4e2d\u2028\t\n\u0001"], 0, 16];
    private static readonly Gen<DateTimeOffset> s_time = Gen.Select(Gen.Long[0, DateTime.MaxValue.Ticks / 2], Gen.Int[-14 * 60, 14 * 60], (ticks, minutes) => new DateTimeOffset(ticks, TimeSpan.FromMinutes(minutes)));

    private static Gen<T> Enum<T>(string[] known, Func<string, T> create)
        => Gen.Frequency((3, Gen.OneOfConst(known)), (1, s_text)).Select(create);

    private static readonly Gen<PromotionCleanupStrategyV1> s_cleanup = Enum(["KEEP", "SCALE_TO_ZERO", "DEACTIVATE"], v => new PromotionCleanupStrategyV1(v));
    private static readonly Gen<RollingDeployStrategyV1> s_strategy = Enum(["REPLICA"], v => new RollingDeployStrategyV1(v));
    private static readonly Gen<DeploymentStatusV1> s_status = Enum(["BUILDING", "ACTIVE", "FAILED", "SCALED_TO_ZERO"], v => new DeploymentStatusV1(v));

    /// <summary>Applies each assignment with probability one half.</summary>
    private static Gen<T> Build<T>(Func<T> create, params Gen<Action<T>>[] optional)
        => optional
            .Aggregate(Gen.Const(new List<Action<T>>()), (all, next) => Gen.Select(all, Gen.Bool, next, (list, use, action) =>
            {
                var copy = new List<Action<T>>(list);
                if (use)
                {
                    copy.Add(action);
                }

                return copy;
            }))
            .Select(actions =>
            {
                T value = create();
                foreach (Action<T> action in actions)
                {
                    action(value);
                }

                return value;
            });

    private static Gen<T?> Maybe<T>(Gen<T> gen, bool assignNulls)
        where T : struct
        => assignNulls ? gen.Nullable(0.3) : gen.Select(v => (T?)v);

    private static Gen<T?> MaybeRef<T>(Gen<T> gen, bool assignNulls)
        where T : class
        => assignNulls ? gen.Null(0.3) : gen.Select(v => (T?)v);

    public static Gen<CreateChainEnvironmentRequestV1> Request(bool assignNulls)
    {
        Gen<UpdateRollingDeployConfigV1> rolling = Build(
            () => new UpdateRollingDeployConfigV1(),
            MaybeRef(s_strategy, assignNulls).Select(v => (Action<UpdateRollingDeployConfigV1>)(m => m.RollingDeployStrategy = v)),
            Maybe(Gen.Int, assignNulls).Select(v => (Action<UpdateRollingDeployConfigV1>)(m => m.MaxSurgePercent = v)),
            Maybe(Gen.Int, assignNulls).Select(v => (Action<UpdateRollingDeployConfigV1>)(m => m.MaxUnavailablePercent = v)),
            Maybe(Gen.Int, assignNulls).Select(v => (Action<UpdateRollingDeployConfigV1>)(m => m.StabilizationTimeSeconds = v)),
            Maybe(Gen.Int, assignNulls).Select(v => (Action<UpdateRollingDeployConfigV1>)(m => m.ReplicaOverheadPercent = v)));

        Gen<UpdatePromotionSettingsV1> promotion = Build(
            () => new UpdatePromotionSettingsV1(),
            Maybe(Gen.Bool, assignNulls).Select(v => (Action<UpdatePromotionSettingsV1>)(m => m.RedeployOnPromotion = v)),
            Maybe(Gen.Bool, assignNulls).Select(v => (Action<UpdatePromotionSettingsV1>)(m => m.RollingDeploy = v)),
            MaybeRef(s_cleanup, assignNulls).Select(v => (Action<UpdatePromotionSettingsV1>)(m => m.PromotionCleanupStrategy = v)),
            MaybeRef(rolling, assignNulls).Select(v => (Action<UpdatePromotionSettingsV1>)(m => m.RollingDeployConfig = v)),
            Maybe(Gen.Bool, assignNulls).Select(v => (Action<UpdatePromotionSettingsV1>)(m => m.RampUpWhilePromoting = v)),
            Maybe(Gen.Int, assignNulls).Select(v => (Action<UpdatePromotionSettingsV1>)(m => m.RampUpDurationSeconds = v)));

        Gen<UpdateAutoscalingSettingsV1> autoscaling = Build(
            () => new UpdateAutoscalingSettingsV1(),
            Maybe(Gen.Int, assignNulls).Select(v => (Action<UpdateAutoscalingSettingsV1>)(m => m.MinReplica = v)),
            Maybe(Gen.Int, assignNulls).Select(v => (Action<UpdateAutoscalingSettingsV1>)(m => m.MaxReplica = v)),
            Maybe(Gen.Int, assignNulls).Select(v => (Action<UpdateAutoscalingSettingsV1>)(m => m.AutoscalingWindow = v)),
            Maybe(Gen.Int, assignNulls).Select(v => (Action<UpdateAutoscalingSettingsV1>)(m => m.ScaleDownDelay = v)),
            Maybe(Gen.Int, assignNulls).Select(v => (Action<UpdateAutoscalingSettingsV1>)(m => m.ConcurrencyTarget = v)),
            Maybe(Gen.Int, assignNulls).Select(v => (Action<UpdateAutoscalingSettingsV1>)(m => m.TargetUtilizationPercentage = v)),
            Maybe(Gen.Int, assignNulls).Select(v => (Action<UpdateAutoscalingSettingsV1>)(m => m.TargetInFlightTokens = v)));

        Gen<ChainletEnvironmentSettingsRequestV1> chainlet = s_text.SelectMany(name => Build(
            () => new ChainletEnvironmentSettingsRequestV1 { ChainletName = name },
            MaybeRef(autoscaling, assignNulls).Select(v => (Action<ChainletEnvironmentSettingsRequestV1>)(m => m.AutoscalingSettings = v)),
            s_text.Select(v => (Action<ChainletEnvironmentSettingsRequestV1>)(m => m.InstanceTypeId = v))));

        return s_text.SelectMany(name => Build(
            () => new CreateChainEnvironmentRequestV1 { Name = name },
            MaybeRef(promotion, assignNulls).Select(v => (Action<CreateChainEnvironmentRequestV1>)(m => m.PromotionSettings = v)),
            MaybeRef(chainlet.Array[0, 4].Select(a => (IReadOnlyList<ChainletEnvironmentSettingsRequestV1>)a), assignNulls)
                .Select(v => (Action<CreateChainEnvironmentRequestV1>)(m => m.ChainletSettings = v))));
    }

    public static Gen<ChainEnvironmentV1> Response(bool assignNulls)
    {
        Gen<AutoscalingSettingsV1> autoscaling = Gen.Select(Gen.Int, Gen.Int, Gen.Int.Nullable(), Gen.Int.Nullable(), Gen.Int, Gen.Int.Nullable(), (min, max, window, delay, concurrency, utilization) =>
            new AutoscalingSettingsV1
            {
                MinReplica = min, MaxReplica = max, AutoscalingWindow = window, ScaleDownDelay = delay,
                ConcurrencyTarget = concurrency, TargetUtilizationPercentage = utilization,
            }).SelectMany(settings => Maybe(Gen.Int, assignNulls).Select(tokens => (settings, tokens)), (_, pair) => pair)
            .SelectMany(pair => Gen.Bool.Select(assign =>
            {
                if (assign)
                {
                    pair.settings.TargetInFlightTokens = pair.tokens;
                }

                return pair.settings;
            }));

        Gen<InstanceTypeV1> instance = Gen.Select(s_text, s_text, Gen.Int, Gen.Int, Gen.Int, s_text.Null(), Gen.Int.Nullable(), (id, name, memory, cpu, gpus, gpuType, gpuMemory) =>
            new InstanceTypeV1 { Id = id, Name = name, MemoryLimitMib = memory, MillicpuLimit = cpu, GpuCount = gpus, GpuType = gpuType, GpuMemoryLimitMib = gpuMemory });

        Gen<ChainletV1> chainlet = Gen.Select(s_text, s_text, autoscaling.Null(), s_text, Gen.Int, s_status, (id, name, settings, instanceName, replicas, status) =>
            new ChainletV1 { Id = id, Name = name, AutoscalingSettings = settings, InstanceTypeName = instanceName, ActiveReplicaCount = replicas, Status = status });

        Gen<ChainDeploymentV1> deployment = Gen.Select(s_text, s_time, s_text, s_text.Null(), chainlet.Array[0, 3], s_status, (id, created, chainId, environment, chainlets, status) =>
            new ChainDeploymentV1 { Id = id, CreatedAt = created, ChainId = chainId, Environment = environment, Chainlets = chainlets, Status = status });

        Gen<RollingDeployConfigV1> rolling = Build(
            () => new RollingDeployConfigV1(),
            s_strategy.Select(v => (Action<RollingDeployConfigV1>)(m => m.RollingDeployStrategy = v)),
            Gen.Int.Select(v => (Action<RollingDeployConfigV1>)(m => m.MaxSurgePercent = v)),
            Gen.Int.Select(v => (Action<RollingDeployConfigV1>)(m => m.MaxUnavailablePercent = v)),
            Gen.Int.Select(v => (Action<RollingDeployConfigV1>)(m => m.StabilizationTimeSeconds = v)),
            Gen.Int.Select(v => (Action<RollingDeployConfigV1>)(m => m.ReplicaOverheadPercent = v)));

        Gen<PromotionSettingsV1> promotion = Build(
            () => new PromotionSettingsV1(),
            Maybe(Gen.Bool, assignNulls).Select(v => (Action<PromotionSettingsV1>)(m => m.RedeployOnPromotion = v)),
            Maybe(Gen.Bool, assignNulls).Select(v => (Action<PromotionSettingsV1>)(m => m.RollingDeploy = v)),
            MaybeRef(s_cleanup, assignNulls).Select(v => (Action<PromotionSettingsV1>)(m => m.PromotionCleanupStrategy = v)),
            MaybeRef(rolling, assignNulls).Select(v => (Action<PromotionSettingsV1>)(m => m.RollingDeployConfig = v)),
            Maybe(Gen.Bool, assignNulls).Select(v => (Action<PromotionSettingsV1>)(m => m.RampUpWhilePromoting = v)),
            Maybe(Gen.Int, assignNulls).Select(v => (Action<PromotionSettingsV1>)(m => m.RampUpDurationSeconds = v)));

        Gen<ChainletEnvironmentSettingsV1> settings = Gen.Select(s_text, autoscaling.Null(), instance, (name, scaling, type) =>
            new ChainletEnvironmentSettingsV1 { ChainletName = name, AutoscalingSettings = scaling, InstanceType = type });

        return Gen.Select(s_text, s_time, s_text, promotion, settings.Array[0, 3], deployment.Null(), (name, created, chainId, promotionSettings, chainletSettings, current) =>
                new ChainEnvironmentV1
                {
                    Name = name, CreatedAt = created, ChainId = chainId, PromotionSettings = promotionSettings,
                    ChainletSettings = chainletSettings, CurrentDeployment = current,
                })
            .SelectMany(environment => Build(
                () => environment,
                MaybeRef(deployment, assignNulls).Select(v => (Action<ChainEnvironmentV1>)(m => m.CandidateDeployment = v))));
    }
}
