import DashboardUI
import Dashboards
import Foundation
import KubeglassCore
import TerminalUI
import Testing

/// In a focused chart `1`–`9` hide or show the legend's series, `a` shows them all, `y` fits the y-axis to the
/// data (issue 18, as grafatui has them); the title says what is changed.
struct ChartSeriesKeysTests {
    static let board = Dashboard(
        title: "t", name: "t",
        panels: [
            PanelKindsTests.panel("CPU", .timeseries, 0, 0, 24, 14),
            PanelKindsTests.panel("Note", .text, 0, 14, 24, 4),
        ])
    static let data: [Int: PanelData] = {
        var d = PanelData()
        d.series = [
            PanelKindsTests.series("node-1", [100, 101, 102]),
            PanelKindsTests.series("node-2", [104, 106, 105]),
            PanelKindsTests.series("node-3", [110, 112, 111]),
        ]
        return [0: d]
    }()

    static func press(_ key: Key, _ state: inout ViewState) -> ViewState.Action {
        let layout = DashboardLayout(dashboard: board, state: state, width: 120, height: 28)
        let shown = state
        return state.handle(key, dashboard: board, layout: layout, viewHeight: 28) { _ in
            0
        } series: { panel in
            shown.legendNames(
                of: panel, dashboard: board, data: data[panel], theme: .default, width: 120, viewHeight: 28)
        }
    }

    /// The numbers that start the chart's rows inside its border: the y-axis labels.
    static func axisLabels(_ state: ViewState) -> [Double] {
        PanelKindsTests.render(board, data, state: state).lines.compactMap {
            Double($0.dropFirst().trimmingCharacters(in: .whitespaces).split(separator: " ").first ?? "")
        }
    }

    @Test func numberKeysHideSeriesWhichTheLegendShowsDim() throws {
        var state = ViewState()
        #expect(Self.press(.character("2"), &state) == .redraw)
        #expect(state.isHidden("node-2", in: 0) && !state.isHidden("node-1", in: 0))
        let s = PanelKindsTests.render(Self.board, Self.data, state: state)
        let lines = s.lines
        #expect(lines[1].contains("CPU · 1 hidden"))
        let row = try #require(lines.firstIndex { $0.contains("○ node-2") })
        let x = lines[row].distance(from: lines[row].startIndex, to: lines[row].range(of: "○")!.lowerBound)
        #expect(s[x, row].style == Theme.default.dimText)
        #expect(lines.contains { $0.contains("● node-1") } && lines.contains { $0.contains("● node-3") })
        // `2` again shows it; `a` shows all at once.
        _ = Self.press(.character("2"), &state)
        #expect(!state.isHidden("node-2", in: 0))
        _ = Self.press(.character("1"), &state)
        _ = Self.press(.character("3"), &state)
        #expect(state.isHidden("node-1", in: 0) && state.isHidden("node-3", in: 0))
        #expect(Self.press(.character("a"), &state) == .redraw)
        #expect(!state.isHidden("node-1", in: 0) && !state.isHidden("node-3", in: 0))
        #expect(!PanelKindsTests.render(Self.board, Self.data, state: state).lines[1].contains("hidden"))
    }

    @Test func aNumberPastTheLegendSaysHowManyThereAre() {
        var state = ViewState()
        #expect(Self.press(.character("7"), &state) == .notice("this chart's legend lists 3 series (1–3)"))
    }

    @Test func yFitsTheAxisToTheDataAndBack() {
        var state = ViewState()
        #expect(Self.press(.character("y"), &state) == .redraw)
        #expect(PanelKindsTests.render(Self.board, Self.data, state: state).lines[1].contains("CPU · y auto"))
        let fitted = Self.axisLabels(state)
        #expect(fitted.count >= 2 && (fitted.min() ?? 0) >= 95, "fitted: \(fitted)")
        _ = Self.press(.character("y"), &state)
        #expect(!PanelKindsTests.render(Self.board, Self.data, state: state).lines[1].contains("y auto"))
        #expect(Self.axisLabels(state).min() == 0)
    }

    @Test func theKeysBelongToChartsOnly() {
        var state = ViewState()
        state.focus = 1
        #expect(Self.press(.character("2"), &state) == .none)
        #expect(Self.press(.character("y"), &state) == .none)
        #expect(state.panelState.fittedAxes.isEmpty && state.panelState.hiddenSeries.isEmpty)
    }
}
