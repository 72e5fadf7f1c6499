import Dashboards
import KubeglassCore
import Query
import Store
import Testing

/// A table asked for the rows its view shows: every row gets its value and label cells, in the asked
/// order; only the shown rows get sparklines, and those are the same as a whole evaluation's.
@Suite struct TableWindowTests {
    static let pods = 300

    /// 300 pods in 3 namespaces over 10 minutes: CPU varies by pod, memory is a gauge.
    static let evaluator: PanelEvaluator = {
        let store = SeriesStore(.init(retention: Milliseconds.hour, interval: 15_000, maxSeries: 10_000, tiers: []))
        for t in stride(from: Int64(0), through: 600_000, by: 15_000) {
            var batch: [(Labels, Sample)] = []
            for p in 0..<pods {
                let base = ["namespace": "ns-\(p % 3)", "pod": "pod-\(p)"]
                let cpu = Double((p * 37) % 101) / 10 + Double(t / 15_000 % 4) / 100
                batch.append((Labels(name: "cpu", base), Sample(time: t, value: cpu)))
                batch.append((Labels(name: "mem", base), Sample(time: t, value: Double(p * 1000))))
                batch.append(
                    (
                        Labels(name: "phase", base.merging(["phase": p % 7 == 0 ? "Pending" : "Running"]) { $1 }),
                        Sample(time: t, value: 1)
                    ))
            }
            store.append(batch)
        }
        return PanelEvaluator(engine: PromQLEngine(store: store), minimumStep: 15_000)
    }()

    static func panel(trend: String = "cpu") -> Panel {
        Panel(
            title: "Pods", kind: .table, gridPos: GridPos(x: 0, y: 0, w: 24, h: 20), rowKey: ["namespace", "pod"],
            columns: [
                Column(title: "Pod", kind: .label, label: "pod"),
                Column(title: "Phase", kind: .label, expr: "phase", label: "phase"),
                Column(title: "CPU", kind: .value, expr: "cpu"),
                Column(title: "Memory", kind: .value, expr: "mem"),
                Column(title: "Trend", kind: .sparkline, expr: trend),
            ], sortColumn: 2)
    }

    static func evaluate(_ panel: Panel, _ request: TableRequest?) async throws -> TableData {
        let data = await evaluator.evaluate(
            panel, now: 600_000, range: 10 * Milliseconds.minute, points: 100, table: request)
        #expect(data.error == nil)
        return try #require(data.table)
    }

    static func byKey(_ t: TableData) -> [[String]: TableData.Row] {
        Dictionary(uniqueKeysWithValues: t.rows.map { ($0.key, $0) })
    }

    @Test(arguments: ["cpu", "label_replace(cpu, \"pod\", \"$1\", \"pod\", \"(.*)\")"])
    func onlyTheShownRowsGetSparklinesAndTheyMatchAWholeEvaluation(trend: String) async throws {
        let panel = Self.panel(trend: trend)
        let whole = Self.byKey(try await Self.evaluate(panel, nil))
        #expect(whole.count == Self.pods && whole.values.allSatisfy { !$0.partial })
        let order = TableOrder(column: 2, descending: true)
        let window = try await Self.evaluate(panel, TableRequest(order: order, rows: 40..<70))
        #expect(window.order == order)
        #expect(window.rows.count == Self.pods, "every row is listed, for scrolling and counts")
        // Sorted by CPU, highest first, as the view would sort them.
        let cpus = window.rows.map { row -> Double in
            if case .number(let v?) = row.cells[2] { return v }
            return -1
        }
        #expect(cpus == cpus.sorted(by: >))
        // Ties (300 pods, 101 CPU values) go by key, so the order is the same at every refresh.
        let expected = whole.values.sorted { a, b in
            guard case .number(let x?) = a.cells[2], case .number(let y?) = b.cells[2] else { return false }
            return x != y ? x > y : a.key.lexicographicallyPrecedes(b.key)
        }
        #expect(window.rows.map(\.key) == expected.map(\.key))
        #expect(window.displayed(order: order, filter: "") == Array(0..<Self.pods), "the view need not sort again")
        for (i, row) in window.rows.enumerated() {
            let full = try #require(whole[row.key])
            // Values and labels for every row; sparklines for rows 40..<70 only.
            #expect(row.cells[0...3] == full.cells[0...3])
            if (40..<70).contains(i) {
                #expect(!row.partial && row.cells[4] == full.cells[4], "row \(i) \(row.key)")
                if case .series(let s) = row.cells[4] { #expect(s.contains { $0 != nil }) }
            } else {
                #expect(row.partial && row.cells[4] == .series([]), "row \(i)")
            }
        }
    }

    @Test func aSearchedTableFillsTheRowsTheSearchKeeps() async throws {
        let order = TableOrder(column: 3, descending: false)
        let t = try await Self.evaluate(Self.panel(), TableRequest(order: order, filter: "pending", rows: 0..<10))
        let shown = t.displayed(order: order, filter: "pending")
        #expect(shown.count == (0..<Self.pods).filter { $0 % 7 == 0 }.count)
        #expect(shown.prefix(10).allSatisfy { !t.rows[$0].partial })
        #expect(shown.dropFirst(10).allSatisfy { t.rows[$0].partial })
        #expect(t.rows.filter { !$0.partial }.count == 10)
    }

    @Test func aSmallTableIsFilledWhole() async throws {
        let t = try await Self.evaluate(
            Self.panel(), TableRequest(order: nil, rows: 0..<(Self.pods + 100)))
        #expect(t.rows.allSatisfy { !$0.partial })
        #expect(t.order == nil)
        // Unsorted, the rows go by key, whatever order the store read them in.
        let keys = t.rows.map(\.key)
        #expect(keys == keys.sorted { $0.lexicographicallyPrecedes($1) })
    }

    @Test func numbersSortWithMissingValuesLastAndTiesByKey() {
        let values: [Double?] = [3, nil, 1, 3, .nan, 2]
        let rows = values.enumerated().map { i, v in
            TableData.Row(key: ["k\(5 - i)"], cells: [.number(v)])
        }
        var down = TableData(rows: rows)
        down.sort(TableOrder(column: 0, descending: true))
        #expect(down.rows.map(\.key) == [["k2"], ["k5"], ["k0"], ["k3"], ["k1"], ["k4"]])
        var up = TableData(rows: rows)
        up.sort(TableOrder(column: 0, descending: false))
        #expect(up.rows.map(\.key) == [["k3"], ["k0"], ["k2"], ["k5"], ["k1"], ["k4"]])
        // Text sorts naturally, numbers before text.
        var mixed = TableData(rows: [
            .init(key: ["a"], cells: [.text("node-10")]), .init(key: ["b"], cells: [.text("node-9")]),
            .init(key: ["c"], cells: [.number(1)]),
        ])
        mixed.sort(TableOrder(column: 0, descending: false))
        #expect(mixed.rows.map(\.key) == [["c"], ["b"], ["a"]])
    }
}
