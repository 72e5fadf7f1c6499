import Foundation
import TestSupport
import Testing

/// `kubeglass once` as a script would use it: the real binary, its stdout.
struct OnceCommandTests {
    func once(_ args: String...) async throws -> (status: Int32, output: String) {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("kubeglass-once-\(getpid())").path
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        return try await spawn(["env", "HOME=\(home)", "KUBECONFIG=", try kubeglassBinary(), "once"] + args)
    }

    @Test func textDrawsEveryPanelWithoutEscapeCodes() async throws {
        let (status, output) = try await once("--width", "120")
        #expect(status == 0)
        #expect(!output.contains("\u{1b}"), "plain text, no escape codes")
        for title in DashboardEndToEndTests.titles { #expect(output.contains("╭ \(title) "), "panel \(title)") }
        let lines = output.split(separator: "\n")
        #expect(lines.first?.hasPrefix("Cluster · demo cluster (12 nodes, 300 pods) (DEMO) · last 1h") == true)
        #expect(lines.allSatisfy { $0.count <= 120 })
        #expect(output.contains("node-12"))
    }

    @Test func jsonHasTheDocumentedShape() async throws {
        let (status, output) = try await once("--format", "json", "--panel", "Nodes ready")
        #expect(status == 0)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any])
        #expect(object["dashboard"] as? String == "Cluster")
        let time = try #require(object["time"] as? [String: Double])
        #expect(time["to"]! - time["from"]! == 3600)
        let panels = try #require(object["panels"] as? [[String: Any]])
        #expect(panels.count == 1)
        #expect(panels[0]["title"] as? String == "Nodes ready" && panels[0]["type"] as? String == "stat")
        #expect(panels[0]["error"] is NSNull)
        let target = try #require((panels[0]["targets"] as? [[String: Any]])?.first)
        #expect(target["query"] as? String == #"count(kubeglass_node_info{ready="true"})"#)
        #expect(target["step"] is NSNull, "an instant query")
        let points = try #require(((target["series"] as? [[String: Any]])?.first?["points"]) as? [[Double]])
        #expect(points.first?[1] == 12)
    }

    @Test func rangeTargetsListTheirStepAndGaps() async throws {
        let (status, output) = try await once("--format", "json", "--panel", "Cluster CPU")
        #expect(status == 0)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any])
        let targets = try #require(((object["panels"] as? [[String: Any]])?.first?["targets"]) as? [[String: Any]])
        #expect(
            targets.map { $0["query"] as? String } == [
                "sum(kubeglass_node_cpu_usage_cores)", "sum(kubeglass_namespace_cpu_requests_cores)",
                "sum(kubeglass_namespace_cpu_limits_cores)", "sum(kubeglass_node_cpu_allocatable_cores)",
            ])
        for t in targets {
            let step = try #require(t["step"] as? Double)
            let start = try #require(t["start"] as? Double)
            let end = try #require(t["end"] as? Double)
            #expect(step >= 5 && (end - start).truncatingRemainder(dividingBy: step) == 0)
            let points = try #require(((t["series"] as? [[String: Any]])?.first?["points"]) as? [[Any]])
            #expect(points.count == Int((end - start) / step) + 1)
        }
    }

    @Test func unknownPanelIsAClearError() async throws {
        let (status, output) = try await once("--panel", "Nope")
        #expect(status != 0)
        #expect(output.contains("no panel \"Nope\" in Cluster (panels: CPU used"))
    }
}
