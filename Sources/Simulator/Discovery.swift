import NIOCore

/// Version and discovery documents. Plain JSON with Content-Type application/json: kubectl asks
/// for aggregated discovery (apidiscovery.k8s.io/v2) first and falls back to these when refused.
enum Discovery {
    static func version() -> APIResponse {
        .text(
            """
            {"major":"1","minor":"32","gitVersion":"v1.32.4","gitCommit":"59526cd4867447956156ae3a602fcbac5a2c4f1c","gitTreeState":"clean","buildDate":"2025-04-22T16:02:27Z","goVersion":"go1.23.6","compiler":"gc","platform":"linux/amd64"}
            """, contentType: "application/json")
    }

    static func rootPaths(servesMetricsAPI: Bool) -> APIResponse {
        var paths = [
            "/api", "/api/v1", "/apis", "/healthz", "/livez", "/metrics", "/metrics/cadvisor",
            "/metrics/kube-state-metrics", "/metrics/node-exporter", "/readyz", "/version",
        ]
        if servesMetricsAPI { paths += ["/apis/metrics.k8s.io", "/apis/metrics.k8s.io/v1beta1"] }
        return .json { out in
            out.writeStaticString("{\"paths\":[")
            for (n, p) in paths.sorted().enumerated() {
                if n > 0 { out.writeStaticString(",") }
                out.writeJSON(p)
            }
            out.writeStaticString("]}")
        }
    }

    static func coreVersions() -> APIResponse {
        .text(
            """
            {"kind":"APIVersions","versions":["v1"],"serverAddressByClientCIDRs":[{"clientCIDR":"0.0.0.0/0","serverAddress":"127.0.0.1:6443"}]}
            """, contentType: "application/json")
    }

    static let metricsGroupJSON = """
        {"name":"metrics.k8s.io","versions":[{"groupVersion":"metrics.k8s.io/v1beta1","version":"v1beta1"}],"preferredVersion":{"groupVersion":"metrics.k8s.io/v1beta1","version":"v1beta1"}}
        """

    static func groups(servesMetricsAPI: Bool) -> APIResponse {
        .text(
            "{\"kind\":\"APIGroupList\",\"apiVersion\":\"v1\",\"groups\":[\(servesMetricsAPI ? metricsGroupJSON : "")]}",
            contentType: "application/json")
    }

    static func metricsGroup() -> APIResponse {
        .text(
            "{\"kind\":\"APIGroup\",\"apiVersion\":\"v1\"," + metricsGroupJSON.dropFirst(),
            contentType: "application/json")
    }

    struct Resource {
        var name: String, singular: String, namespaced: Bool, kind: String, verbs: [String], shortNames: [String] = []
    }

    static func resourceList(groupVersion: String, _ resources: [Resource]) -> APIResponse {
        .json { out in
            out.writeStaticString("{\"kind\":\"APIResourceList\",\"apiVersion\":\"v1\",\"groupVersion\":")
            out.writeJSON(groupVersion)
            out.writeStaticString(",\"resources\":[")
            for (n, r) in resources.enumerated() {
                if n > 0 { out.writeStaticString(",") }
                out.writeStaticString("{\"name\":")
                out.writeJSON(r.name)
                out.writeStaticString(",\"singularName\":")
                out.writeJSON(r.singular)
                out.writeStaticString(",\"namespaced\":")
                out.writeStaticString(r.namespaced ? "true" : "false")
                out.writeStaticString(",\"kind\":")
                out.writeJSON(r.kind)
                out.writeStaticString(",\"verbs\":[")
                for (k, v) in r.verbs.enumerated() {
                    if k > 0 { out.writeStaticString(",") }
                    out.writeJSON(v)
                }
                out.writeStaticString("]")
                if !r.shortNames.isEmpty {
                    out.writeStaticString(",\"shortNames\":[")
                    for (k, v) in r.shortNames.enumerated() {
                        if k > 0 { out.writeStaticString(",") }
                        out.writeJSON(v)
                    }
                    out.writeStaticString("]")
                }
                out.writeStaticString("}")
            }
            out.writeStaticString("]}")
        }
    }

    static func coreResources() -> APIResponse {
        resourceList(
            groupVersion: "v1",
            [
                Resource(
                    name: "events", singular: "event", namespaced: true, kind: "Event", verbs: ["get", "list"],
                    shortNames: ["ev"]),
                Resource(
                    name: "namespaces", singular: "namespace", namespaced: false, kind: "Namespace",
                    verbs: ["get", "list"], shortNames: ["ns"]),
                Resource(
                    name: "nodes", singular: "node", namespaced: false, kind: "Node", verbs: ["get", "list"],
                    shortNames: ["no"]),
                Resource(
                    name: "nodes/proxy", singular: "", namespaced: false, kind: "NodeProxyOptions", verbs: ["get"]),
                Resource(
                    name: "pods", singular: "pod", namespaced: true, kind: "Pod", verbs: ["get", "list"],
                    shortNames: ["po"]),
            ])
    }

    static func metricsResources() -> APIResponse {
        resourceList(
            groupVersion: "metrics.k8s.io/v1beta1",
            [
                Resource(name: "nodes", singular: "", namespaced: false, kind: "NodeMetrics", verbs: ["get", "list"]),
                Resource(name: "pods", singular: "", namespaced: true, kind: "PodMetrics", verbs: ["get", "list"]),
            ])
    }
}
