import KubeglassCore
import Query
import Store
import Testing

@testable import Dashboards

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

    /// `evaluator` with the table's other columns restricted to the rows in view (as for a big table) or not.
    static func evaluator(restricting: Bool) -> PanelEvaluator {
        var e = evaluator
        e.restrictRowsFrom = restricting ? 0 : .max
        return e
    }

    static func evaluate(_ panel: Panel, _ request: TableRequest?, restricting: Bool = true) async throws
        -> TableData
    {
        let data = await evaluator(restricting: restricting).evaluate(
            panel, now: 600_000, range: 10 * Milliseconds.minute, points: 100, table: request)
        #expect(data.error == nil)
        return try #require(data.table)
    }

    static func byKey(_ t: TableData) -> [[String]: TableData.Row] {
        Dictionary(uniqueKeysWithValues: t.rows.map { ($0.key, $0) })
    }

    @Test(arguments: ["cpu", "label_replace(cpu, \"pod\", \"$1\", \"pod\", \"(.*)\")"], [true, false])
    func onlyTheShownRowsGetSparklinesAndTheyMatchAWholeEvaluation(trend: String, restricting: Bool) async throws {
        let panel = Self.panel(trend: trend)
        let whole = Self.byKey(try await Self.evaluate(panel, nil))
        #expect(whole.count == Self.pods && whole.values.allSatisfy { !$0.partial })
        let order = TableOrder(column: 2, descending: true)
        let window = try await Self.evaluate(panel, TableRequest(order: order, rows: 40..<70), restricting: restricting)
        #expect(window.order == order)
        #expect(window.rows.count == Self.pods, "every row is counted, for scrolling")
        // Sorted by CPU, highest first, as the view would sort them; ties (300 pods, 101 CPU values) by key,
        // so the order is the same at every refresh.
        let expected = whole.values.sorted { a, b in
            guard case .number(let x?) = a.cells[2], case .number(let y?) = b.cells[2] else { return false }
            return x != y ? x > y : a.key.lexicographicallyPrecedes(b.key)
        }
        #expect(window.rows.prefix(70).map(\.key) == expected.prefix(70).map(\.key))
        #expect(window.displayed(order: order, filter: "") == Array(0..<Self.pods), "the view need not sort again")
        for (i, row) in window.rows.enumerated() {
            if (40..<70).contains(i) {
                // The rows shown: every cell, as the whole evaluation has it.
                let full = try #require(whole[row.key])
                #expect(!row.partial && row.cells == full.cells, "row \(i) \(row.key)")
                if case .series(let s) = row.cells[4] { #expect(s.contains { $0 != nil }) }
            } else if i < 70 {
                // Above them: the key and the sort column (what puts them there), asked for when scrolled to.
                let full = try #require(whole[row.key])
                #expect(row.partial && row.cells[2] == full.cells[2] && row.cells[4] == .series([]), "row \(i)")
            } else {
                #expect(row.partial && row.key.isEmpty, "row \(i): a placeholder")
            }
        }
    }

    /// CPU with ties, NaN, pods without it, and pods with memory only; each window, either way, by either
    /// column, holds the rows the whole table sorted holds there, every cell the same.
    static let ragged: PanelEvaluator = {
        let store = SeriesStore(.init(retention: Milliseconds.hour, interval: 15_000, maxSeries: 10_000, tiers: []))
        for t in stride(from: Int64(0), through: 120_000, by: 15_000) {
            var batch: [(Labels, Sample)] = []
            for p in 0..<220 {
                let base = ["namespace": "ns-\(p % 4)", "pod": "pod-\(p)"]
                if p < 200 && p % 9 != 4 {
                    let cpu = p % 13 == 0 ? Double.nan : Double((p * 7) % 5) + Double(t / 15_000 % 2) / 10
                    batch.append((Labels(name: "cpu", base), Sample(time: t, value: cpu)))
                }
                batch.append((Labels(name: "mem", base), Sample(time: t, value: Double((p * 11) % 17))))
            }
            store.append(batch)
        }
        return PanelEvaluator(engine: PromQLEngine(store: store), minimumStep: 15_000)
    }()

    @Test(arguments: [(2, true), (2, false), (3, true), (3, false)], [true, false])
    func eachWindowHoldsTheWholeTablesRows(sort: (column: Int, descending: Bool), restricting: Bool) async throws {
        let (column, descending) = sort
        let panel = Self.panel()
        var ragged = Self.ragged
        ragged.restrictRowsFrom = restricting ? 0 : .max
        let order = TableOrder(column: column, descending: descending)
        let whole = await Self.ragged.evaluate(panel, now: 120_000, range: 2 * Milliseconds.minute, points: 50)
        var sorted = try #require(whole.table)
        sorted.sort(order)
        for rows in [0..<10, 25..<60, 100..<150, 140..<300, 0..<400] {
            let data = await ragged.evaluate(
                panel, now: 120_000, range: 2 * Milliseconds.minute, points: 50,
                table: TableRequest(order: order, rows: rows))
            #expect(data.error == nil)
            let window = try #require(data.table)
            for i in rows.clamped(to: 0..<sorted.rows.count) {
                #expect(window.rows.indices.contains(i), "\(rows): row \(i)")
                guard window.rows.indices.contains(i) else { continue }
                #expect(window.rows[i].key == sorted.rows[i].key, "\(rows): row \(i)")
                // As text: NaN is NaN on both sides.
                #expect("\(window.rows[i].cells)" == "\(sorted.rows[i].cells)", "\(rows): row \(i)")
                #expect(!window.rows[i].partial, "\(rows): row \(i)")
            }
        }
    }

    @Test func aSortColumnWithAKeyTwiceIsEvaluatedWhole() async throws {
        let store = SeriesStore(.init(retention: Milliseconds.hour, interval: 15_000, maxSeries: 1_000, tiers: []))
        var batch: [(Labels, Sample)] = []
        for p in 0..<50 {
            let base = ["namespace": "ns", "pod": "pod-\(p)"]
            batch.append((Labels(name: "cpu", base.merging(["node": "a"]) { $1 }), Sample(time: 0, value: Double(p))))
            batch.append((Labels(name: "mem", base), Sample(time: 0, value: 1)))
        }
        // pod-3 is on two nodes: its row is one, not two.
        batch.append(
            (Labels(name: "cpu", ["namespace": "ns", "pod": "pod-3", "node": "b"]), Sample(time: 0, value: 99)))
        store.append(batch)
        let evaluator = PanelEvaluator(engine: PromQLEngine(store: store), minimumStep: 15_000)
        let order = TableOrder(column: 2, descending: true)
        let data = await evaluator.evaluate(
            Self.panel(), now: 0, range: Milliseconds.minute, points: 10, table: TableRequest(order: order, rows: 0..<5)
        )
        let t = try #require(data.table)
        #expect(t.rows.count == 50)
        #expect(Set(t.rows.map(\.key)).count == 50, "no placeholders: the whole table")
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

    @Test func theBoundaryOfAWindowIsTheRankthNumberEitherWay() {
        var generator = SystemRandomNumberGenerator()
        for round in 0..<200 {
            let count = Int.random(in: 1...300, using: &generator)
            let values = (0..<count).map { _ -> Double in
                Int.random(in: 0..<10, using: &generator) == 0
                    ? .nan : Double(Int.random(in: -20...20, using: &generator))
            }
            let samples = values.map { VectorSample(labels: Labels(), time: 0, value: $0) }
            let numbers = values.filter { !$0.isNaN }
            for descending in [true, false] {
                let rank = Int.random(in: 1...max(1, numbers.count), using: &generator)
                let (boundary, counted) = PanelEvaluator.boundary(of: samples, rank: rank, descending: descending)
                #expect(counted == numbers.count, "round \(round)")
                guard !numbers.isEmpty else { continue }
                let sorted = numbers.sorted(by: descending ? (>) : (<))
                #expect(
                    boundary == sorted[rank - 1], "round \(round): rank \(rank) of \(sorted), descending \(descending)")
            }
        }
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
