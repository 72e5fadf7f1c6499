import Foundation
import TestSupport
import Testing

/// `kubeglass query --scrape URL`: the real binary scrapes `kubeglass sim`'s node-exporter
/// endpoint twice and answers a rate over it.
@Suite struct ScrapeCommandEndToEndTests {
    @Test func rateOverTwoScrapesOfTheSimulator() async throws {
        let sim = try SimProcess(["--nodes", "3", "--pods", "10"])
        let url = sim.httpURL + "/metrics/node-exporter"
        let (status, output) = try await spawn([
            try kubeglassBinary(), "query", "--scrape", url, "--scrape-interval", "1s", "--format", "json",
            "count(rate(node_cpu_seconds_total[1m]) >= 0)",
        ])
        #expect(status == 0, "\(output)")
        #expect(output.contains(#""resultType":"vector""#), "\(output)")
        let cores = try #require(output.split(separator: "\"").last { Double($0) != nil }.flatMap { Double($0) })
        #expect(cores > 0, "one rate per core and mode over two scrapes: \(output)")

        let (upStatus, up) = try await spawn([
            try kubeglassBinary(), "query", "--scrape", url, "--scrape", "http://127.0.0.1:1/metrics", "up",
        ])
        #expect(upStatus == 0, "\(up)")
        #expect(
            up.contains("127.0.0.1:1") && up.contains("cannot connect"),
            "the dead target is named with the reason: \(up)")
    }

    /// Defect 16: scraping a node-exporter endpoint opened the Cluster dashboard, all "no data". It opens
    /// the Node exporter dashboard, whose panels read node-exporter's own series.
    @Test func aScrapeOpensTheNodeExporterDashboardWithData() async throws {
        let sim = try SimProcess(["--nodes", "2", "--pods", "4"])
        let url = sim.httpURL + "/metrics/node-exporter"
        let (status, output) = try await spawn([
            try kubeglassBinary(), "once", "--scrape", url, "--no-state", "--format", "json",
        ])
        #expect(status == 0, "\(output)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any])
        #expect(object["dashboard"] as? String == "Node exporter")
        let panels = try #require(object["panels"] as? [[String: Any]])
        func firstValue(_ title: String) -> Double? {
            let panel = panels.first { $0["title"] as? String == title }
            let target = (panel?["targets"] as? [[String: Any]])?.first
            let points = (target?["series"] as? [[String: Any]])?.first?["points"] as? [[Any]]
            return points?.compactMap { $0.last as? Double }.last
        }
        let memory = try #require(firstValue("Memory used"), "\(output)")
        #expect(memory > 0 && memory < 100)
        let disk = try #require(firstValue("Filesystem used"), "\(output)")
        #expect(disk > 0 && disk < 100)
        #expect(firstValue("Targets up") == 1)
        let table = try #require(panels.first { $0["title"] as? String == "Filesystems" }?["table"] as? [String: Any])
        let rows = try #require(table["rows"] as? [[Any]])
        #expect(rows.first?.first as? String == "/", "\(table)")
    }
}
