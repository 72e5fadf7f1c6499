import KubeglassCore
import Testing

@testable import TerminalUI

@Suite struct TableTests {
    let columns = [
        TableColumn(title: "NAME"),
        TableColumn(title: "CPU", alignment: .right, width: .fixed(6), kind: .number(.cores)),
        TableColumn(title: "HIST", width: .fixed(4), kind: .sparkline),
    ]
    let rows = [
        TableRow(id: "node-10", cells: [.text("node-10"), .number(0.25), .series([1, 2, 3, 4])]),
        TableRow(id: "node-2", cells: [.text("node-2", Style(foreground: .red)), .number(1.5), .series([4, nil, 0])]),
        TableRow(id: "node-3", cells: [.text("node-3-with-a-long-name"), .number(nil), .series([])]),
    ]

    @Test func headerRowsAndColumns() {
        let table = Table(columns: columns, rows: rows, sortColumn: 1, sortDescending: true)
        let s = draw(table, width: 20, height: 5)
        // NAME gets 4 + the 4 columns the fixed ones leave: widths 8, 6, 4, one space apart.
        #expect(
            s.lines == [
                "NAME      CPU ▼ HIST",
                "node-10    250m ▁▃▆█",
                "node-2     1.50  █ ▁",
                "nod…name      –     ",
                "                    ",
            ])
        #expect(s[0, 0].style == Theme.default.tableHeader)
        #expect(s[8, 0].style == Theme.default.tableHeader)
        #expect(s[0, 2].style == Style(foreground: .red))
        #expect(s[0, 1].style == Theme.default.text)
        #expect(s[16, 1].style.foreground == Theme.default.seriesColor(0))
    }

    @Test func ascendingMarkerAndRightAlignedTitles() {
        let s = draw(Table(columns: columns, rows: [], sortColumn: 0), width: 20, height: 1)
        #expect(s.lines == ["NAME ▲      CPU HIST"])
    }

    @Test func selectedRowIsHighlightedAcrossTheWidth() {
        let s = draw(Table(columns: columns, rows: rows, selectedRow: 1), width: 20, height: 4)
        for x in 0..<20 { #expect(s[x, 2].style == Theme.default.selectedRow) }
        #expect(s[0, 1].style == Theme.default.text)
    }

    @Test func scrollsFromTheOffsetAndKeepsTheLastPageFull() {
        let many = (0..<10).map { TableRow(id: "\($0)", cells: [.text("pod-\($0)")]) }
        let one = [TableColumn(title: "POD")]
        #expect(
            draw(Table(columns: one, rows: many, scrollOffset: 3), width: 6, height: 3).trimmedLines
                == ["POD", "pod-3", "pod-4"])
        #expect(
            draw(Table(columns: one, rows: many, scrollOffset: 99), width: 6, height: 3).trimmedLines
                == ["POD", "pod-8", "pod-9"])
        #expect(
            draw(Table(columns: one, rows: many, scrollOffset: -5), width: 6, height: 3).trimmedLines
                == ["POD", "pod-0", "pod-1"])
    }

    @Test func scrollOffsetKeepsTheSelectionVisible() {
        #expect(Table.scrollOffset(showing: 7, from: 0, visibleRows: 5, rowCount: 10) == 3)
        #expect(Table.scrollOffset(showing: 2, from: 4, visibleRows: 5, rowCount: 10) == 2)
        #expect(Table.scrollOffset(showing: 5, from: 4, visibleRows: 5, rowCount: 10) == 4)
        #expect(Table.scrollOffset(showing: nil, from: 9, visibleRows: 5, rowCount: 10) == 5)
        #expect(Table.scrollOffset(showing: 3, from: 0, visibleRows: 0, rowCount: 10) == 0)
        #expect(Table.scrollOffset(showing: 3, from: 2, visibleRows: 5, rowCount: 0) == 0)
        #expect(Table.visibleRowCount(height: 6) == 5)
        #expect(Table.visibleRowCount(height: 0) == 0)
    }

    @Test func columnWidthsFitTheArea() {
        #expect(Table.columnWidths(columns, width: 20) == [8, 6, 4])
        #expect(Table.columnWidths(columns, width: 21) == [9, 6, 4])
        // Too narrow: flexible columns keep their minimum and what does not fit on the right is cut.
        #expect(Table.columnWidths(columns, width: 13) == [4, 6, 1])
        #expect(Table.columnWidths(columns, width: 11) == [4, 6, 0])
        #expect(Table.columnWidths(columns, width: 0) == [0, 0, 0])
        let two = [
            TableColumn(title: "A", width: .flexible(min: 1)), TableColumn(title: "B", width: .flexible(min: 1)),
        ]
        #expect(Table.columnWidths(two, width: 10) == [5, 4])
        #expect(Table.columnWidths([], width: 10) == [])
    }

    @Test func narrowTablesDropColumnsOnTheRight() {
        let s = draw(Table(columns: columns, rows: rows), width: 12, height: 2)
        #expect(s.lines == ["NAME    CPU ", "nod…   250m "])
    }

    @Test func sortingNumbersPutsMissingLastBothWays() {
        let numbers: [Double?] = [3, nil, 1, .nan, 2]
        let rows = numbers.enumerated().map { TableRow(id: "\($0.offset)", cells: [.number($0.element)]) }
        #expect(Table.sorted(rows: rows, by: 0, descending: false).map(\.id) == ["2", "4", "0", "1", "3"])
        #expect(Table.sorted(rows: rows, by: 0, descending: true).map(\.id) == ["0", "4", "2", "1", "3"])
    }

    @Test func sortingTextIsNatural() {
        let names = ["node-10", "node-2", "Node-3", "node-1", "node-02b", "alpha"]
        let rows = names.map { TableRow(id: $0, cells: [.text($0)]) }
        #expect(
            Table.sorted(rows: rows, by: 0, descending: false).map(\.id)
                == ["alpha", "node-1", "node-2", "node-02b", "Node-3", "node-10"])
        #expect(Table.sorted(rows: rows, by: 0, descending: true).map(\.id).first == "node-10")
        #expect(Table.naturalCompare("pod-9", "pod-10") == -1)
        #expect(Table.naturalCompare("a", "a") == 0)
    }

    @Test func sortingSeriesByLastValueAndShortRowsLast() {
        let rows = [
            TableRow(id: "a", cells: [.series([9, 1])]),
            TableRow(id: "b", cells: []),
            TableRow(id: "c", cells: [.series([1, 5, nil])]),
            TableRow(id: "d", cells: [.series([nil])]),
        ]
        #expect(Table.sorted(rows: rows, by: 0, descending: true).map(\.id) == ["c", "a", "b", "d"])
        #expect(Table.sorted(rows: rows, by: 7, descending: false).map(\.id) == ["a", "b", "c", "d"])
        #expect(Table.sorted(rows: rows, by: -1, descending: false).map(\.id) == ["a", "b", "c", "d"])
    }

    @Test func extremeValuesAndAwkwardAreas() {
        let odd = [
            TableRow(id: "x", cells: [.text(""), .number(.greatestFiniteMagnitude), .series([.nan, -1e308, 1e308])])
        ]
        _ = draw(Table(columns: columns, rows: odd, sortColumn: 2, selectedRow: 0), width: 20, height: 3)
        _ = draw(Table(columns: [TableColumn(title: "X", width: .fixed(-3))], rows: odd), width: 5, height: 2)
        expectSafeInAwkwardAreas(Table(columns: columns, rows: rows, sortColumn: 0, selectedRow: 2, scrollOffset: 1))
        expectSafeInAwkwardAreas(Table(columns: [], rows: []))
    }
}
