import Testing

@testable import TerminalUI

/// The kiosk's stale banner: the age in large type, the whole error, and any terminal size.
struct BannerTests {
    static let longError =
        "cannot connect to https://10.0.0.1:6443/apis/metrics.k8s.io/v1beta1/nodes: connection refused "
        + "(is the API server up? kubeconfig context ops-wall, user wall-reader); "
        + (1...30).map { "retry\($0)" }.joined(separator: " ") + " end-of-error"

    /// The banner's rows below the title and big age, put back together as one line of words.
    static func words(_ screen: Screen) -> [Substring] {
        screen.lines.joined(separator: " ").split(separator: " ")
    }

    @Test func theWholeErrorIsWrappedNotCut() {
        let banner = StaleBanner(age: 125_000, lastData: "14:02:11", error: Self.longError)
        let screen = draw(banner, width: 80, height: 22, area: Rect(x: 0, y: 1, width: 80, height: 20))
        let shown = Self.words(screen)
        let expected = ("last error: " + Self.longError).split(separator: " ")
        // Every word of the error, in order, each whole on one row.
        var at = shown.startIndex
        for word in expected {
            guard let i = shown[at...].firstIndex(of: word) else {
                Issue.record("\"\(word)\" is missing:\n\(screen.lines.joined(separator: "\n"))")
                return
            }
            at = i + 1
        }
        #expect(screen.lines[1].contains("STALE DATA"))
        #expect(screen.lines[1].contains("since 14:02:11"))
        #expect(screen.lines[1].contains("2:05 old"))
        #expect(banner.height(width: 80) <= 20)
    }

    @Test func theAgeIsInLargeType() {
        #expect(StaleBanner.ageText(125_000) == "2:05")
        #expect(StaleBanner.ageText(59_999) == "0:59")
        #expect(StaleBanner.ageText(26 * 3_600_000 + 5000) == "26:00:05")
        let screen = draw(StaleBanner(age: 125_000, error: "refused"), width: 80, height: 12)
        let big = BigText.rows("2:05")
        for (i, row) in big.enumerated() {
            #expect(
                screen.lines[1 + i].contains(row), "row \(i) of the big age:\n\(screen.lines.joined(separator: "\n"))")
        }
        #expect(screen.lines[3].contains("min:s old"))
        let hours = draw(StaleBanner(age: 3 * 3_600_000, error: "refused"), width: 80, height: 12)
        #expect(hours.lines[1].contains(BigText.rows("3:00:00")[0]))
        #expect(hours.lines[3].contains("h:min:s old"))
    }

    @Test func theBandSpansTheWidthAndStopsBelowItsText() {
        let screen = draw(StaleBanner(age: 90_000, error: "refused"), width: 60, height: 20)
        let band = screen[59, 0].style
        #expect(band.attributes.contains(.reverse), "the band stands out")
        // Title, three rows of big age, a blank row, the error and a row below it: seven rows.
        #expect(screen[0, 6].style == band)
        #expect(screen[0, 7] == Cell("x"), "nothing drawn below the banner")
    }

    @Test func whenRowsAreShortTheBigAgeGivesWayToTheError() {
        let banner = StaleBanner(age: 125_000, error: Self.longError)
        let screen = draw(banner, width: 80, height: 8)
        let text = screen.lines.joined(separator: "\n")
        #expect(!text.contains(BigText.rows("2:05")[0]), "no room for the big age:\n\(text)")
        #expect(screen.lines[0].contains("2:05 old"), "the age is still in the title")
        #expect(text.contains("refused"))
    }

    @Test func noDataYetHasNoAge() {
        let screen = draw(StaleBanner(age: nil, error: "connection refused"), width: 50, height: 10)
        #expect(screen.lines[0].contains("NO DATA YET"))
        #expect(screen.lines.joined().contains("connection refused"))
    }

    @Test(arguments: [(80, 24), (120, 40), (40, 12), (20, 5), (10, 2), (3, 1), (1, 1), (0, 0)])
    func anyTerminalSizeDrawsWithoutCrashing(width: Int, height: Int) {
        for age: Int64? in [nil, 0, 125_000, 400 * 3_600_000] {
            let banner = StaleBanner(age: age, lastData: "14:02:11", error: Self.longError)
            let screen = draw(banner, width: width, height: height)
            if width >= 80 && height >= 24 {
                #expect(screen.lines.joined(separator: " ").contains("end-of-error"), "the error's end is shown")
            }
            _ = banner.height(width: width)
        }
    }
}
