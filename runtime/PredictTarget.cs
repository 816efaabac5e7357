using System;
using System.Collections.Generic;
using Baseten.Aot.Http;

namespace Baseten.Aot;

/// <summary>
/// Which deployment of a model or chain a call reaches on the global hosts: the production
/// environment (the default), the development deployment, a named environment, or one deployment by id.
/// </summary>
public sealed class PredictTarget
{
    private PredictTarget(PredictTargetKind kind, string? name)
    {
        Kind = kind;
        Name = name;
    }

    /// <summary>The deployment promoted to production: <c>/production/predict</c>. The default.</summary>
    public static PredictTarget Production { get; } = new(PredictTargetKind.Production, null);

    /// <summary>The development deployment: <c>/development/predict</c>.</summary>
    public static PredictTarget Development { get; } = new(PredictTargetKind.Development, null);

    /// <summary>What kind of target this is.</summary>
    public PredictTargetKind Kind { get; }

    /// <summary>The environment's name or the deployment's id; null for production and development.</summary>
    public string? Name { get; }

    /// <summary>The deployment promoted to a named environment: <c>/environments/{name}/predict</c>.</summary>
    /// <exception cref="ArgumentException"><paramref name="name"/> is null, empty, <c>.</c> or <c>..</c>.</exception>
    public static PredictTarget Environment(string name) => new(PredictTargetKind.Environment, Check(name, nameof(name)));

    /// <summary>One deployment by its id: <c>/deployment/{deploymentId}/predict</c>.</summary>
    /// <exception cref="ArgumentException"><paramref name="deploymentId"/> is null, empty, <c>.</c> or <c>..</c>.</exception>
    public static PredictTarget Deployment(string deploymentId) => new(PredictTargetKind.Deployment, Check(deploymentId, nameof(deploymentId)));

    /// <summary>The target as its path prefix reads, e.g. <c>environments/staging</c>.</summary>
    public override string ToString() => Kind switch
    {
        PredictTargetKind.Production => "production",
        PredictTargetKind.Development => "development",
        PredictTargetKind.Environment => "environments/" + Name,
        _ => "deployment/" + Name,
    };

    // Escaped when the path is built; checked here so that a bad value fails where it was written.
    private static string Check(string value, string parameterName)
    {
        _ = PathSegment.Escape(value ?? throw new ArgumentException("The value is null.", parameterName), parameterName);
        return value;
    }
}

/// <summary>The kinds of <see cref="PredictTarget"/>.</summary>
public enum PredictTargetKind
{
    /// <summary>The production environment.</summary>
    Production,

    /// <summary>The development deployment.</summary>
    Development,

    /// <summary>A named environment.</summary>
    Environment,

    /// <summary>A deployment by id.</summary>
    Deployment,
}
