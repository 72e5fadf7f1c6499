import App
import DashboardUI
import Dashboards
import Testing

/// A table's selection follows the selected row's key across refreshes and re-sorts (issue 18), as in k9s.
struct SelectionFollowsTests {
    /// The Cluster dashboard's Nodes table answered with `cpu` per node, in no particular order.
    static func nodes(_ cpu: [String: Double], into state: inout AppState, panel: Int, sequence: Int) {
        let columns = state.dashboard.panels[panel].columns
        let rows = cpu.keys.sorted().map { node in
            TableData.Row(
                key: [node],
                cells: columns.map { column -> TableData.Cell in
                    switch column.kind {
                    case .label: return .text(column.label == "node" ? node : "Ready")
                    case .value: return .number(column.title == "CPU" ? cpu[node] : 1)
                    case .sparkline: return .series([1, 2])
                    }
                })
        }
        var data = PanelData()
        data.table = TableData(rows: rows)
        _ = state.evaluated(epoch: state.epoch, sequence: sequence, data: [panel: data])
    }

    static func selectedKey(_ state: AppState, _ panel: Int) -> String? {
        TableSelection.selectedLabels(
            panel: panel, dashboard: state.dashboard, data: state.data[panel], state: state.view)?[
                "node"]
    }

    @Test func theSelectionStaysOnTheNodePickedWhileTheTableReSorts() throws {
        var state = try AppStateTests.state()
        _ = state.start()
        let nodes = try #require(state.dashboard.panels.firstIndex { $0.title == "Nodes" })
        state.view.focus = nodes
        // Sorted by CPU, highest first: node-08, node-07, …, node-01.
        Self.nodes(
            Dictionary(uniqueKeysWithValues: (1...8).map { ("node-0\($0)", Double($0)) }), into: &state, panel: nodes,
            sequence: 100)
        _ = state.key(.character("j")) { [] }
        _ = state.key(.character("j")) { [] }
        #expect(Self.selectedKey(state, nodes) == "node-06")
        // A refresh: node-06 is now the busiest, then the quietest.
        var cpu = Dictionary(uniqueKeysWithValues: (1...8).map { ("node-0\($0)", Double($0)) })
        cpu["node-06"] = 50
        Self.nodes(cpu, into: &state, panel: nodes, sequence: 101)
        #expect(state.view.tableState(nodes, state.dashboard).selected == 0)
        #expect(Self.selectedKey(state, nodes) == "node-06")
        cpu["node-06"] = 0
        Self.nodes(cpu, into: &state, panel: nodes, sequence: 102)
        #expect(state.view.tableState(nodes, state.dashboard).selected == 7)
        #expect(Self.selectedKey(state, nodes) == "node-06")
        // A re-sort (`S` reverses it) keeps it too.
        _ = state.key(.character("S")) { [] }
        #expect(state.view.tableState(nodes, state.dashboard).selected == 0)
        #expect(Self.selectedKey(state, nodes) == "node-06")
        // Enter opens the node picked.
        _ = state.key(.enter) { [] }
        #expect(state.dashboard.name == "node")
        #expect(state.variables.selections["node"] == ["node-06"])
    }

    @Test func whenTheSelectedNodeGoesTheSelectionKeepsItsRowNumber() throws {
        var state = try AppStateTests.state()
        _ = state.start()
        let nodes = try #require(state.dashboard.panels.firstIndex { $0.title == "Nodes" })
        state.view.focus = nodes
        var cpu = Dictionary(uniqueKeysWithValues: (1...8).map { ("node-0\($0)", Double($0)) })
        Self.nodes(cpu, into: &state, panel: nodes, sequence: 100)
        for _ in 0..<3 { _ = state.key(.character("j")) { [] } }
        #expect(Self.selectedKey(state, nodes) == "node-05")
        cpu["node-05"] = nil
        Self.nodes(cpu, into: &state, panel: nodes, sequence: 101)
        #expect(state.view.tableState(nodes, state.dashboard).selected == 3)
        #expect(Self.selectedKey(state, nodes) == "node-04")
        // Then it follows the row it is on now.
        cpu["node-04"] = 6.5
        Self.nodes(cpu, into: &state, panel: nodes, sequence: 102)
        #expect(state.view.tableState(nodes, state.dashboard).selected == 2)
        #expect(Self.selectedKey(state, nodes) == "node-04")
        // Fewer rows than the row number: the last one.
        Self.nodes(["node-01": 1, "node-02": 2], into: &state, panel: nodes, sequence: 103)
        #expect(state.view.tableState(nodes, state.dashboard).selected == 1)
        #expect(Self.selectedKey(state, nodes) == "node-01")
    }
}
