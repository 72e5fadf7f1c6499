import Dashboards
import Foundation
import Query
import Testing

@Suite struct DashboardSavingTests {
    @Test func writesBackToYAMLBesideJSONAndBuiltinsToTheConfigDirectory() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kubeglass-save-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let env = ["XDG_CONFIG_HOME": dir.path]
        var board = try #require(try BuiltinDashboards.named("cluster"))
        #expect(DashboardSaving.path(for: board, environment: env) == dir.path + "/kubeglass/dashboards/cluster.yaml")
        board.panels[0].targets[0].expr = "sum(kubeglass_node_cpu_usage_cores)"
        let written = try DashboardSaving.save(board, environment: env).path
        let back = try DashboardFile.load(path: written)
        #expect(back.panels[0].targets[0].expr == "sum(kubeglass_node_cpu_usage_cores)")
        #expect(back.panels.count == board.panels.count)

        board.file = dir.path + "/imported/k8s.json"
        #expect(
            DashboardSaving.path(for: board, environment: env) == dir.path + "/imported/k8s.yaml", "never over the JSON"
        )
        let beside = try DashboardSaving.save(board, environment: env).path
        #expect(
            try String(contentsOfFile: beside, encoding: .utf8).hasPrefix(
                "# Imported from \(dir.path)/imported/k8s.json"))
        board.file = written
        #expect(DashboardSaving.path(for: board, environment: env) == written)
    }

    @Test func aBuiltinWrittenKeepsItsCommentsAndChangesOnlyTheEditedQuery() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kubeglass-save-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let env = ["XDG_CONFIG_HOME": dir.path]
        var board = try #require(try BuiltinDashboards.named("cluster"))
        let original = try #require(BuiltinDashboards.text(named: "cluster"))
        let cpu = try #require(board.panels.firstIndex { $0.title == "Cluster CPU" })
        board.panels[cpu].targets[0].expr = "sum by (node) (kubeglass_node_cpu_usage_cores)"
        let saved = try DashboardSaving.save(board, environment: env)
        #expect(saved.inPlace && saved.changed == 1)
        let text = try String(contentsOfFile: saved.path, encoding: .utf8)
        let expected = original.replacingOccurrences(
            of: "{expr: sum(kubeglass_node_cpu_usage_cores), legend: usage}",
            with: "{expr: sum by (node) (kubeglass_node_cpu_usage_cores), legend: usage}")
        #expect(expected != original)
        #expect(text == expected, "the built-in's text, comments and all, with only the query changed")

        // Again from the file now written: a quoted query and a table column, each in place.
        board = try DashboardFile.load(path: saved.path)
        let nodes = try #require(board.panels.firstIndex { $0.title == "Nodes" })
        board.panels[nodes].columns[2].expr = "kubeglass_node_cpu_usage_cores * 1000"
        board.panels[cpu].targets[1].expr = "sum(x{a=\"b, c\"}) # not a comment"
        let again = try DashboardSaving.save(board, environment: env)
        #expect(again.inPlace && again.changed == 2)
        let back = try DashboardFile.load(path: again.path)
        #expect(back.panels[nodes].columns[2].expr == "kubeglass_node_cpu_usage_cores * 1000")
        #expect(back.panels[cpu].targets[1].expr == "sum(x{a=\"b, c\"}) # not a comment")
        let lines = try String(contentsOfFile: again.path, encoding: .utf8).split(separator: "\n")
        #expect(lines.filter { $0.hasPrefix("#") } == original.split(separator: "\n").filter { $0.hasPrefix("#") })
        #expect(lines.count == original.split(separator: "\n").count)
    }

    @Test func queryChangesAreNilWhenMoreThanAQueryChanged() throws {
        let board = try #require(try BuiltinDashboards.named("cluster"))
        #expect(DashboardTextEdit.changes(from: board, to: board) == [])
        var moved = board
        moved.panels[0].gridPos.w += 1
        #expect(DashboardTextEdit.changes(from: board, to: moved) == nil)
        var edited = board
        edited.panels[0].targets[0].expr = "1"
        #expect(
            DashboardTextEdit.changes(from: board, to: edited) == [
                QueryChange(panel: 0, place: .targetExpr(0), old: board.panels[0].targets[0].expr, new: "1")
            ])
    }
}
