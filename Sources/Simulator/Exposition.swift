import DemoCluster
import NIOCore

/// Prometheus text exposition (format 0.0.4) of the series the usual exporters expose:
/// cAdvisor through the kubelet, kube-state-metrics and node-exporter, with their label names.
enum Exposition {
    enum Family: String, CaseIterable, Sendable {
        case cadvisor
        case kubeStateMetrics = "kube-state-metrics"
        case nodeExporter = "node-exporter"
    }

    static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    /// One metric: its HELP/TYPE header and a writer of the lines for item `i`.

    struct Metric {
        var name: String, help: String, type: String, count: Int
        var lines: (Int, inout ByteBuffer) -> Void
    }

    static func response(_ api: SimulatedAPI, families: [Family], node: Int? = nil, at t: Int64) -> APIResponse {
        let scrape = Scrape(
            api: api, node: node, at: t, needsCounters: families.contains(.cadvisor) || families.contains(.nodeExporter)
        )
        var metrics: [Metric] = []
        for f in families {
            switch f {
            case .cadvisor: metrics += scrape.cadvisor()
            case .kubeStateMetrics: metrics += scrape.kubeStateMetrics()
            case .nodeExporter: metrics += scrape.nodeExporter()
            }
        }
        return stream(metrics)
    }

    /// What one node's kubelet serves through the API server's node proxy: cAdvisor's series without
    /// the `instance` and `node` labels a Prometheus server adds, or the resource metrics.
    static func kubeletResponse(_ api: SimulatedAPI, node: Int, resource: Bool, at t: Int64) -> APIResponse {
        let scrape = Scrape(api: api, node: node, at: t, needsCounters: true)
        scrape.asKubelet = true
        return stream(resource ? scrape.resource() : scrape.cadvisor())
    }

    private static func stream(_ metrics: [Metric]) -> APIResponse {
        var m = 0
        var i = -1
        let source = ChunkSource { out in
            let limit = out.readableBytes + ChunkSource.chunkSize
            while m < metrics.count && out.readableBytes < limit {
                let metric = metrics[m]
                if i == -1 {
                    out.writeStaticString("# HELP ")
                    out.writeString(metric.name)
                    out.writeStaticString(" ")
                    out.writeString(metric.help)
                    out.writeStaticString("\n# TYPE ")
                    out.writeString(metric.name)
                    out.writeStaticString(" ")
                    out.writeString(metric.type)
                    out.writeStaticString("\n")
                    i = 0
                }
                while i < metric.count && out.readableBytes < limit {
                    metric.lines(i, &out)
                    i += 1
                }
                if i >= metric.count {
                    m += 1
                    i = -1
                }
            }
            return m < metrics.count
        }
        return APIResponse(contentType: contentType, body: .stream(source))
    }
}

extension ByteBuffer {
    /// `name{` … `} value\n` pieces for exposition lines.
    mutating func writeLabel(_ name: StaticString, _ value: String, first: Bool = false) {
        if !first { writeStaticString(",") }
        writeStaticString(name)
        writeStaticString("=\"")
        if value.utf8.contains(where: {
            $0 == UInt8(ascii: "\\") || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\n")
        }) {
            writeString(value.replacing("\\", with: "\\\\").replacing("\"", with: "\\\"").replacing("\n", with: "\\n"))
        } else {
            writeString(value)
        }
        writeStaticString("\"")
    }

    mutating func writeSampleValue(_ value: Double) {
        writeStaticString("} ")
        if value == value.rounded(), abs(value) < 1e15 {
            writeDecimal(Int64(value))
        } else {
            writeString(String(value))
        }
        writeStaticString("\n")
    }
}
