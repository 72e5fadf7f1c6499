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
        let written = try DashboardSaving.save(board, environment: env)
        let back = try DashboardFile.load(path: written)
        #expect(back.panels[0].targets[0].expr == "sum(kubeglass_node_cpu_usage_cores)")
        #expect(back.panels.count == board.panels.count)

        board.file = dir.path + "/imported/k8s.json"
        #expect(
            DashboardSaving.path(for: board, environment: env) == dir.path + "/imported/k8s.yaml", "never over the JSON"
        )
        let beside = try DashboardSaving.save(board, environment: env)
        #expect(
            try String(contentsOfFile: beside, encoding: .utf8).hasPrefix(
                "# Imported from \(dir.path)/imported/k8s.json"))
        board.file = written
        #expect(DashboardSaving.path(for: board, environment: env) == written)
    }
}
