import DemoCluster
import NIOCore

/// metrics.k8s.io/v1beta1 as metrics-server serves it: usage sampled every 15 s over a 30 s window,
/// CPU in nanocores (`n`) and memory (working set) in `Ki`; pods that are not running are absent.
enum MetricsAPI {
    static let resolution: Int64 = 15_000

    static func sampleTime(_ t: Int64) -> Int64 { t - ((t % resolution) + resolution) % resolution }

    static func writeUsage(_ usage: ResourceUsage, into out: inout ByteBuffer) {
        out.writeStaticString("\"usage\":{\"cpu\":\"")
        out.writeDecimal(Int64(max(0, usage.cpuCores) * 1e9))
        out.writeStaticString("n\",\"memory\":\"")
        out.writeDecimal(Int64(usage.memoryWorkingSetBytes) / 1024)
        out.writeStaticString("Ki\"}")
    }

    static func writeNode(_ api: SimulatedAPI, _ i: Int, sample: Int64, at t: Int64, into out: inout ByteBuffer) {
        let cluster = api.cluster
        out.writeStaticString("{\"metadata\":{\"name\":")
        out.writeJSON(cluster.nodes[i].name)
        out.writeStaticString(",\"creationTimestamp\":")
        out.writeTimestamp(ms: t)
        out.writeStaticString(",\"labels\":")
        api.catalog.renderer.writeLabels(api.catalog.nodeLabels[i], into: &out)
        out.writeStaticString("},\"timestamp\":")
        out.writeTimestamp(ms: sample)
        out.writeStaticString(",\"window\":\"30s\",")
        writeUsage(cluster.usage(ofNode: i, at: sample), into: &out)
        out.writeStaticString("}")
    }

    static func writePod(
        _ api: SimulatedAPI, _ record: PodRecord, sample: Int64, at t: Int64, into out: inout ByteBuffer
    ) {
        let cluster = api.cluster
        let pod = record.pod
        out.writeStaticString("{\"metadata\":{\"name\":")
        out.writeJSON(pod.name)
        out.writeStaticString(",\"namespace\":")
        out.writeJSON(pod.namespace)
        out.writeStaticString(",\"creationTimestamp\":")
        out.writeTimestamp(ms: t)
        out.writeStaticString(",\"labels\":")
        api.catalog.renderer.writeLabels(record.labels, into: &out)
        out.writeStaticString("},\"timestamp\":")
        out.writeTimestamp(ms: sample)
        out.writeStaticString(",\"window\":\"30s\",\"containers\":[")
        for (n, c) in pod.containers.enumerated() {
            if n > 0 { out.writeStaticString(",") }
            out.writeStaticString("{\"name\":")
            out.writeJSON(c.name)
            out.writeStaticString(",")
            writeUsage(cluster.usage(of: c, in: pod, at: sample), into: &out)
            out.writeStaticString("}")
        }
        out.writeStaticString("]}")
    }

    static func nodes(_ api: SimulatedAPI, _ r: APIRequest, at t: Int64) throws(SelectorError) -> APIResponse {
        let labels = try LabelSelector(r.query["labelSelector"] ?? "")
        let fields = try FieldSelector(r.query["fieldSelector"] ?? "", supported: ["metadata.name"])
        let cluster = api.cluster
        let items = cluster.nodes.indices.filter { i in
            labels.matches(api.catalog.nodeLabels[i]) && fields.matches { _ in cluster.nodes[i].name }
        }
        let sample = sampleTime(t)
        var header = ByteBufferAllocator().buffer(capacity: 256)
        header.writeStaticString(
            "{\"kind\":\"NodeMetricsList\",\"apiVersion\":\"metrics.k8s.io/v1beta1\",\"metadata\":{},\"items\":[")
        return APIResponse(
            body: .stream(
                .list(header: header, count: items.count, footer: "]}") { n, out in
                    writeNode(api, items[n], sample: sample, at: t, into: &out)
                }))
    }

    static func node(_ api: SimulatedAPI, name: String, at t: Int64) -> APIResponse {
        guard let i = api.catalog.nodeIndexByName[name] else {
            return .notFound(kind: "NodeMetrics", resource: "nodemetrics.metrics.k8s.io", name: name)
        }
        return .json { out in
            var one = ByteBufferAllocator().buffer(capacity: 512)
            writeNode(api, i, sample: sampleTime(t), at: t, into: &one)
            out.writeStaticString("{\"kind\":\"NodeMetrics\",\"apiVersion\":\"metrics.k8s.io/v1beta1\",")
            one.moveReaderIndex(forwardBy: 1)
            out.writeBuffer(&one)
        }
    }

    static func pods(_ api: SimulatedAPI, _ r: APIRequest, namespace: String?, at t: Int64) throws(SelectorError)
        -> APIResponse
    {
        let labels = try LabelSelector(r.query["labelSelector"] ?? "")
        let fields = try FieldSelector(
            r.query["fieldSelector"] ?? "", supported: ["metadata.name", "metadata.namespace"])
        let cluster = api.cluster
        let sample = sampleTime(t)
        // The pods that exist now: churn's new ones once they run, none that were deleted.
        let pods = api.log.advance(to: t).pods
        let items = pods.candidates(namespace: namespace, fields: fields).filter { slot in
            guard let record = pods.record(slot), cluster.isRunning(record.pod, at: sample),
                labels.isEmpty || labels.matches(record.labels),
                fields.isEmpty || fields.matches({ api.podField(record, $0) })
            else { return false }
            return true
        }
        var header = ByteBufferAllocator().buffer(capacity: 256)
        header.writeStaticString(
            "{\"kind\":\"PodMetricsList\",\"apiVersion\":\"metrics.k8s.io/v1beta1\",\"metadata\":{},\"items\":[")
        return APIResponse(
            body: .stream(
                .list(header: header, count: items.count, footer: "]}") { n, out in
                    if let record = pods.record(items[n]) { writePod(api, record, sample: sample, at: t, into: &out) }
                }))
    }

    static func pod(_ api: SimulatedAPI, namespace: String, name: String, at t: Int64) -> APIResponse {
        let sample = sampleTime(t)
        let pods = api.log.advance(to: t).pods
        guard let slot = pods.slot(named: namespace + "/" + name), let record = pods.record(slot),
            api.cluster.isRunning(record.pod, at: sample)
        else {
            return .notFound(kind: "PodMetrics", resource: "podmetrics.metrics.k8s.io", name: name)
        }
        return .json { out in
            var one = ByteBufferAllocator().buffer(capacity: 512)
            writePod(api, record, sample: sample, at: t, into: &one)
            out.writeStaticString("{\"kind\":\"PodMetrics\",\"apiVersion\":\"metrics.k8s.io/v1beta1\",")
            one.moveReaderIndex(forwardBy: 1)
            out.writeBuffer(&one)
        }
    }
}
