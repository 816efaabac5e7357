namespace Baseten.Aot.Tests;

/// <summary>Examples from spec/baseten.openapi.yaml, and a full response in the documented shape.</summary>
internal static class SeedData
{
    /// <summary>The request body of the spec's own example (its curl sample), explicit nulls included.</summary>
    public const string RequestExample = """
        {
          "name": "staging",
          "promotion_settings": {
            "promotion_cleanup_strategy": null,
            "ramp_up_duration_seconds": 600,
            "ramp_up_while_promoting": true,
            "redeploy_on_promotion": true,
            "rolling_deploy": null,
            "rolling_deploy_config": null
          },
          "chainlet_settings": [
            {
              "autoscaling_settings": {
                "autoscaling_window": 800,
                "concurrency_target": 4,
                "max_replica": 3,
                "min_replica": 2,
                "scale_down_delay": 63,
                "target_in_flight_tokens": null,
                "target_utilization_percentage": null
              },
              "chainlet_name": "HelloWorld",
              "instance_type_id": "2x8"
            },
            {
              "autoscaling_settings": {
                "autoscaling_window": null,
                "concurrency_target": null,
                "max_replica": 3,
                "min_replica": 3,
                "scale_down_delay": null,
                "target_in_flight_tokens": null,
                "target_utilization_percentage": null
              },
              "chainlet_name": "RandInt",
              "instance_type_id": "A10Gx8x32"
            }
          ]
        }
        """;

    /// <summary>A ChainEnvironmentV1 with every property, nested deployments and nulls where the schema allows them.</summary>
    public const string ResponseExample = """
        {
          "name": "staging",
          "created_at": "2026-08-22T10:15:30.123+00:00",
          "chain_id": "abc123",
          "promotion_settings": {
            "redeploy_on_promotion": true,
            "rolling_deploy": false,
            "promotion_cleanup_strategy": "SCALE_TO_ZERO",
            "rolling_deploy_config": {
              "rolling_deploy_strategy": "REPLICA",
              "max_surge_percent": 10,
              "max_unavailable_percent": 0,
              "stabilization_time_seconds": 300,
              "replica_overhead_percent": 0
            },
            "ramp_up_while_promoting": true,
            "ramp_up_duration_seconds": 600
          },
          "chainlet_settings": [
            {
              "chainlet_name": "HelloWorld",
              "autoscaling_settings": {
                "min_replica": 2,
                "max_replica": 3,
                "autoscaling_window": 800,
                "scale_down_delay": 63,
                "concurrency_target": 4,
                "target_utilization_percentage": null,
                "target_in_flight_tokens": null
              },
              "instance_type": {
                "id": "2x8",
                "name": "2x8",
                "memory_limit_mib": 8192,
                "millicpu_limit": 2000,
                "gpu_count": 0,
                "gpu_type": null,
                "gpu_memory_limit_mib": null
              }
            }
          ],
          "current_deployment": {
            "id": "dep1",
            "created_at": "2026-08-22T10:00:00+00:00",
            "chain_id": "abc123",
            "environment": "staging",
            "chainlets": [
              {
                "id": "cl1",
                "name": "HelloWorld",
                "autoscaling_settings": null,
                "instance_type_name": "2x8",
                "active_replica_count": 2,
                "status": "ACTIVE"
              }
            ],
            "status": "ACTIVE"
          },
          "candidate_deployment": null
        }
        """;
}
