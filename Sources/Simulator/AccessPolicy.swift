import Foundation

/// Who may call the HTTPS port: a client certificate signed by the sim's CA, or a bearer token
/// equal to the sim's token or `token.<anything>`; with an expiry, each distinct token works for
/// that long after its first use (to test a client's re-authentication).
public final class AccessPolicy: @unchecked Sendable {
    let token: String
    let expireAfter: Int64?
    private let lock = NSLock()
    private var firstUse: [String: Int64] = [:] // guarded by lock

    public init(token: String, expireAfterMilliseconds: Int64? = nil) {
        self.token = token
        expireAfter = expireAfterMilliseconds
    }

    public enum Verdict: Equatable, Sendable { case allowed, noCredentials, badToken, expiredToken }

    public func check(authorization: String?, verifiedClientCertificate: Bool, now: Int64) -> Verdict {
        if verifiedClientCertificate { return .allowed }
        guard let authorization, authorization.lowercased().hasPrefix("bearer ") else { return .noCredentials }
        let presented = authorization.dropFirst(7).trimmingCharacters(in: .whitespaces)
        guard presented == token || presented.hasPrefix(token + ".") else { return .badToken }
        guard let expireAfter else { return .allowed }
        let first = lock.withLock {
            if let t = firstUse[presented] { return t }
            firstUse[presented] = now
            return now
        }
        return now - first < expireAfter ? .allowed : .expiredToken
    }

    /// A random token: 32 hex digits.
    public static func randomToken() -> String {
        var rng = SystemRandomNumberGenerator()
        return (0..<4).map { _ in String(format: "%08x", UInt32.random(in: .min ... .max, using: &rng)) }.joined()
    }
}

/// Injected faults: extra latency, a share of requests failing with 500/503, a share cut short.
public struct FaultPlan: Sendable {
    public var latencyMilliseconds: Int64 = 0
    public var errorRate: Double = 0
    public var truncateRate: Double = 0
    public init(latencyMilliseconds: Int64 = 0, errorRate: Double = 0, truncateRate: Double = 0) {
        self.latencyMilliseconds = latencyMilliseconds
        self.errorRate = errorRate
        self.truncateRate = truncateRate
    }

    enum Fault {
        case none
        case error(Int)
        case truncate
    }

    func draw() -> Fault {
        let x = Double.random(in: 0..<1)
        if x < errorRate { return .error(Bool.random() ? 500 : 503) }
        if x < errorRate + truncateRate { return .truncate }
        return .none
    }
}
