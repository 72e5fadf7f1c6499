import DemoCluster
import KubeglassCore
import NIOCore

/// The demo cluster's objects, indexed and with their unchanging JSON rendered once at start:
/// a request copies those bytes and renders only what moves (heartbeats, the crash-looping pod).
public final class ClusterCatalog: Sendable {
    public let cluster: ClusterModel
    /// Labels as served (the model's plus the ones controllers add), sorted by key.
    let podLabels: [[(key: String, value: String)]]
    let nodeLabels: [[(key: String, value: String)]]
    public let namespaces: [String]
    let namespaceCreatedAt: Int64
    let podIndexByName: [String: Int]
    let nodeIndexByName: [String: Int]
    let podsByNamespace: [String: [Int]]
    let podsByNode: [[Int]]
    /// Static bytes: a pod's whole body (after the opening brace) until its first change, a node's
    /// body around its resourceVersion and conditions.
    private let store: ByteBuffer
    private let podRanges: [Range<Int>]
    private let nodeHeadRanges: [Range<Int>]
    private let nodeMiddleRanges: [Range<Int>]
    private let nodeSuffixRanges: [Range<Int>]

    public init(cluster: ClusterModel, resourceVersionBase: Int64 = 0) {
        self.cluster = cluster
        let pods = cluster.pods
        podLabels = pods.map(ClusterCatalog.servedLabels)
        nodeLabels = cluster.nodes.map { node in
            var labels = node.labels
            labels["node-role.kubernetes.io/worker"] = ""
            labels["beta.kubernetes.io/os"] = "linux"
            labels["beta.kubernetes.io/arch"] = "amd64"
            return labels.sorted { $0.key < $1.key }.map { (key: $0.key, value: $0.value) }
        }
        var ns = Set(cluster.namespaces)
        ns.formUnion(["default", "kube-public", "kube-node-lease", "kube-system"])
        namespaces = ns.sorted()
        namespaceCreatedAt = cluster.createdAt - 30 * Milliseconds.day
        var byName = [String: Int](minimumCapacity: pods.count)
        var byNamespace: [String: [Int]] = [:]
        for (i, pod) in pods.enumerated() {
            byName[pod.namespace + "/" + pod.name] = i
            byNamespace[pod.namespace, default: []].append(i)
        }
        podIndexByName = byName
        podsByNamespace = byNamespace
        nodeIndexByName = Dictionary(uniqueKeysWithValues: cluster.nodes.enumerated().map { ($1.name, $0) })
        var byNode = Array(repeating: [Int](), count: cluster.nodes.count)
        for (i, pod) in pods.enumerated() { if let n = pod.nodeIndex { byNode[n].append(i) } }
        podsByNode = byNode

        var store = ByteBufferAllocator().buffer(capacity: pods.count * 1800 + cluster.nodes.count * 2000)
        var podRanges: [Range<Int>] = []
        podRanges.reserveCapacity(pods.count)
        let renderer = ObjectRenderer(
            cluster: cluster, podLabels: podLabels, nodeLabels: nodeLabels, resourceVersionBase: resourceVersionBase)
        self.renderer = renderer
        for i in pods.indices {
            let start = store.writerIndex
            renderer.writePodBody(renderer.initialRecord(pod: i, at: cluster.createdAt), into: &store)
            podRanges.append(start..<store.writerIndex)
        }
        var heads: [Range<Int>] = []
        var middles: [Range<Int>] = []
        var suffixes: [Range<Int>] = []
        for i in cluster.nodes.indices {
            var start = store.writerIndex
            renderer.writeNodeHead(i, into: &store)
            heads.append(start..<store.writerIndex)
            start = store.writerIndex
            renderer.writeNodeMiddle(i, into: &store)
            middles.append(start..<store.writerIndex)
            start = store.writerIndex
            renderer.writeNodeSuffix(i, into: &store)
            suffixes.append(start..<store.writerIndex)
        }
        self.store = store
        self.podRanges = podRanges
        nodeHeadRanges = heads
        nodeMiddleRanges = middles
        nodeSuffixRanges = suffixes
    }

    let renderer: ObjectRenderer

    /// Bytes held for pre-rendered objects (for the scale report).
    public var renderedBytes: Int { store.readableBytes }

    /// A pod object without its opening brace: `"metadata":{…},"spec":{…},"status":{…}}`.
    func writePodBody(_ record: PodRecord, into out: inout ByteBuffer) {
        if record.pristine && record.slot < podRanges.count {
            copy(podRanges[record.slot], into: &out)
        } else {
            renderer.writePodBody(record, into: &out)
        }
    }

    /// A node object without its opening brace.
    func writeNodeBody(_ record: NodeRecord, into out: inout ByteBuffer) {
        let i = record.index
        out.writeStaticString("\"metadata\":{")
        copy(nodeHeadRanges[i], into: &out)
        out.writeDecimal(record.resourceVersion)
        copy(nodeMiddleRanges[i], into: &out)
        renderer.writeNodeConditions(i, heartbeat: record.heartbeat, into: &out)
        copy(nodeSuffixRanges[i], into: &out)
    }

    private func copy(_ range: Range<Int>, into out: inout ByteBuffer) {
        _ = store.withUnsafeReadableBytes { out.writeBytes(UnsafeRawBufferPointer(rebasing: $0[range])) }
    }

    /// The labels a pod carries in a real cluster: its app label plus what its controller adds.
    static func servedLabels(_ pod: ClusterModel.Pod) -> [(key: String, value: String)] {
        var labels = pod.labels
        let app = pod.labels["app.kubernetes.io/name"] ?? pod.ownerName
        labels["app"] = app
        switch pod.ownerKind {
        case "ReplicaSet":
            labels["pod-template-hash"] = String(pod.ownerName.split(separator: "-").last ?? "")
        case "StatefulSet":
            labels["statefulset.kubernetes.io/pod-name"] = pod.name
            labels["controller-revision-hash"] = "\(pod.ownerName)-6d4cf56db6"
        case "DaemonSet":
            labels["controller-revision-hash"] = "7f9c6b8d5"
            labels["pod-template-generation"] = "1"
        case "Job":
            labels["job-name"] = pod.ownerName
            labels["batch.kubernetes.io/job-name"] = pod.ownerName
        default: break
        }
        return labels.sorted { $0.key < $1.key }.map { (key: $0.key, value: $0.value) }
    }
}

/// A stable 64-bit key for a name (FNV-1a), independent of Swift's per-process hash seed.
func nameKey(_ text: String) -> UInt64 {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    for b in text.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
    return h
}

/// 32 hex digits derived from a name (container IDs, digests).
func derivedHex(_ text: String) -> String {
    var a = nameKey(text)
    var b = nameKey(text + "#")
    let hex: StaticString = "0123456789abcdef"
    return String(unsafeUninitializedCapacity: 32) { out in
        hex.withUTF8Buffer { digits in
            for i in 0..<32 {
                if i < 16 {
                    out[i] = digits[Int(a & 15)]
                    a >>= 4
                } else {
                    out[i] = digits[Int(b & 15)]
                    b >>= 4
                }
            }
        }
        return 32
    }
}

/// A UUID-shaped text derived from a name, so owners and nodes keep their uid across restarts.
func derivedUID(_ text: String) -> String {
    var h = Array(derivedHex(text).utf8)
    h[12] = UInt8(ascii: "4")
    return String(unsafeUninitializedCapacity: 36) { out in
        var o = 0
        for i in 0..<32 {
            if i == 8 || i == 12 || i == 16 || i == 20 {
                out[o] = UInt8(ascii: "-")
                o += 1
            }
            out[o] = h[i]
            o += 1
        }
        return 36
    }
}
