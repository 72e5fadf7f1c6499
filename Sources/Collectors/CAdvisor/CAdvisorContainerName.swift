import KubeAPI

/// Which pod and container a cAdvisor container is, from what the kubelet left on it: the
/// `io.kubernetes.*` labels; on old kubelets `namespace/name` in the one pod-name label; else
/// the Docker name `k8s_<container>[.<hash>]_<pod>_<namespace>_<uid>_<attempt>` among the aliases.
struct CAdvisorContainerName: Equatable {
    var namespace: String
    var pod: String
    var container: String
    var uid: String?

    /// The pod's sandbox (pause) container, which holds the pod's network but runs nothing of its own.
    var isSandbox: Bool { container == "POD" || container.isEmpty }

    init(namespace: String, pod: String, container: String, uid: String? = nil) {
        (self.namespace, self.pod, self.container, self.uid) = (namespace, pod, container, uid)
    }

    /// Nil for containers that are no pod's: the machine, system slices, pod-level cgroups.
    init?(_ c: CAdvisor.Container) {
        let labels = c.labels
        if var pod = labels["io.kubernetes.pod.name"], !pod.isEmpty {
            var namespace = labels["io.kubernetes.pod.namespace"] ?? ""
            if namespace.isEmpty, let slash = pod.firstIndex(of: "/") {
                namespace = String(pod[..<slash])
                pod = String(pod[pod.index(after: slash)...])
            }
            // Old kubelets left the container's name to the Docker name only.
            var container =
                labels["io.kubernetes.container.name"]
                ?? c.aliases.lazy.compactMap(Self.docker).first?.container ?? ""
            if labels["io.kubernetes.docker.type"] == "podsandbox" { container = "POD" }
            self.init(
                namespace: namespace.isEmpty ? "default" : namespace, pod: pod, container: container,
                uid: labels["io.kubernetes.pod.uid"])
            return
        }
        for alias in c.aliases {
            if let name = Self.docker(alias) {
                self = name
                return
            }
        }
        return nil
    }

    /// `k8s_nginx.d8dbe16c_web-1_default_0b2a…_3f1c2d4e`, or `/k8s_…` as Docker writes names.
    static func docker(_ alias: String) -> CAdvisorContainerName? {
        var name = Substring(alias)
        if name.hasPrefix("/") { name = name.dropFirst() }
        guard name.hasPrefix("k8s_") else { return nil }
        let parts = name.dropFirst(4).split(separator: "_", omittingEmptySubsequences: false)
        guard parts.count >= 4, !parts[0].isEmpty, !parts[1].isEmpty, !parts[2].isEmpty else { return nil }
        let container = parts[0].split(separator: ".", maxSplits: 1).first.map(String.init) ?? ""
        return CAdvisorContainerName(
            namespace: String(parts[2]), pod: String(parts[1]), container: container,
            uid: parts[3].isEmpty ? nil : String(parts[3]))
    }
}
