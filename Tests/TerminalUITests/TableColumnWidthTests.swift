import KubeglassCore
import Testing

@testable import TerminalUI

/// Columns that read well: names cut in the middle, numbers never cut, spare width to what needs it.
@Suite struct TableColumnWidthTests {
    let columns = [
        TableColumn(title: "POD", width: .flexible(min: 6)),
        TableColumn(title: "CPU", alignment: .right, width: .fixed(2), kind: .number(.cores)),
        TableColumn(title: "STATUS", width: .flexible(min: 8)),
        TableColumn(title: "TREND", width: .flexible(min: 5), kind: .sparkline),
    ]
    let rows = [
        TableRow(
            id: "a",
            cells: [.text("report-builder-29000014-c56gz"), .number(1.5), .text("CrashLoopBackOff"), .series([1, 2])]),
        TableRow(id: "b", cells: [.text("web-0"), .number(0.25), .text("Running"), .series([2, 1])]),
    ]

    @Test func longNamesAreCutInTheMiddleSoTheirEndsStay() {
        #expect(TextWidth.truncateMiddle("report-builder-29000014-c56gz", to: 24) == "report-buil…000014-c56gz")
        #expect(TextWidth.truncateMiddle("report-builder-29000014-c56gz", to: 24).count == 24)
        #expect(TextWidth.truncateMiddle("short", to: 24) == "short")
        #expect(TextWidth.truncateMiddle("abcdefgh", to: 3) == "ab…")
        #expect(TextWidth.truncateMiddle("abcdefgh", to: 0) == "")
        let s = draw(Table(columns: columns, rows: rows), width: 40, height: 3)
        #expect(s.lines[1].hasPrefix("report-bu…0014-c56gz "), "\(s.lines[1])")
    }

    @Test func numbersGrowTheirColumnInsteadOfBeingCut() {
        let s = draw(Table(columns: columns, rows: rows), width: 40, height: 3)
        // `1.50` and `250m` are two wider than the fixed 2 columns: the column grows.
        #expect(s.lines[1].contains(" 1.50 "), "\(s.lines[1])")
        #expect(s.lines[2].contains(" 250m "), "\(s.lines[2])")
    }

    @Test func spareWidthFitsTheTextFirstThenGoesToTheSparkline() {
        let content = [29, 4, 16, 0]
        // Narrow: the name, furthest from fitting, grows first.
        #expect(Table.columnWidths(columns, width: 40, content: content) == [20, 4, 8, 5])
        // Wide: every text fits and the sparkline takes the rest.
        let wide = Table.columnWidths(columns, width: 120, content: content)
        #expect(wide == [29, 4, 16, 68])
        // Without a sparkline the text columns share what is left.
        let noTrend = Array(columns.prefix(3))
        #expect(Table.columnWidths(noTrend, width: 80, content: [29, 4, 16]) == [29 + 15, 4, 16 + 14])
        let s = draw(Table(columns: columns, rows: rows), width: 120, height: 3)
        #expect(s.lines[1].contains("report-builder-29000014-c56gz") && s.lines[1].contains("CrashLoopBackOff"))
    }
}
