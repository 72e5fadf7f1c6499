import Foundation
import Query

/// The dashboards compiled into the binary (from `dashboards/*.yaml`).
public enum BuiltinDashboards {
    static let files: [(name: String, bytes: [UInt8])] = [
        ("cluster", PackageResources.cluster_yaml),
        ("nodes", PackageResources.nodes_yaml),
        ("node", PackageResources.node_yaml),
        ("pods", PackageResources.pods_yaml),
        ("pod", PackageResources.pod_yaml),
        ("namespace", PackageResources.namespace_yaml),
        ("cluster-prometheus", PackageResources.cluster_prometheus_yaml),
        ("nodes-prometheus", PackageResources.nodes_prometheus_yaml),
        ("pods-prometheus", PackageResources.pods_prometheus_yaml),
        ("namespace-prometheus", PackageResources.namespace_prometheus_yaml),
        ("cluster-influxdb", PackageResources.cluster_influxdb_yaml),
        ("nodes-influxdb", PackageResources.nodes_influxdb_yaml),
        ("pods-influxdb", PackageResources.pods_influxdb_yaml),
        ("namespace-influxdb", PackageResources.namespace_influxdb_yaml),
        ("node-exporter", PackageResources.node_exporter_yaml),
    ]

    /// Every built-in dashboard. A broken built-in is a bug; tests load them all.
    public static func all() throws -> [Dashboard] {
        try files.map {
            try DashboardFile.parse(
                yaml: String(decoding: $0.bytes, as: UTF8.self), file: "dashboards/\($0.name).yaml", name: $0.name)
        }
    }

    /// A built-in's YAML as shipped (what `kubeglass dashboards show` prints).
    public static func text(named name: String) -> String? {
        files.first { $0.name == name }.map { String(decoding: $0.bytes, as: UTF8.self) }
    }

    public static func named(_ name: String) throws -> Dashboard? {
        try all().first { $0.name == name }
    }
}
