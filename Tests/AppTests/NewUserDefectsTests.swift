import App
import DashboardUI
import Dashboards
import Query
import Store
import TerminalUI
import Testing

/// Small defects a new user hit (issue 18: 3, 10, 12, 13).
struct NewUserDefectsTests {
    static func state(refresh: Int64) throws -> AppState {
        let board = try #require(try BuiltinDashboards.named("cluster"))
        let evaluator = PanelEvaluator(engine: PromQLEngine(store: SeriesStore()), minimumStep: 1000)
        return AppState(
            dashboard: board, catalog: try BuiltinDashboards.all(), theme: .default, evaluator: evaluator,
            refresh: refresh, size: (120, 40))
    }

    static func overlayText(_ picker: Picker) -> String {
        var screen = Screen(width: 80, height: 24)
        PickerOverlayProbe.render(picker, on: &screen)
        return screen.trimmedLines.joined(separator: "\n")
    }

    // Defect 3: `9` without a unit is not offered as `Enter: last 9`; the picker says what is missing.
    @Test func aTypedRangeWithoutAUnitSaysSoAndEnterDoesNotTakeIt() throws {
        var state = try Self.state(refresh: 1000)
        _ = state.start()
        _ = state.key(.character("t")) { [] }
        _ = state.key(.character("9")) { [] }
        let picker = try #require(state.view.picker)
        let text = Self.overlayText(picker)
        #expect(!text.contains("Enter: last 9"))
        #expect(text.contains("9 needs a unit"), "\(text)")
        _ = state.key(.enter) { [] }
        #expect(state.view.picker != nil && state.view.timeRange == nil, "Enter waits for a unit")
        _ = state.key(.character("0")) { [] }
        _ = state.key(.character("m")) { [] }
        #expect(Self.overlayText(try #require(state.view.picker)).contains("Enter: last 90m"))
        _ = state.key(.enter) { [] }
        #expect(state.view.picker == nil && state.view.timeRange == 90 * 60_000)
        #expect(Picker.typedRange("5s").problem?.contains("at least 10s") == true)
        #expect(Picker.typedRange("9x").problem?.contains("not a range") == true)
    }

    // Defect 10: `R` opens on the refresh in force.
    @Test func theRefreshPickerOpensOnTheIntervalInForce() throws {
        var state = try Self.state(refresh: 5000)
        _ = state.start()
        _ = state.key(.character("R")) { [] }
        var picker = try #require(state.view.picker)
        #expect(picker.items[picker.selected] == "5s" && picker.checked == ["5s"])
        _ = state.key(.down) { [] }
        #expect(state.key(.enter) { [] }.contains { if case .setPollInterval(10_000) = $0 { true } else { false } })
        _ = state.key(.character("R")) { [] }
        picker = try #require(state.view.picker)
        #expect(picker.items[picker.selected] == "10s" && picker.checked == ["10s"], "the one chosen since")
        // An interval not in the list (`--refresh 15s`) is listed, and chosen again keeps it.
        var odd = try Self.state(refresh: 15_000)
        _ = odd.start()
        _ = odd.key(.character("R")) { [] }
        picker = try #require(odd.view.picker)
        #expect(picker.items[picker.selected] == "15s" && picker.items.contains("10s") && picker.items.contains("30s"))
        #expect(odd.key(.enter) { [] }.contains { if case .setPollInterval(15_000) = $0 { true } else { false } })
    }

    // Defect 13: an empty `:` editor shows no parse error before anything is typed.
    @Test func anEmptyQueryEditorShowsNoErrorUntilSomethingIsTyped() throws {
        var state = try Self.state(refresh: 1000)
        _ = state.start()
        _ = state.key(.character(":")) { [] }
        var editing = try #require(state.editing)
        #expect(editing.editor.buffer.text.isEmpty && editing.editor.error == nil)
        _ = state.key(.character("(")) { [] }
        editing = try #require(state.editing)
        #expect(editing.editor.error != nil, "something typed is checked")
        _ = state.key(.backspace) { [] }
        #expect(state.editing?.editor.error == nil)
        _ = state.key(.enter) { [] }
        editing = try #require(state.editing, "Enter on nothing keeps the editor open")
        #expect(editing.editor.error?.message.contains("type a query") == true)
    }

    // Defect 12: `:pods` says it is not a metric, and suggests the dashboard and similar metrics.
    @Test func aBareNameThatIsNoMetricSaysSoAndSuggests() throws {
        var state = try Self.state(refresh: 1000)
        _ = state.start()
        let metrics = ["kubeglass_node_pods", "kubeglass_namespace_pods_by_status", "kubeglass_node_cpu_usage_cores"]
            .map { CompletionItem(text: $0, detail: "metric", kind: .metric) }
        _ = state.key(.character(":")) { metrics }
        for c in "pods" { _ = state.key(.character(c)) { metrics } }
        _ = state.key(.enter) { metrics }
        #expect(state.editing == nil)
        let notice = try #require(state.notice)
        #expect(notice.hasPrefix("pods is not a metric here"), "\(notice)")
        #expect(notice.contains("Pods dashboard") && notice.contains("kubeglass_node_pods"), "\(notice)")
        // A metric that exists, or an expression, is left alone.
        _ = state.key(.character("e")) { metrics }
        #expect(state.notice == nil)
        for _ in 0..<4 { _ = state.key(.backspace) { metrics } }
        for c in "kubeglass_node_pods" { _ = state.key(.character(c)) { metrics } }
        _ = state.key(.enter) { metrics }
        #expect(state.notice == nil)
    }
}
