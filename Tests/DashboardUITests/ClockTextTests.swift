import DashboardUI
import Foundation
import KubeglassCore
import TestSupport
import Testing

/// The header's clock, worked out from the zone's offset: the same as a Gregorian calendar's hour, minute
/// and second, in zones ahead of and behind UTC, with half hours, across daylight-saving changes, and at
/// times before 1970.
@Suite struct ClockTextTests {
    @Test(arguments: [
        "UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata", "Australia/Adelaide", "Pacific/Chatham",
    ])
    func theClockIsTheCalendarsTime(zone: String) throws {
        let timeZone = try #require(TimeZone(identifier: zone))
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        var rng = SplitMix64(state: 3)
        var times: [Timestamp] = [0, -1, -999, -1000, 1_711_846_799_999, 1_711_846_800_000, 1_730_595_600_500]
        for _ in 0..<500 { times.append(Timestamp(rng.next() % 4_000_000_000_000) - 500_000_000_000) }
        for t in times {
            let c = calendar.dateComponents(
                [.hour, .minute, .second], from: Date(timeIntervalSince1970: (Double(t) / 1000).rounded(.down)))
            let expected = String(format: "%02d:%02d:%02d", c.hour ?? 0, c.minute ?? 0, c.second ?? 0)
            #expect(DashboardView.clockText(t, timeZone: timeZone) == expected, "\(t) in \(zone)")
        }
    }
}
