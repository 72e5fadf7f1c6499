import Foundation
import TestSupport
import Testing

/// `kubeglass query --scrape URL`: the real binary scrapes `kubeglass sim`'s node-exporter
/// endpoint twice and answers a rate over it.
@Suite struct ScrapeCommandEndToEndTests {
    @Test func rateOverTwoScrapesOfTheSimulator() throws {
        let sim = try SimProcess(["--nodes", "3", "--pods", "10"])
        let url = sim.httpURL + "/metrics/node-exporter"
        let (status, output) = try spawn([
            try kubeglassBinary(), "query", "--scrape", url, "--scrape-interval", "1s", "--format", "json",
            "count(rate(node_cpu_seconds_total[1m]) >= 0)",
        ])
        #expect(status == 0, "\(output)")
        #expect(output.contains(#""resultType":"vector""#), "\(output)")
        let cores = try #require(output.split(separator: "\"").last { Double($0) != nil }.flatMap { Double($0) })
        #expect(cores > 0, "one rate per core and mode over two scrapes: \(output)")

        let (upStatus, up) = try spawn([
            try kubeglassBinary(), "query", "--scrape", url, "--scrape", "http://127.0.0.1:1/metrics", "up",
        ])
        #expect(upStatus == 0, "\(up)")
        #expect(
            up.contains("127.0.0.1:1") && up.contains("cannot connect"),
            "the dead target is named with the reason: \(up)")
    }
}
