import Foundation
import KubeglassCore
import TestSupport
import Testing

@testable import TerminalUI

/// A time axis' labels, worked out from the zone's offset below a day's step: the same as a Gregorian
/// calendar's, in zones ahead of and behind UTC, with half hours, across daylight-saving changes, and before
/// 1970.
@Suite struct TimeTickLabelTests {
    @Test(arguments: ["UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata", "Pacific/Chatham"])
    func aLabelIsTheCalendarsTime(zone: String) throws {
        let timeZone = try #require(TimeZone(identifier: zone))
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        var rng = SplitMix64(state: 5)
        var times: [Int64] = [0, -1, -1000, 1_711_846_799_999, 1_711_846_800_000, 1_730_595_600_500]
        for _ in 0..<300 { times.append(Int64(rng.next() % 4_000_000_000_000) - 500_000_000_000) }
        for t in times {
            let c = calendar.dateComponents(
                [.hour, .minute, .second], from: Date(timeIntervalSince1970: (Double(t) / 1000).rounded(.down)))
            let clock = String(format: "%02d:%02d", c.hour ?? 0, c.minute ?? 0)
            #expect(
                TimeTicks.label(t, step: 10_000, timeZone: timeZone) == clock + String(format: ":%02d", c.second ?? 0))
            #expect(TimeTicks.label(t, step: 300_000, timeZone: timeZone) == clock, "\(t) in \(zone)")
        }
    }
}
