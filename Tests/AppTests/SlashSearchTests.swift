import App
import DashboardUI
import Dashboards
import TerminalUI
import Testing

/// `/` filters a focused table's rows (a substring, or a regular expression), and elsewhere finds a panel by its
/// title; typed characters never reach the dashboard's keys (issue 18).
struct SlashSearchTests {
    static func type(_ text: String, into state: inout AppState) -> [AppState.Effect] {
        text.flatMap { state.key(.character($0)) { [] } }
    }

    static func nodesState() throws -> (AppState, Int) {
        var state = try AppStateTests.state()
        _ = state.start()
        let nodes = try #require(state.dashboard.panels.firstIndex { $0.title == "Nodes" })
        state.view.focus = nodes
        var cpu: [String: Double] = [:]
        for i in 1...12 { cpu[String(format: "node-%02d", i)] = Double(i) }
        cpu["gpu-a"] = 0.5
        SelectionFollowsTests.nodes(cpu, into: &state, panel: nodes, sequence: 100)
        return (state, nodes)
    }

    static func shown(_ state: AppState, _ panel: Int) -> [String] {
        guard let table = state.data[panel]?.table else { return [] }
        let t = state.view.tableState(panel, state.dashboard)
        return table.displayed(order: t.order, filter: state.view.search(panel)?.text ?? "").map {
            table.rows[$0].key[0]
        }
    }

    @Test func slashFiltersTheFocusedTableAndTypedKeysDoNotFire() throws {
        var (state, nodes) = try Self.nodesState()
        _ = state.key(.character("/")) { [] }
        let effects = Self.type("NODE-0", into: &state)
        #expect(state.view.picker == nil, "d did not open the dashboard picker")
        #expect(state.dashboard.name == "cluster" && state.view.focus == nodes)
        #expect(!effects.contains { if case .quit = $0 { true } else { false } })
        #expect(state.view.search(nodes) == ViewState.TableSearch(text: "NODE-0", typing: true))
        #expect(Self.shown(state, nodes) == (1...9).reversed().map { "node-0\($0)" }, "case-insensitive substring")
        _ = state.key(.enter) { [] }
        #expect(state.view.search(nodes)?.typing == false, "Enter keeps the filter")
        #expect(Self.shown(state, nodes).count == 9)
        // Kept, j moves among the matching rows only, and Enter drills into the row picked.
        _ = state.key(.character("j")) { [] }
        #expect(SelectionFollowsTests.selectedKey(state, nodes) == "node-08")
        _ = state.key(.escape) { [] }
        #expect(state.view.search(nodes) == nil, "Esc clears it")
        #expect(Self.shown(state, nodes).count == 13)
        #expect(SelectionFollowsTests.selectedKey(state, nodes) == "node-08", "the selection stays on its row")
    }

    @Test func aSearchWithMetacharactersIsARegularExpression() throws {
        var (state, nodes) = try Self.nodesState()
        _ = state.key(.character("/")) { [] }
        _ = Self.type("^(gpu|node-1[01])", into: &state)
        #expect(Set(Self.shown(state, nodes)) == ["gpu-a", "node-10", "node-11"])
        #expect(TextFilter("node-1[").isRegex == false, "text that does not compile is a substring")
        #expect(TextFilter("10.0.0.1").isRegex == false && TextFilter("10.0.0.1").matches("ip 10.0.0.1"))
        #expect(!TextFilter("10.0.0.1").matches("10x0y0z1"), "a dot alone is not a regular expression")
        #expect(TextFilter("WEB-.*").matches("web-7f9c"))
    }

    @Test func slashWithoutAFocusedTableFindsAPanelByTitle() throws {
        var state = try AppStateTests.state()
        _ = state.start()
        #expect(state.dashboard.panels[state.view.focus].kind != .table)
        _ = state.key(.character("/")) { [] }
        _ = Self.type("memory", into: &state)
        let titles = state.dashboard.panels.map(\.title)
        #expect(titles[state.view.focus].lowercased().contains("memory"), "focus jumps to the first match")
        #expect(state.view.picker == nil && state.dashboard.name == "cluster", "no key leaked")
        let first = state.view.focus
        _ = state.key(.enter) { [] }
        #expect(state.view.panelFind == ViewState.TableSearch(text: "memory", typing: false))
        let matching = titles.indices.filter { titles[$0].lowercased().contains("memory") }
        #expect(matching.count >= 2, "the Cluster dashboard has more than one memory panel: \(titles)")
        _ = state.key(.character("n")) { [] }
        #expect(state.view.focus != first && matching.contains(state.view.focus), "n: the next match")
        _ = state.key(.character("N")) { [] }
        #expect(state.view.focus == first, "N: back")
        // The status bar shows the search.
        let layout = DashboardLayout(dashboard: state.dashboard, state: state.view, width: 120, height: 38)
        #expect(state.view.findPrompt(in: state.dashboard, layout: layout)?.hasPrefix("/memory  panel 1 of") == true)
        _ = state.key(.escape) { [] }
        #expect(state.view.panelFind == nil)
        #expect(state.view.focus == first, "Esc keeps the panel found")
        // A title that is the text itself comes first: the Nodes table before "Nodes ready".
        _ = state.key(.character("/")) { [] }
        _ = Self.type("nodes", into: &state)
        #expect(titles[state.view.focus] == "Nodes" && state.dashboard.panels[state.view.focus].kind == .table)
        // Enter keeps the search; `/` on the table found starts the table's own filter.
        _ = state.key(.enter) { [] }
        _ = state.key(.character("/")) { [] }
        #expect(state.view.panelFind == nil && state.view.search(state.view.focus)?.typing == true)
    }

    @Test func vOnADashboardWithoutVariablesSaysSo() throws {
        // Nodes lists no pods, so it has no namespace filter either (NamespaceFilterTests).
        var state = try NamespaceFilterTests.state("nodes")
        _ = state.start()
        #expect(state.dashboard.variables.isEmpty)
        let effects = state.key(.character("v")) { [] }
        #expect(effects.contains { if case .draw = $0 { true } else { false } })
        #expect(state.view.picker == nil)
        #expect(state.notice?.contains("no variables") == true, "\(state.notice ?? "no notice")")
        _ = state.key(.character("j")) { [] }
        #expect(state.notice == nil, "until the next key")
    }
}
