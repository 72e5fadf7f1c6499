import Foundation
import KubeglassCore

/// Time-axis ticks at round local times (every 1, 2, 5, 10, 15, 30 minutes, 1, 2, 3, 6, 12 hours, …),
/// as few as keep labels `spacing` columns apart.
public struct TimeTicks {
    var times: [Int64]
    var labels: [String]

    private static let second = Milliseconds.second, minute = Milliseconds.minute, hour = Milliseconds.hour,
        day = Milliseconds.day
    private static let steps: [Milliseconds] =
        [1, 2, 5, 10, 15, 30].map { $0 * second }
        + [1, 2, 5, 10, 15, 30].map { $0 * minute } + [1, 2, 3, 6, 12].map { $0 * hour }
        + [1, 2, 7, 14, 28].map { $0 * day }

    /// Ticks for `start...end` (ms) on an axis `columns` wide.
    init(start: Int64, end: Int64, columns: Int, timeZone: TimeZone) {
        times = []
        labels = []
        guard end > start, columns > 0 else { return }
        let span = Double(end) - Double(start)
        let offset = Int64(timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(start) / 1000))) * 1000
        for step in TimeTicks.steps {
            let width = TimeTicks.label(start, step: step, timeZone: timeZone).count + 2
            guard span / Double(step) <= Double(columns / width) else { continue }
            let (localStart, overflow) = start.addingReportingOverflow(offset)
            guard !overflow else { return }
            var t = TimeTicks.ceilDiv(localStart, step) * step - offset
            while t <= end, times.count < 1000 {
                times.append(t)
                labels.append(TimeTicks.label(t, step: step, timeZone: timeZone))
                t += step
            }
            return
        }
    }

    private static func ceilDiv(_ a: Int64, _ b: Int64) -> Int64 {
        let q = a / b
        return a % b > 0 ? q + 1 : q
    }

    /// HH:MM:SS (or HH:MM) at `t` in `timeZone`, from the zone's offset at that time: a calendar made for
    /// each call (every label of every chart, the header every second) cost more than the rest of a frame's text.
    public static func clock(_ t: Int64, timeZone: TimeZone, seconds: Bool = true) -> String {
        let whole = Int64((Double(t) / 1000).rounded(.down))
        let local = whole + Int64(timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(whole))))
        let ofDay = ((local % 86_400) + 86_400) % 86_400
        func two(_ n: Int64) -> String { n < 10 ? "0\(n)" : "\(n)" }
        let clock = "\(two(ofDay / 3600)):\(two(ofDay / 60 % 60))"
        return seconds ? clock + ":\(two(ofDay % 60))" : clock
    }

    /// HH:MM (HH:MM:SS for sub-minute steps, MM-DD for day steps) in `timeZone`.
    static func label(_ t: Int64, step: Int64, timeZone: TimeZone) -> String {
        let date = Date(timeIntervalSince1970: Double(t) / 1000)
        if step < day { return clock(t, timeZone: timeZone, seconds: step < minute) }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let c = calendar.dateComponents([.month, .day, .hour, .minute, .second], from: date)
        func two(_ n: Int?) -> String {
            let n = n ?? 0
            return n < 10 ? "0\(n)" : "\(n)"
        }
        if step >= day { return "\(two(c.month))-\(two(c.day))" }
        if step < minute { return "\(two(c.hour)):\(two(c.minute)):\(two(c.second))" }
        return "\(two(c.hour)):\(two(c.minute))"
    }
}
