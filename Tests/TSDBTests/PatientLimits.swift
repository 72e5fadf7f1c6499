import TSDB

/// Limits for clients of the real servers: `swift test` runs everything at once on two cores,
/// and a first query can then wait far longer than a user's 30 s.
let patient: TSDBLimits = {
    var limits = TSDBLimits()
    limits.requestTimeout = .seconds(180)
    return limits
}()
