import Foundation

/// Names for pod and container cgroups, without the API: the kubelet keeps each pod's logs in
/// `/var/log/pods/<namespace>_<pod>_<uid>/<container>/`, and links each container's log as
/// `/var/log/containers/<pod>_<namespace>_<container>-<container id>.log`.
public struct PodLogNames: Sendable {
    public struct Pod: Sendable, Equatable {
        public var namespace: String
        public var name: String
        public var containers: [String]
    }

    /// By pod UID.
    public var pods: [String: Pod] = [:]
    /// By container ID.
    public var containers: [String: String] = [:]

    public init() {}

    /// Reads `podsRoot` and the `containers` directory beside it; missing directories give no names.
    public init(podsRoot: String) {
        let fm = FileManager.default
        for entry in (try? fm.contentsOfDirectory(atPath: podsRoot)) ?? [] {
            // Namespaces and pod names cannot hold "_", so the three parts split cleanly.
            let parts = entry.split(separator: "_", omittingEmptySubsequences: false)
            guard parts.count == 3, !parts[0].isEmpty, !parts[1].isEmpty, !parts[2].isEmpty else { continue }
            let containers = ((try? fm.contentsOfDirectory(atPath: podsRoot + "/" + entry)) ?? []).sorted()
            pods[String(parts[2])] = Pod(namespace: String(parts[0]), name: String(parts[1]), containers: containers)
        }
        let links = (podsRoot as NSString).deletingLastPathComponent + "/containers"
        for entry in (try? fm.contentsOfDirectory(atPath: links)) ?? [] where entry.hasSuffix(".log") {
            let base = entry.dropLast(4)
            guard let dash = base.lastIndex(of: "-") else { continue }
            let id = String(base[base.index(after: dash)...])
            let parts = base[..<dash].split(separator: "_", omittingEmptySubsequences: false)
            guard parts.count == 3 else { continue }
            containers[id] = String(parts[2])
        }
    }
}
