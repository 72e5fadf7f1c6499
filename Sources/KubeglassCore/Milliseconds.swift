/// A span of time in milliseconds: a retention, a step, a range, a refresh interval.
/// (A point in time is a `Timestamp`, milliseconds since the Unix epoch.)
public typealias Milliseconds = Int64

extension Milliseconds {
    public static let second: Milliseconds = 1000
    public static let minute: Milliseconds = 60 * second
    public static let hour: Milliseconds = 60 * minute
    public static let day: Milliseconds = 24 * hour
    public static let week: Milliseconds = 7 * day
    /// 365 days, as PromQL and Go's duration parser count a year.
    public static let year: Milliseconds = 365 * day
}
