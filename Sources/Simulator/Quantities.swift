/// Kubernetes quantity text as the API server and metrics-server write it.
enum Quantities {
    /// Millicores: "8" for whole cores, else "7740m".
    static func cpu(millicores: Int64) -> String {
        millicores % 1000 == 0 ? String(millicores / 1000) : "\(millicores)m"
    }

    /// Bytes as a pod spec writes them: "512Mi" / "2Gi" when exact, else plain bytes.
    static func memory(bytes: Int64) -> String {
        if bytes != 0 && bytes % (1 << 30) == 0 { return "\(bytes >> 30)Gi" }
        if bytes != 0 && bytes % (1 << 20) == 0 { return "\(bytes >> 20)Mi" }
        return String(bytes)
    }

    /// Bytes as the kubelet reports node capacity and metrics-server reports usage: whole Ki.
    static func kibibytes(_ bytes: Int64) -> String { "\(bytes / 1024)Ki" }

    /// Cores as metrics-server's nanocores: "123456789n".
    static func nanocores(_ cores: Double) -> String { "\(Int64(max(0, cores) * 1e9))n" }
}

/// Ages as kubectl prints them (k8s.io/apimachinery duration.HumanDuration).
enum HumanDuration {
    static func text(ms: Int64) -> String {
        let s = max(0, ms / 1000)
        if s < 0 { return "<invalid>" }
        if s < 120 { return "\(s)s" }
        let m = s / 60
        if m < 10 { return s % 60 == 0 ? "\(m)m" : "\(m)m\(s % 60)s" }
        if m < 180 { return "\(m)m" }
        let h = m / 60
        if h < 8 { return m % 60 == 0 ? "\(h)h" : "\(h)h\(m % 60)m" }
        if h < 48 { return "\(h)h" }
        if h < 24 * 8 { return h % 24 == 0 ? "\(h / 24)d" : "\(h / 24)d\(h % 24)h" }
        if h < 24 * 365 * 2 { return "\(h / 24)d" }
        if h < 24 * 365 * 8 {
            let d = h / 24
            return d % 365 == 0 ? "\(d / 365)y" : "\(d / 365)y\(d % 365)d"
        }
        return "\(h / 24 / 365)y"
    }
}
