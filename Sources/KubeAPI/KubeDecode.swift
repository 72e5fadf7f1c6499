/// Decoding of API responses. Every function takes the whole body and throws `KubeDecodeError`
/// on malformed, truncated or wrongly shaped JSON; it never traps on any input.
public enum KubeDecode {
    public static func nodeList(_ body: [UInt8]) throws(KubeDecodeError) -> KubeList<NodeObject> { throw notYet }
    public static func podList(_ body: [UInt8]) throws(KubeDecodeError) -> KubeList<PodObject> { throw notYet }
    public static func nodeMetricsList(_ body: [UInt8]) throws(KubeDecodeError) -> KubeList<NodeMetricsObject> { throw notYet }
    public static func podMetricsList(_ body: [UInt8]) throws(KubeDecodeError) -> KubeList<PodMetricsObject> { throw notYet }
    public static func eventList(_ body: [UInt8]) throws(KubeDecodeError) -> KubeList<EventObject> { throw notYet }
    public static func summary(_ body: [UInt8]) throws(KubeDecodeError) -> Summary { throw notYet }
    /// The `Status` in an error response; nil when the body is not a Status.
    public static func status(_ body: [UInt8]) -> KubeStatus? { nil }
    /// `/apis` (an APIGroupList): group name → preferred version (`metrics.k8s.io` → `v1beta1`).
    public static func apiGroups(_ body: [UInt8]) throws(KubeDecodeError) -> [String: String] { throw notYet }

    private static var notYet: KubeDecodeError { KubeDecodeError(offset: 0, message: "not written yet") }
}
